import Stripe from 'stripe';
import { money } from '../../server/money';
import { CallbackVerificationError, type NormalisedCallback, type RawCallback } from '../../server/payments/payment-gateway';
import { createStripeGateway } from '../../server/payments/stripe/stripe.gateway';
import { holdRefusingPort } from '../support/loopback';
import { paymentRequest, startCheckout, startStripeTestBed, type StripeTestBed } from '../support/stripe-test-bed';
import type { ReceivedWebhook } from '../support/stripe-webhook-receiver';
import { useTeardown } from '../support/teardown';

let bed: StripeTestBed;
const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startStripeTestBed({ firstRetryMs: 50 }), (b) => b.stop());
});

const usd = (amount: number) => money(amount, 'USD');
const raw = (r: ReceivedWebhook): RawCallback => ({ headers: r.headers, rawBody: r.rawBody });
const eventId = (r: ReceivedWebhook): string => JSON.parse(r.rawBody.toString('utf8')).id;

/** Requests the receiver got for events of this type about this object. */
function deliveries(type: string, objectId: string): ReceivedWebhook[] {
  return bed.receiver.received.filter((r) => {
    const event = JSON.parse(r.rawBody.toString('utf8'));
    return event.type === type && (event.data.object.id === objectId || event.data.object.payment_intent === objectId);
  });
}

async function delivered(type: string, objectId: string, count = 1): Promise<ReceivedWebhook[]> {
  await bed.receiver.waitFor(() => deliveries(type, objectId).length >= count);
  return deliveries(type, objectId);
}

async function eventually<T>(check: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function paidSession(cardNumber = '4242424242424242', captureLater = false): Promise<{ sessionId: string; paymentRef: string }> {
  const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest({ captureLater }));
  expect((await bed.browser.pay(url, { cardNumber })).status).toBe(303);
  const outcome = await bed.gateway.fetchStatus(sessionId);
  if (outcome.status !== 'captured' && outcome.status !== 'authorised') throw new Error(outcome.status);
  return { sessionId, paymentRef: outcome.paymentRef };
}

function signed(payload: string, options: { secret?: string; timestamp?: number } = {}): RawCallback {
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? bed.webhookSecret,
    timestamp: options.timestamp,
  });
  return { headers: { 'stripe-signature': header }, rawBody: Buffer.from(payload) };
}

async function rejection(callback: RawCallback, gateway = bed.gateway): Promise<string> {
  const error = await gateway.parseCallback(callback).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CallbackVerificationError);
  return (error as CallbackVerificationError).reason;
}

describe('Stripe webhooks: delivery and verification', () => {
  it('delivers checkout.session.completed signed, and parseCallback reads it as payment_succeeded for the session', async () => {
    const { sessionId } = await paidSession();
    const [request] = await delivered('checkout.session.completed', sessionId);
    expect(request.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    const callback = await bed.gateway.parseCallback(raw(request));
    expect(callback).toEqual<NormalisedCallback>({
      gateway: 'stripe',
      eventId: expect.stringMatching(/^evt_/),
      type: 'checkout.session.completed',
      kind: 'payment_succeeded',
      ref: sessionId,
      amount: usd(4948),
      occurredAt: expect.any(Date),
    });
    expect(Math.abs(callback.occurredAt.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('refuses a tampered body, a wrong secret, a missing header, and a signature older or newer than five minutes', async () => {
    const { sessionId } = await paidSession();
    const [request] = await delivered('checkout.session.completed', sessionId);
    const body = request.rawBody.toString('utf8');

    const tampered = { ...raw(request), rawBody: Buffer.from(body.replace('"amount_total": 4948', '"amount_total": 1')) };
    expect(tampered.rawBody.equals(request.rawBody)).toBe(false);
    expect(await rejection(tampered)).toBe('bad_signature');

    const otherSecret = createStripeGateway({
      ...bed.sandbox.gatewayOptions(),
      secretKey: bed.secretKey,
      webhookSecret: 'whsec_someoneElsesSecret',
    });
    expect(await rejection(raw(request), otherSecret)).toBe('bad_signature');

    expect(await rejection({ headers: {}, rawBody: request.rawBody })).toBe('missing_signature');
    expect(await rejection({ headers: { 'stripe-signature': 't=1,v1=abc' }, rawBody: request.rawBody })).toBe('bad_signature');

    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(signed(body, { timestamp: now - 301 }))).toBe('stale');
    expect(await rejection(signed(body, { timestamp: now + 400 }))).toBe('stale');
    await expect(bed.gateway.parseCallback(signed(body, { timestamp: now - 290 }))).resolves.toMatchObject({
      kind: 'payment_succeeded',
      ref: sessionId,
    });
    // A stale signature made with the wrong secret is a bad signature first.
    expect(await rejection(signed(body, { timestamp: now - 400, secret: 'whsec_wrong' }))).toBe('bad_signature');
    expect(await rejection(signed('{not json', {}))).toBe('malformed');
  });

  it('retries until the endpoint answers 2xx: 500, 500, then 200 on the third attempt', async () => {
    bed.receiver.respondWith(500, 500);
    const { sessionId } = await paidSession();
    const requests = await delivered('checkout.session.completed', sessionId, 3);
    expect(requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(requests.map(eventId)).size).toBe(1);
    for (const r of requests) await expect(bed.gateway.parseCallback(raw(r))).resolves.toMatchObject({ ref: sessionId });
    // Delivered in the end: not a missed callback.
    await eventually(async () => {
      const missed = await bed.gateway.missedCallbacks!(new Date(Date.now() - 60_000));
      expect(missed.map((c) => c.eventId)).not.toContain(eventId(requests[0]));
    });
  });
});

describe('Stripe webhooks: missed callbacks', () => {
  it('lists events the endpoint never got, oldest first, and not the delivered ones', async () => {
    const since = new Date(Date.now() - 1000);
    const { sessionId: deliveredSession } = await paidSession();
    const [deliveredRequest] = await delivered('checkout.session.completed', deliveredSession);

    // The store is down: nothing listens where the endpoint is.
    const down = await holdRefusingPort();
    bed.sandbox.setCallbackTarget(`https://localhost:${down.port}/webhooks/stripe`, { ca: bed.tls.cert });
    let first: string;
    let second: string;
    try {
      first = (await paidSession()).sessionId;
      second = (await paidSession()).sessionId;
    } finally {
      bed.sandbox.setCallbackTarget(bed.receiverUrl, { ca: bed.tls.cert });
      down.release();
    }

    const missed = await bed.gateway.missedCallbacks!(since);
    const refs = missed.filter((c) => c.type === 'checkout.session.completed').map((c) => c.ref);
    expect(refs).toEqual([first, second]);
    expect(missed.map((c) => c.eventId)).not.toContain(eventId(deliveredRequest));
    expect(missed.every((c) => c.gateway === 'stripe' && c.kind === 'payment_succeeded')).toBe(true);
    // Nothing older than `since` is listed.
    expect(await bed.gateway.missedCallbacks!(new Date(Date.now() + 60_000))).toEqual([]);
  });
});

describe('Stripe webhooks: what each event means', () => {
  it('charge.refunded is refund_succeeded for the PaymentIntent, with the total refunded so far', async () => {
    const { paymentRef } = await paidSession();
    await bed.gateway.refund(paymentRef, usd(1000), 'wh-refund-1');
    await bed.gateway.refund(paymentRef, usd(2000), 'wh-refund-2');
    const requests = await delivered('charge.refunded', paymentRef, 2);
    const callbacks = await Promise.all(requests.map((r) => bed.gateway.parseCallback(raw(r))));
    expect(callbacks.map((c) => [c.kind, c.ref, c.amount])).toEqual([
      ['refund_succeeded', paymentRef, usd(1000)],
      ['refund_succeeded', paymentRef, usd(3000)],
    ]);
  });

  it('4000 0000 0000 0259 is captured, then disputed: dispute_opened for the PaymentIntent', async () => {
    const { paymentRef } = await paidSession('4000000000000259');
    const [request] = await delivered('charge.dispute.created', paymentRef);
    await expect(bed.gateway.parseCallback(raw(request))).resolves.toMatchObject({
      kind: 'dispute_opened',
      ref: paymentRef,
      amount: usd(4948),
    });
    // A disputed charge cannot be refunded (the dispute takes the money back).
    await expect(bed.gateway.refund(paymentRef, usd(100), 'refund-disputed')).resolves.toMatchObject({ status: 'refused' });
  });

  it('createDispute opens a dispute on any captured payment', async () => {
    const { paymentRef } = await paidSession();
    const dispute = bed.sandbox.createDispute(paymentRef);
    expect(dispute).toMatchObject({
      object: 'dispute',
      payment_intent: paymentRef,
      amount: 4948,
      currency: 'usd',
      status: 'needs_response',
    });
    const [request] = await delivered('charge.dispute.created', paymentRef);
    await expect(bed.gateway.parseCallback(raw(request))).resolves.toMatchObject({ kind: 'dispute_opened', ref: paymentRef });
  });

  it('checkout.session.expired (time ran out) is payment_expired for the session', async () => {
    const { sessionId } = await startCheckout(bed.gateway, paymentRequest());
    expect(bed.sandbox.expireSession(sessionId)).toMatchObject({ status: 'expired' });
    const [request] = await delivered('checkout.session.expired', sessionId);
    await expect(bed.gateway.parseCallback(raw(request))).resolves.toMatchObject({
      kind: 'payment_expired',
      ref: sessionId,
      amount: usd(4948),
    });
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toEqual({ status: 'expired', paymentRef: null });
  });

  it('a manual-capture session completes unpaid and is still payment_succeeded (fetchStatus then says authorised)', async () => {
    const { sessionId } = await paidSession('4242424242424242', true);
    const [request] = await delivered('checkout.session.completed', sessionId);
    expect(JSON.parse(request.rawBody.toString('utf8')).data.object.payment_status).toBe('unpaid');
    await expect(bed.gateway.parseCallback(raw(request))).resolves.toMatchObject({ kind: 'payment_succeeded', ref: sessionId });
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toMatchObject({ status: 'authorised' });
  });

  it('async payment events, an unpaid completion by a delayed method, and other types', async () => {
    const { sessionId } = await paidSession();
    const [request] = await delivered('checkout.session.completed', sessionId);
    const event = JSON.parse(request.rawBody.toString('utf8'));
    const as = (changes: Record<string, unknown>, object: Record<string, unknown> = {}) =>
      signed(
        JSON.stringify({
          ...event,
          id: `evt_test_${Math.random().toString(36).slice(2)}`,
          ...changes,
          data: { object: { ...event.data.object, ...object } },
        }),
      );

    await expect(bed.gateway.parseCallback(as({ type: 'checkout.session.async_payment_succeeded' }))).resolves.toMatchObject({
      kind: 'payment_succeeded',
      ref: sessionId,
    });
    await expect(
      bed.gateway.parseCallback(as({ type: 'checkout.session.async_payment_failed' }, { payment_status: 'unpaid' })),
    ).resolves.toMatchObject({ kind: 'payment_failed', ref: sessionId });
    // Completed but unpaid with automatic capture: a bank debit still processing; its own event follows.
    await expect(bed.gateway.parseCallback(as({}, { payment_status: 'unpaid' }))).resolves.toMatchObject({ kind: 'ignored' });
    await expect(bed.gateway.parseCallback(as({ type: 'payment_intent.created' }))).resolves.toMatchObject({
      kind: 'ignored',
      ref: null,
      amount: null,
    });
  });
});
