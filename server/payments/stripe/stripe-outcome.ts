import type Stripe from 'stripe';
import type { PaymentOutcome } from '../payment-gateway';
import { avsFromCharge } from './stripe-avs';
import { stripeUnavailable } from './stripe-errors';
import { fromStripeAmount } from './stripe-money';

/** The PaymentIntent's latest charge, when it was expanded. */
function expandedCharge(pi: Stripe.PaymentIntent): Stripe.Charge | null {
  return typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
}

function amountOf(amount: number, currency: string, what: string) {
  try {
    return fromStripeAmount(amount, currency);
  } catch (err) {
    throw stripeUnavailable(`reading ${what}`, err);
  }
}

/**
 * The store's view of one PaymentIntent (expanded with `latest_charge` for the checks):
 * - succeeded → captured, for the amount received;
 * - requires_capture → authorised, for the amount still capturable;
 * - canceled → cancelled;
 * - requires_payment_method after a failed attempt → declined (the shopper may try again);
 * - processing, requires_action, requires_confirmation, requires_payment_method → pending.
 */
export function outcomeOfPaymentIntent(pi: Stripe.PaymentIntent): PaymentOutcome {
  switch (pi.status) {
    case 'succeeded':
      return {
        status: 'captured',
        paymentRef: pi.id,
        amount: amountOf(pi.amount_received, pi.currency, pi.id),
        avs: avsFromCharge(expandedCharge(pi)),
      };
    case 'requires_capture':
      return {
        status: 'authorised',
        paymentRef: pi.id,
        amount: amountOf(pi.amount_capturable, pi.currency, pi.id),
        avs: avsFromCharge(expandedCharge(pi)),
      };
    case 'canceled':
      return { status: 'cancelled', paymentRef: pi.id };
    case 'requires_payment_method':
      if (pi.last_payment_error) {
        return { status: 'declined', paymentRef: pi.id, message: pi.last_payment_error.message ?? 'The payment was declined' };
      }
      return { status: 'pending', paymentRef: pi.id };
    default:
      return { status: 'pending', paymentRef: pi.id };
  }
}

/**
 * The store's view of a Checkout Session, its PaymentIntent expanded (with `latest_charge`):
 * - expired → expired;
 * - open → pending while the shopper is on the page (declined if their last attempt was refused);
 * - complete → the PaymentIntent decides: captured, authorised (manual capture), or pending while
 *   an asynchronous method (`payment_status` unpaid) is still processing.
 */
export function outcomeOfSession(session: Stripe.Checkout.Session, pi: Stripe.PaymentIntent | null): PaymentOutcome {
  const paymentRef = pi?.id ?? (typeof session.payment_intent === 'string' ? session.payment_intent : null);
  switch (session.status) {
    case 'expired':
      return { status: 'expired', paymentRef };
    case 'complete':
      return pi ? outcomeOfPaymentIntent(pi) : { status: 'pending', paymentRef };
    default: {
      const attempt = pi ? outcomeOfPaymentIntent(pi) : null;
      return attempt?.status === 'declined' ? attempt : { status: 'pending', paymentRef };
    }
  }
}
