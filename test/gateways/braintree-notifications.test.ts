import { money } from '../../server/money';
import type { NormalisedCallback } from '../../server/payments/payment-gateway';
import { chargeRequest } from '../support/braintree-requests';
import { startBraintreeTestBed, type BraintreeTestBed } from '../support/braintree-test-bed';
import { WebhookReceiver, type ReceivedWebhook } from '../support/braintree-webhook-receiver';
import { Teardown } from '../support/teardown';

let bed: BraintreeTestBed;
let receiver: WebhookReceiver;
/** What the current test started. */
let started: Teardown;

beforeEach(async () => {
  started = new Teardown();
  receiver = await started.track(new WebhookReceiver().start(), (r) => r.stop());
});
afterEach(() => started.run());

async function startWith(settleAfterMs: number): Promise<void> {
  bed = await started.track(startBraintreeTestBed({ settleAfterMs, firstRetryMs: 50 }), (b) => b.close());
  bed.sandbox.setCallbackTarget(receiver.url, { headers: { 'X-Test-Run': 'braintree' } });
}

async function paidRef(captureLater = false): Promise<string> {
  const outcome = await bed.gateway.chargeNonce!(chargeRequest('fake-valid-nonce', { captureLater }));
  if (outcome.status !== 'captured' && outcome.status !== 'authorised') throw new Error(JSON.stringify(outcome));
  return outcome.paymentRef;
}

const parse = (webhook: ReceivedWebhook): Promise<NormalisedCallback> =>
  bed.gateway.parseCallback({ headers: webhook.headers, rawBody: webhook.rawBody });

describe('Braintree sandbox webhooks', () => {
  it('sends a signed, form-encoded transaction_settled once a capture settles', async () => {
    await startWith(100);
    const ref = await paidRef();
    const [webhook] = await receiver.waitFor(1);
    expect(webhook?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(webhook?.headers['x-test-run']).toBe('braintree');
    expect(Object.fromEntries(new URLSearchParams(webhook?.rawBody.toString()))).toEqual({
      bt_signature: expect.stringMatching(/^padlock_test_public\|[0-9a-f]{40}$/),
      bt_payload: expect.stringMatching(/^[A-Za-z0-9+/=\n]+$/),
    });
    await expect(parse(webhook)).resolves.toMatchObject({
      type: 'transaction_settled',
      kind: 'payment_succeeded',
      ref,
      amount: money(6900, 'USD'),
    });
    await expect(bed.gateway.fetchStatus(ref)).resolves.toMatchObject({ status: 'captured' });
  });

  it('settles on demand (settleNow) without waiting', async () => {
    await startWith(60 * 60_000);
    const ref = await paidRef();
    bed.sandbox.settleNow(ref);
    const [webhook] = await receiver.waitFor(1);
    await expect(parse(webhook)).resolves.toMatchObject({ kind: 'payment_succeeded', ref });
  });

  it('settles a capture of an authorisation too', async () => {
    await startWith(100);
    const ref = await paidRef(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(0);
    await bed.gateway.capture(ref, money(6900, 'USD'), 'capture-1');
    const [webhook] = await receiver.waitFor(1);
    await expect(parse(webhook)).resolves.toMatchObject({ kind: 'payment_succeeded', ref });
  });

  it('retries with the same notification when the store answers 500 first', async () => {
    await startWith(60 * 60_000);
    receiver.failNext(500);
    const ref = await paidRef();
    bed.sandbox.settleNow(ref);
    const [first, second] = await receiver.waitFor(2);
    expect(first?.answeredWith).toBe(500);
    expect(second?.answeredWith).toBe(200);
    expect(second?.rawBody.equals(first.rawBody)).toBe(true);
    const [a, b] = await Promise.all([parse(first), parse(second)]);
    expect(b.eventId).toBe(a.eventId);
  });

  it('sends transaction_settlement_declined when the bank declines the settlement', async () => {
    await startWith(60 * 60_000);
    const ref = await paidRef();
    bed.sandbox.declineSettlement(ref);
    const [webhook] = await receiver.waitFor(1);
    await expect(parse(webhook)).resolves.toMatchObject({ kind: 'payment_failed', ref });
    await expect(bed.gateway.fetchStatus(ref)).resolves.toMatchObject({ status: 'declined', message: 'Settlement Declined' });
  });

  it('sends dispute_opened for a chargeback on a settled payment', async () => {
    await startWith(60 * 60_000);
    const ref = await paidRef();
    bed.sandbox.settleNow(ref);
    const disputeId = bed.sandbox.openDispute(ref);
    const callbacks = await Promise.all((await receiver.waitFor(2)).map(parse));
    expect(callbacks.map((c) => c.kind).sort()).toEqual(['dispute_opened', 'payment_succeeded']);
    expect(callbacks.find((c) => c.kind === 'dispute_opened')).toMatchObject({
      kind: 'dispute_opened',
      ref,
      amount: money(6900, 'USD'),
      eventId: expect.stringContaining(`dispute_opened:${disputeId}:`),
    });
  });

  it('sends nothing for a voided payment', async () => {
    await startWith(100);
    const ref = await paidRef();
    await bed.gateway.cancel(ref, 'void-1');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received).toHaveLength(0);
  });
});
