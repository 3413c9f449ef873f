import Stripe from 'stripe';
import { money } from '../../server/money';
import type { PaymentOutcome } from '../../server/payments/payment-gateway';
import { pageText } from '../support/stripe-checkout-browser';
import { paymentRequest, startCheckout, startStripeTestBed, type StripeTestBed } from '../support/stripe-test-bed';
import { useTeardown } from '../support/teardown';

let bed: StripeTestBed;
const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startStripeTestBed(), (b) => b.stop());
});

const usd = (amount: number) => money(amount, 'USD');

/** Pays a new checkout with a card and returns the PaymentIntent id and the outcome. */
async function paid(
  options: { captureLater?: boolean; cardNumber?: string; currency?: string } = {},
): Promise<{ sessionId: string; outcome: PaymentOutcome; paymentRef: string }> {
  const { sessionId, url } = await startCheckout(
    bed.gateway,
    paymentRequest({ captureLater: options.captureLater ?? false, currency: options.currency }),
  );
  expect((await bed.browser.pay(url, { cardNumber: options.cardNumber ?? '4242424242424242' })).status).toBe(303);
  const outcome = await bed.gateway.fetchStatus(sessionId);
  if (outcome.status !== 'captured' && outcome.status !== 'authorised') throw new Error(`unexpected ${outcome.status}`);
  return { sessionId, outcome, paymentRef: outcome.paymentRef };
}

describe('Stripe manual capture', () => {
  it('authorises, then captures, and the session then says captured', async () => {
    const { sessionId, outcome, paymentRef } = await paid({ captureLater: true });
    expect(outcome).toMatchObject({ status: 'authorised', amount: usd(4948), avs: { street: 'pass', postalCode: 'pass', cvc: 'pass' } });

    const captured = await bed.gateway.capture(paymentRef, usd(4948), 'capture-key-1');
    expect(captured).toMatchObject({ status: 'captured', paymentRef, amount: usd(4948), avs: { street: 'pass' } });
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toMatchObject({ status: 'captured', amount: usd(4948) });
    // Capturing again (another key) answers the payment's state instead of failing.
    await expect(bed.gateway.capture(paymentRef, usd(4948), 'capture-key-2')).resolves.toMatchObject({ status: 'captured' });
  });

  it('keeps the address check results of an authorised payment (0010: street and postal code fail)', async () => {
    const { outcome } = await paid({ captureLater: true, cardNumber: '4000000000000010' });
    expect(outcome).toMatchObject({ status: 'authorised', avs: { street: 'fail', postalCode: 'fail', cvc: 'pass' } });
  });

  it('voids an authorised payment: cancelled, and it can no longer be captured or refunded', async () => {
    const { paymentRef } = await paid({ captureLater: true });
    await expect(bed.gateway.cancel(paymentRef, 'void-1')).resolves.toEqual({ status: 'cancelled', paymentRef });
    await expect(bed.gateway.fetchStatus(paymentRef)).resolves.toEqual({ status: 'cancelled', paymentRef });
    await expect(bed.gateway.capture(paymentRef, usd(4948), 'capture-after-void')).resolves.toEqual({ status: 'cancelled', paymentRef });
    await expect(bed.gateway.refund(paymentRef, usd(100), 'refund-after-void')).resolves.toMatchObject({ status: 'refused' });
  });

  it('cancels the session and then its authorisation with one idempotency key', async () => {
    const { sessionId, paymentRef } = await paid({ captureLater: true });
    await expect(bed.gateway.cancel(sessionId, 'attempt-7:cancel')).resolves.toMatchObject({ status: 'authorised', paymentRef });
    await expect(bed.gateway.cancel(paymentRef, 'attempt-7:cancel')).resolves.toEqual({ status: 'cancelled', paymentRef });
  });

  it('refuses to refund an authorisation that was not captured', async () => {
    const { paymentRef } = await paid({ captureLater: true });
    const refund = await bed.gateway.refund(paymentRef, usd(100), 'refund-uncaptured');
    expect(refund).toEqual({ status: 'refused', message: expect.stringContaining('has not been captured') });
  });
});

describe('Stripe cancel', () => {
  it('expires an open session: cancelled, then expired, and the hosted page refuses payment', async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    await expect(bed.gateway.cancel(sessionId, 'cancel-open')).resolves.toEqual({ status: 'cancelled', paymentRef: null });
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toEqual({ status: 'expired', paymentRef: null });
    const page = await bed.browser.open(url);
    expect(page.html).toContain('This checkout session has expired');
    const attempt = await bed.browser.pay(url, { cardNumber: '4242424242424242' });
    expect(attempt.status).toBe(410);
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toMatchObject({ status: 'expired' });
  });

  it('on a completed session answers what the payment is instead of failing', async () => {
    const { sessionId, paymentRef } = await paid();
    await expect(bed.gateway.cancel(sessionId, 'cancel-complete')).resolves.toMatchObject({ status: 'captured', paymentRef });
  });

  it('after a decline expires the session, and the declined attempt is cancelled with it', async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    await bed.browser.pay(url, { cardNumber: '4000000000000002' });
    const cancelled = await bed.gateway.cancel(sessionId, 'cancel-declined');
    expect(cancelled).toEqual({ status: 'cancelled', paymentRef: expect.stringMatching(/^pi_/) });
    if (cancelled.status !== 'cancelled' || !cancelled.paymentRef) return;
    await expect(bed.gateway.fetchStatus(cancelled.paymentRef)).resolves.toEqual({ status: 'cancelled', paymentRef: cancelled.paymentRef });
  });
});

describe('Stripe refunds', () => {
  it('refunds part, then the rest, then refuses more; never more than was captured', async () => {
    const { paymentRef } = await paid();
    await expect(bed.gateway.refund(paymentRef, usd(1000), 'refund-1')).resolves.toEqual({
      status: 'refunded',
      refundRef: expect.stringMatching(/^re_/),
      amount: usd(1000),
    });
    const tooMuch = await bed.gateway.refund(paymentRef, usd(3949), 'refund-too-much');
    expect(tooMuch).toEqual({ status: 'refused', message: 'Refund amount ($39.49) is greater than unrefunded amount on charge ($39.48)' });
    await expect(bed.gateway.refund(paymentRef, usd(3948), 'refund-2')).resolves.toMatchObject({ status: 'refunded', amount: usd(3948) });
    const more = await bed.gateway.refund(paymentRef, usd(1), 'refund-3');
    expect(more).toEqual({ status: 'refused', message: expect.stringContaining('has already been refunded') });
  });

  it('replays a refund retried with the same key instead of refunding twice', async () => {
    const { paymentRef } = await paid();
    const first = await bed.gateway.refund(paymentRef, usd(2000), 'refund-same-key');
    const again = await bed.gateway.refund(paymentRef, usd(2000), 'refund-same-key');
    expect(again).toEqual(first);
    await expect(bed.gateway.refund(paymentRef, usd(2948), 'refund-rest')).resolves.toMatchObject({ status: 'refunded' });
  });
});

describe('Stripe in a zero-decimal currency (JPY)', () => {
  it('charges and refunds whole yen, never multiplied or divided by 100', async () => {
    const request = paymentRequest({ currency: 'JPY' });
    expect(request.amount).toEqual(money(4100, 'JPY')); // 2 × 1500 + 300 + 800
    const { sessionId, url } = await startCheckout(bed.gateway, request);
    const page = await bed.browser.open(url);
    expect(pageText(page.html)).toContain('¥4,100');

    const stripe = new Stripe(bed.secretKey, { ...bed.sandbox.gatewayOptions().api, maxNetworkRetries: 0 });
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({ currency: 'jpy', amount_total: 4100 });

    await bed.browser.pay(url, { cardNumber: '4242424242424242' });
    const outcome = await bed.gateway.fetchStatus(sessionId);
    expect(outcome).toMatchObject({ status: 'captured', amount: money(4100, 'JPY') });
    if (outcome.status !== 'captured') return;
    await expect(bed.gateway.refund(outcome.paymentRef, money(1000, 'JPY'), 'yen-1')).resolves.toMatchObject({
      status: 'refunded',
      amount: money(1000, 'JPY'),
    });
    await expect(bed.gateway.refund(outcome.paymentRef, money(3101, 'JPY'), 'yen-2')).resolves.toEqual({
      status: 'refused',
      message: 'Refund amount (¥3,101) is greater than unrefunded amount on charge (¥3,100)',
    });
    await expect(bed.gateway.refund(outcome.paymentRef, money(3100, 'JPY'), 'yen-3')).resolves.toMatchObject({
      status: 'refunded',
      amount: money(3100, 'JPY'),
    });
  });
});
