import { randomUUID } from 'node:crypto';
import { money } from '../../server/money';
import { GatewayUnavailableError, type PaymentOutcome } from '../../server/payments/payment-gateway';
import { chargeRequest } from '../support/braintree-requests';
import { startBraintreeTestBed, type BraintreeTestBed } from '../support/braintree-test-bed';
import { useTeardown } from '../support/teardown';

let bed: BraintreeTestBed;

const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startBraintreeTestBed(), (b) => b.close());
});

async function pay(overrides: Parameters<typeof chargeRequest>[1] = {}): Promise<string> {
  const outcome: PaymentOutcome = await bed.gateway.chargeNonce!(chargeRequest('fake-valid-nonce', overrides));
  if (outcome.status !== 'captured' && outcome.status !== 'authorised') throw new Error(`payment failed: ${JSON.stringify(outcome)}`);
  return outcome.paymentRef;
}

describe('Braintree capture', () => {
  it('captures an authorised payment', async () => {
    const ref = await pay({ captureLater: true });
    await expect(bed.gateway.capture(ref, money(6900, 'USD'), randomUUID())).resolves.toMatchObject({
      status: 'captured',
      paymentRef: ref,
      amount: money(6900, 'USD'),
    });
    await expect(bed.gateway.fetchStatus(ref)).resolves.toMatchObject({ status: 'captured' });
  });

  it('captures part of an authorisation', async () => {
    const ref = await pay({ captureLater: true });
    await expect(bed.gateway.capture(ref, money(5000, 'USD'), randomUUID())).resolves.toMatchObject({
      status: 'captured',
      amount: money(5000, 'USD'),
    });
  });

  it('answers a repeated capture with the payment as it stands (no second capture)', async () => {
    const ref = await pay({ captureLater: true });
    await bed.gateway.capture(ref, money(6900, 'USD'), randomUUID());
    await expect(bed.gateway.capture(ref, money(6900, 'USD'), randomUUID())).resolves.toMatchObject({
      status: 'captured',
      paymentRef: ref,
    });
  });

  it('leaves the payment authorised when Braintree refuses a capture above the authorisation', async () => {
    const ref = await pay({ captureLater: true });
    await expect(bed.gateway.capture(ref, money(9900, 'USD'), randomUUID())).resolves.toMatchObject({
      status: 'authorised',
      paymentRef: ref,
    });
  });
});

describe('Braintree cancel', () => {
  it('voids an authorisation', async () => {
    const ref = await pay({ captureLater: true });
    await expect(bed.gateway.cancel(ref, randomUUID())).resolves.toEqual({ status: 'cancelled', paymentRef: ref });
    await expect(bed.gateway.fetchStatus(ref)).resolves.toEqual({ status: 'cancelled', paymentRef: ref });
  });

  it('voids a capture that has not settled yet', async () => {
    const ref = await pay();
    await expect(bed.gateway.cancel(ref, randomUUID())).resolves.toEqual({ status: 'cancelled', paymentRef: ref });
  });

  it('cannot void a settled payment: it reports it captured (refund it instead)', async () => {
    const ref = await pay();
    bed.sandbox.settleNow(ref);
    await expect(bed.gateway.cancel(ref, randomUUID())).resolves.toMatchObject({ status: 'captured', paymentRef: ref });
  });
});

describe('Braintree refund', () => {
  it('refunds a settled payment in part, then the rest', async () => {
    const ref = await pay();
    bed.sandbox.settleNow(ref);
    const partial = await bed.gateway.refund(ref, money(1900, 'USD'), randomUUID());
    expect(partial).toEqual({ status: 'refunded', refundRef: expect.stringMatching(/^[a-z0-9]{8}$/), amount: money(1900, 'USD') });
    const rest = await bed.gateway.refund(ref, money(5000, 'USD'), randomUUID());
    expect(rest).toMatchObject({ status: 'refunded', amount: money(5000, 'USD') });
    expect(rest.status === 'refunded' && partial.status === 'refunded' && rest.refundRef !== partial.refundRef).toBe(true);
    await expect(bed.gateway.refund(ref, money(100, 'USD'), randomUUID())).resolves.toEqual({
      status: 'refused',
      message: 'Transaction has already been fully refunded.',
    });
  });

  it('refuses to refund more than was paid', async () => {
    const ref = await pay();
    bed.sandbox.settleNow(ref);
    await expect(bed.gateway.refund(ref, money(7000, 'USD'), randomUUID())).resolves.toEqual({
      status: 'refused',
      message: 'Refund amount is too large.',
    });
  });

  it('refuses to refund a payment before it settles, with Braintree’s message', async () => {
    const ref = await pay();
    await expect(bed.gateway.refund(ref, money(6900, 'USD'), randomUUID())).resolves.toEqual({
      status: 'refused',
      message: 'Cannot refund transaction unless it is settled.',
    });
  });

  it('refunds once for a retried refund with the same idempotency key', async () => {
    const ref = await pay();
    bed.sandbox.settleNow(ref);
    const key = randomUUID();
    const first = await bed.gateway.refund(ref, money(6900, 'USD'), key);
    await expect(bed.gateway.refund(ref, money(6900, 'USD'), key)).resolves.toEqual(first);
    expect(first.status).toBe('refunded');
  });

  it('refunds JPY in whole yen', async () => {
    const ref = await pay({ amount: money(1500, 'JPY') });
    bed.sandbox.settleNow(ref);
    await expect(bed.gateway.refund(ref, money(500, 'JPY'), randomUUID())).resolves.toMatchObject({
      status: 'refunded',
      amount: money(500, 'JPY'),
    });
  });
});

describe('Braintree faults', () => {
  it('reports an unknown payment as a gateway fault, not a decline', async () => {
    await expect(bed.gateway.fetchStatus('nosuchid')).rejects.toBeInstanceOf(GatewayUnavailableError);
  });
});
