import type Stripe from 'stripe';
import type { Money } from '../../money';
import type { PaymentOutcome, RefundOutcome } from '../payment-gateway';
import { callStripe, tryStripe } from './stripe-errors';
import { fromStripeAmount, toStripeAmount } from './stripe-money';
import { outcomeOfPaymentIntent, outcomeOfSession } from './stripe-outcome';

const isSessionId = (ref: string) => ref.startsWith('cs_');

/**
 * Status, capture, cancel and refund of Stripe payments. References are Checkout Session ids
 * (`cs_…`, the checkoutRef) or PaymentIntent ids (`pi_…`, the paymentRef). Refusals Stripe
 * answers because of the payment's state come back as the payment's current state (capture,
 * cancel) or as a refused refund; faults throw GatewayUnavailableError.
 */
export class StripePaymentActions {
  constructor(private readonly stripe: Stripe) {}

  async fetchStatus(ref: string): Promise<PaymentOutcome> {
    if (!isSessionId(ref)) return outcomeOfPaymentIntent(await this.paymentIntent(ref));
    const session = await callStripe(`retrieving session ${ref}`, () =>
      this.stripe.checkout.sessions.retrieve(ref, { expand: ['payment_intent.latest_charge'] }),
    );
    const pi = typeof session.payment_intent === 'string' ? await this.paymentIntent(session.payment_intent) : session.payment_intent;
    return outcomeOfSession(session, pi);
  }

  async capture(paymentRef: string, amount: Money, idempotencyKey: string): Promise<PaymentOutcome> {
    const id = await this.paymentIntentId(paymentRef);
    if (!id) return this.fetchStatus(paymentRef); // nothing was paid on that page yet
    const result = await tryStripe(`capturing ${id}`, () =>
      this.stripe.paymentIntents.capture(id, { amount_to_capture: toStripeAmount(amount), expand: ['latest_charge'] }, { idempotencyKey }),
    );
    if (result.ok) return outcomeOfPaymentIntent(result.value);
    if (result.refusal.type === 'card_error') return { status: 'declined', paymentRef: id, message: result.refusal.message };
    // Already captured, voided or expired: the payment's state is the answer.
    return this.fetchStatus(id);
  }

  async cancel(ref: string, idempotencyKey: string): Promise<PaymentOutcome> {
    if (isSessionId(ref)) {
      // Stripe refuses a key reused on another endpoint; callers may cancel the session and later
      // its PaymentIntent with one key, so the session's expiry gets a key of its own.
      const result = await tryStripe(`expiring session ${ref}`, () =>
        this.stripe.checkout.sessions.expire(ref, {}, { idempotencyKey: `${idempotencyKey}:expire` }),
      );
      if (!result.ok) return this.fetchStatus(ref); // completed or already expired: say what it is
      const pi = result.value.payment_intent;
      return { status: 'cancelled', paymentRef: typeof pi === 'string' ? pi : (pi?.id ?? null) };
    }
    const result = await tryStripe(`cancelling ${ref}`, () =>
      this.stripe.paymentIntents.cancel(ref, { expand: ['latest_charge'] }, { idempotencyKey }),
    );
    return result.ok ? outcomeOfPaymentIntent(result.value) : this.fetchStatus(ref);
  }

  async refund(paymentRef: string, amount: Money, idempotencyKey: string): Promise<RefundOutcome> {
    const id = await this.paymentIntentId(paymentRef);
    if (!id) return { status: 'refused', message: `Nothing was paid through ${paymentRef}` };
    const result = await tryStripe(`refunding ${id}`, () =>
      this.stripe.refunds.create({ payment_intent: id, amount: toStripeAmount(amount) }, { idempotencyKey }),
    );
    if (!result.ok) return { status: 'refused', message: result.refusal.message };
    const refund = result.value;
    if (refund.status === 'failed' || refund.status === 'canceled') {
      return {
        status: 'refused',
        message: `Stripe refund ${refund.id} ${refund.status}${refund.failure_reason ? `: ${refund.failure_reason}` : ''}`,
      };
    }
    return { status: 'refunded', refundRef: refund.id, amount: fromStripeAmount(refund.amount, refund.currency) };
  }

  private paymentIntent(id: string): Promise<Stripe.PaymentIntent> {
    return callStripe(`retrieving ${id}`, () => this.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }));
  }

  /** The PaymentIntent behind a reference: itself, or the one the session created (null before any attempt). */
  private async paymentIntentId(ref: string): Promise<string | null> {
    if (!isSessionId(ref)) return ref;
    const session = await callStripe(`retrieving session ${ref}`, () => this.stripe.checkout.sessions.retrieve(ref));
    const pi = session.payment_intent;
    return typeof pi === 'string' ? pi : (pi?.id ?? null);
  }
}
