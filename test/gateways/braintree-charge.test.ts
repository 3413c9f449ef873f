import { money } from '../../server/money';
import type { PaymentOutcome } from '../../server/payments/payment-gateway';
import { chargeRequest, createPaymentRequest } from '../support/braintree-requests';
import { startBraintreeTestBed, type BraintreeTestBed } from '../support/braintree-test-bed';
import { useTeardown } from '../support/teardown';

let bed: BraintreeTestBed;

const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startBraintreeTestBed(), (b) => b.close());
});

function charge(nonce: string, overrides: Parameters<typeof chargeRequest>[1] = {}): Promise<PaymentOutcome> {
  const chargeNonce = bed.gateway.chargeNonce;
  if (!chargeNonce) throw new Error('the Braintree gateway charges nonces');
  return chargeNonce(chargeRequest(nonce, overrides));
}

describe('Braintree in-page payment start', () => {
  it('is an in-page fields gateway whose page may frame only the sandbox fields', () => {
    expect(bed.gateway.id).toBe('braintree');
    expect(bed.gateway.flow).toBe('in_page_fields');
    expect(bed.gateway.browserOrigins).toEqual({ scripts: [], frames: [bed.sandbox.pagesOrigin], navigations: [], connections: [] });
  });

  it('gives the page a client token, the amount as a decimal string and the sandbox fields URL', async () => {
    const created = await bed.gateway.createPayment(createPaymentRequest(money(6900, 'USD')));
    expect(created.kind).toBe('in_page');
    if (created.kind !== 'in_page') return;
    expect(created.clientConfig).toEqual({
      clientToken: expect.stringMatching(/^[A-Za-z0-9+/=]{40,}$/),
      amount: '69.00',
      currency: 'USD',
      fieldsUrl: `${bed.sandbox.pagesOrigin}/fields`,
    });
    expect(JSON.stringify(created.clientConfig)).not.toContain(bed.gatewayOptions.privateKey);
  });

  it('writes JPY amounts without decimals', async () => {
    const created = await bed.gateway.createPayment(createPaymentRequest(money(1500, 'JPY')));
    expect(created.kind === 'in_page' && created.clientConfig.amount).toBe('1500');
  });
});

describe('Braintree chargeNonce', () => {
  it('captures a valid nonce at once (submitted for settlement)', async () => {
    const outcome = await charge('fake-valid-nonce');
    expect(outcome).toMatchObject({
      status: 'captured',
      amount: money(6900, 'USD'),
      avs: { street: 'pass', postalCode: 'pass', cvc: 'unchecked' },
    });
    if (outcome.status !== 'captured') return;
    expect(outcome.paymentRef).toMatch(/^[a-z0-9]{8}$/);
    await expect(bed.gateway.fetchStatus(outcome.paymentRef)).resolves.toMatchObject({
      status: 'captured',
      paymentRef: outcome.paymentRef,
    });
  });

  it('only authorises when the payment is to be captured later', async () => {
    const outcome = await charge('fake-valid-visa-nonce', { captureLater: true });
    expect(outcome).toMatchObject({ status: 'authorised', amount: money(6900, 'USD') });
  });

  it('returns a processor decline as a value with Braintree’s message', async () => {
    const outcome = await charge('fake-processor-declined-visa-nonce');
    expect(outcome).toEqual({ status: 'declined', paymentRef: expect.stringMatching(/^[a-z0-9]{8}$/), message: 'Do Not Honor' });
    if (outcome.status !== 'declined' || !outcome.paymentRef) return;
    await expect(bed.gateway.fetchStatus(outcome.paymentRef)).resolves.toMatchObject({ status: 'declined', message: 'Do Not Honor' });
  });

  it('declines by the documented test amounts: 2000–2999.99 processor declined, 3000 failed, 5001 gateway rejected', async () => {
    await expect(charge('fake-valid-nonce', { amount: money(200100, 'USD') })).resolves.toMatchObject({
      status: 'declined',
      message: 'Insufficient Funds',
    });
    await expect(charge('fake-valid-nonce', { amount: money(300000, 'USD') })).resolves.toMatchObject({
      status: 'declined',
      message: 'Processor Network Unavailable - Try Again',
    });
    await expect(charge('fake-valid-nonce', { amount: money(500100, 'USD') })).resolves.toMatchObject({
      status: 'declined',
      message: 'Gateway rejected: application_incomplete',
    });
  });

  it('turns a gateway rejection for fraud into a decline', async () => {
    await expect(charge('fake-gateway-rejected-fraud-nonce')).resolves.toMatchObject({
      status: 'declined',
      message: 'Gateway rejected: fraud',
    });
  });

  it('turns validation errors (an unknown or used nonce) into a decline without a payment reference', async () => {
    await expect(charge('tokencc_sandbox_nosuchnonce')).resolves.toEqual({
      status: 'declined',
      paymentRef: null,
      message: 'Unknown or expired payment_method_nonce.',
    });
    await expect(charge('fake-consumed-nonce')).resolves.toEqual({
      status: 'declined',
      paymentRef: null,
      message: 'Cannot use a payment_method_nonce more than once.',
    });
  });

  it('captures a PayPal one-time nonce, which has no address or security-code check', async () => {
    const outcome = await charge('fake-paypal-one-time-nonce');
    expect(outcome).toMatchObject({
      status: 'captured',
      avs: {
        street: 'unchecked',
        postalCode: 'unchecked',
        cvc: 'unchecked',
        raw: { street: null, postalCode: null, cvc: null, error: null },
      },
    });
  });

  it('charges JPY through the JPY merchant account, with a whole-yen amount', async () => {
    const outcome = await charge('fake-valid-nonce', { amount: money(1500, 'JPY') });
    expect(outcome).toMatchObject({ status: 'captured', amount: money(1500, 'JPY') });
  });

  it('applies the test amounts to JPY in yen, as Braintree does for every currency', async () => {
    await expect(charge('fake-valid-nonce', { amount: money(2000, 'JPY') })).resolves.toMatchObject({
      status: 'declined',
      message: 'Do Not Honor',
    });
  });
});

describe('Braintree chargeNonce retries', () => {
  it('returns the first result for a retry with the same idempotency key and nonce', async () => {
    const request = chargeRequest('fake-valid-nonce');
    const chargeNonce = bed.gateway.chargeNonce!;
    const [first, second] = await Promise.all([chargeNonce(request), chargeNonce(request)]);
    const third = await chargeNonce(request);
    expect(first.status).toBe('captured');
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('never charges an order twice, even from another gateway instance with a new nonce and key', async () => {
    const first = await charge('fake-valid-nonce', { orderNumber: 'PS-RETRY-1' });
    const { createBraintreeGateway } = await import('../../server/payments/braintree/braintree.gateway');
    const otherInstance = createBraintreeGateway(bed.sandbox.gatewayOptions());
    const retried = await otherInstance.chargeNonce!(chargeRequest('fake-valid-mastercard-nonce', { orderNumber: 'PS-RETRY-1' }));
    expect(retried).toEqual(first);
  });

  it('lets the shopper try again with another nonce after a decline', async () => {
    const request = chargeRequest('fake-processor-declined-visa-nonce');
    await expect(bed.gateway.chargeNonce!(request)).resolves.toMatchObject({ status: 'declined' });
    await expect(bed.gateway.chargeNonce!({ ...request, nonce: 'fake-valid-nonce' })).resolves.toMatchObject({ status: 'captured' });
  });

  it('does not mistake an earlier order with the same number but another amount for a retry', async () => {
    const first = await charge('fake-valid-nonce', { orderNumber: 'PS-REUSED-1' });
    const second = await charge('fake-valid-nonce', { orderNumber: 'PS-REUSED-1', amount: money(1200, 'USD') });
    expect(second.status).toBe('captured');
    expect(second.status === 'captured' && first.status === 'captured' && second.paymentRef !== first.paymentRef).toBe(true);
  });
});

describe('Braintree findCharge (an order’s charge found without its transaction id)', () => {
  const find = (request: ReturnType<typeof chargeRequest>) => {
    const findCharge = bed.gateway.findCharge;
    if (!findCharge) throw new Error('the Braintree gateway looks charges up by order');
    return findCharge({ orderNumber: request.orderNumber, amount: request.amount, email: request.email });
  };

  it('finds the sale of an order by its order number, amount and e-mail, as its outcome', async () => {
    const request = chargeRequest('fake-valid-nonce');
    const charged = await bed.gateway.chargeNonce!(request);
    expect(charged.status).toBe('captured');
    expect(await find(request)).toEqual(charged);
    // Another process, knowing only the order, finds the same charge.
    const { createBraintreeGateway } = await import('../../server/payments/braintree/braintree.gateway');
    const other = createBraintreeGateway(bed.sandbox.gatewayOptions());
    expect(await other.findCharge!({ orderNumber: request.orderNumber, amount: request.amount, email: request.email })).toEqual(charged);
  });

  it('finds an authorisation awaiting capture', async () => {
    const request = chargeRequest('fake-valid-nonce', { captureLater: true });
    await bed.gateway.chargeNonce!(request);
    await expect(find(request)).resolves.toMatchObject({ status: 'authorised' });
  });

  it('finds nothing for an order never charged, a declined one, or another amount or e-mail', async () => {
    expect(await find(chargeRequest('fake-valid-nonce'))).toBeNull();
    const declined = chargeRequest('fake-processor-declined-visa-nonce');
    await expect(bed.gateway.chargeNonce!(declined)).resolves.toMatchObject({ status: 'declined' });
    expect(await find(declined)).toBeNull();
    const paid = chargeRequest('fake-valid-nonce');
    await bed.gateway.chargeNonce!(paid);
    expect(await find({ ...paid, amount: money(paid.amount.amount + 1, 'USD') })).toBeNull();
    expect(await find({ ...paid, email: 'someone.else@example.com' })).toBeNull();
  });

  it('finds nothing once the sale was voided', async () => {
    const request = chargeRequest('fake-valid-nonce');
    const charged = await bed.gateway.chargeNonce!(request);
    await expect(bed.gateway.cancel(charged.paymentRef!, 'void-1')).resolves.toMatchObject({ status: 'cancelled' });
    expect(await find(request)).toBeNull();
  });
});
