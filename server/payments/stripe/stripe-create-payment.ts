import type Stripe from 'stripe';
import { multiply, sum, type Money } from '../../money';
import type { CreatedPayment, CreatePaymentRequest } from '../payment-gateway';
import { callStripe, stripeUnavailable } from './stripe-errors';
import { toStripeAmount, toStripeCurrency } from './stripe-money';

/** Session metadata key telling a manual-capture session apart when it completes unpaid (see stripe-event-normaliser). */
export const CAPTURE_METADATA_KEY = 'capture_method';

/** Stripe accepts `expires_at` from 30 minutes to 24 hours after the session is created. */
const MIN_LIFETIME_S = 30 * 60;
const MAX_LIFETIME_S = 24 * 60 * 60;
/**
 * When the order's reservation ends sooner than Stripe's minimum, the session lives a little
 * longer than 30 minutes (the store expires it itself when the order lapses). The floor is
 * rounded up to 5 minutes so that a retry with the same idempotency key a moment later sends
 * the same parameters, which Stripe requires of a replayed key.
 */
const FLOOR_MARGIN_S = 60;
const FLOOR_ROUNDING_S = 5 * 60;

/** `expires_at` for a session: the order's own deadline, kept inside Stripe's allowed window. */
export function sessionExpiresAt(expiresAt: Date, now: Date): number {
  const nowS = Math.floor(now.getTime() / 1000);
  const floor = Math.ceil((nowS + MIN_LIFETIME_S + FLOOR_MARGIN_S) / FLOOR_ROUNDING_S) * FLOOR_ROUNDING_S;
  const wanted = Math.floor(expiresAt.getTime() / 1000);
  return Math.min(Math.max(wanted, floor), nowS + MAX_LIFETIME_S);
}

function lineItem(name: string, unitPrice: Money, quantity: number): Stripe.Checkout.SessionCreateParams.LineItem {
  return {
    quantity,
    price_data: { currency: toStripeCurrency(unitPrice.currency), unit_amount: toStripeAmount(unitPrice), product_data: { name } },
  };
}

/**
 * The session's line items: the order lines plus shipping. Stripe charges what its line items
 * add up to, so if they ever disagree with the order's amount (a discount, a rounding rule), one
 * line for the whole order is sent instead: the shopper must be charged exactly the order's amount.
 */
function lineItems(request: CreatePaymentRequest): Stripe.Checkout.SessionCreateParams.LineItem[] {
  const { amount, lines, shipping, orderNumber } = request;
  const itemised = [
    ...lines.map((l) => ({ name: l.name, unitPrice: l.unitPrice, quantity: l.quantity })),
    ...(shipping.amount > 0 ? [{ name: 'Shipping', unitPrice: shipping, quantity: 1 }] : []),
  ];
  const consistent =
    itemised.length > 0 &&
    itemised.every(
      (l) => l.unitPrice.currency === amount.currency && Number.isSafeInteger(l.quantity) && l.quantity > 0 && l.unitPrice.amount >= 0,
    ) &&
    sum(
      itemised.map((l) => multiply(l.unitPrice, l.quantity)),
      amount.currency,
    ).amount === amount.amount;
  if (!consistent) return [lineItem(`Order ${orderNumber}`, amount, 1)];
  return itemised.map((l) => lineItem(l.name, l.unitPrice, l.quantity));
}

/** The Checkout Session parameters for one order attempt (hosted page, card details typed only at Stripe). */
export function sessionCreateParams(request: CreatePaymentRequest, now: Date): Stripe.Checkout.SessionCreateParams {
  const metadata = { order_id: String(request.orderId), order_number: request.orderNumber };
  const captureMethod = request.captureLater ? 'manual' : 'automatic';
  return {
    mode: 'payment',
    line_items: lineItems(request),
    customer_email: request.email,
    client_reference_id: String(request.orderId),
    metadata: { ...metadata, [CAPTURE_METADATA_KEY]: captureMethod },
    payment_intent_data: { metadata, capture_method: captureMethod, description: request.orderNumber },
    billing_address_collection: 'required',
    success_url: request.returnUrl,
    cancel_url: request.cancelUrl,
    expires_at: sessionExpiresAt(request.expiresAt, now),
  };
}

/** Creates the Checkout Session and answers with the URL of Stripe's hosted page. */
export async function createCheckoutSession(stripe: Stripe, request: CreatePaymentRequest, now: Date): Promise<CreatedPayment> {
  const session = await callStripe('creating a Checkout Session', () =>
    stripe.checkout.sessions.create(sessionCreateParams(request, now), { idempotencyKey: request.idempotencyKey }),
  );
  if (!session.url) throw stripeUnavailable('creating a Checkout Session', new Error(`session ${session.id} has no URL`));
  return { kind: 'redirect', checkoutRef: session.id, redirectUrl: session.url };
}
