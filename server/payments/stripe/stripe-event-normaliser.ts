import type Stripe from 'stripe';
import type { CallbackKind, NormalisedCallback } from '../payment-gateway';
import { CAPTURE_METADATA_KEY } from './stripe-create-payment';
import { fromStripeAmount } from './stripe-money';

/** The event types the store acts on: the webhook endpoint subscribes to these, and reconciliation lists them. */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.created',
] as const satisfies readonly Stripe.Event.Type[];

function idOf(ref: string | { id: string } | null): string | null {
  return typeof ref === 'string' ? ref : (ref?.id ?? null);
}

function amountOrNull(amount: number | null, currency: string | null) {
  if (amount === null || currency === null) return null;
  try {
    return fromStripeAmount(amount, currency);
  } catch {
    return null;
  }
}

/**
 * What `checkout.session.completed` means. Stripe documents `payment_status` as `paid` ("the
 * funds are available"), `unpaid` ("not yet available") or `no_payment_required`, and tells
 * integrations to wait for `checkout.session.async_payment_succeeded` when a completed session
 * is unpaid because an asynchronous method (a bank debit) is still processing. An authorised but
 * uncaptured card payment (manual capture) is not "funds available" either, so it may complete
 * unpaid too; the event alone cannot tell the two apart, so the session carries its capture
 * method in metadata (set by stripe-create-payment):
 * - paid / no_payment_required → payment_succeeded;
 * - unpaid with manual capture → payment_succeeded (the store asks fetchStatus, which says authorised);
 * - unpaid otherwise → ignored: an async payment is pending; its own event follows.
 */
function completedSessionKind(session: Stripe.Checkout.Session): CallbackKind {
  if (session.payment_status !== 'unpaid') return 'payment_succeeded';
  return session.metadata?.[CAPTURE_METADATA_KEY] === 'manual' ? 'payment_succeeded' : 'ignored';
}

/**
 * One Stripe event as the store sees it. Session events are about the session (ref = its id,
 * amount = its total); `charge.refunded` is about the charge's PaymentIntent and reports the total
 * refunded so far; `charge.dispute.created` reports the disputed amount. Other types are ignored.
 */
export function normaliseStripeEvent(event: Stripe.Event): NormalisedCallback {
  const base = { gateway: 'stripe' as const, eventId: event.id, type: event.type, occurredAt: new Date(event.created * 1000) };
  const ignored: NormalisedCallback = { ...base, kind: 'ignored', ref: null, amount: null };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      const kind: CallbackKind =
        event.type === 'checkout.session.completed'
          ? completedSessionKind(session)
          : event.type === 'checkout.session.async_payment_succeeded'
            ? 'payment_succeeded'
            : event.type === 'checkout.session.async_payment_failed'
              ? 'payment_failed'
              : 'payment_expired';
      return { ...base, kind, ref: session.id, amount: amountOrNull(session.amount_total, session.currency) };
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const ref = idOf(charge.payment_intent);
      // Releasing an uncaptured authorisation also marks its charge refunded; no money went back.
      if (!ref || !charge.captured) return ignored;
      return { ...base, kind: 'refund_succeeded', ref, amount: amountOrNull(charge.amount_refunded, charge.currency) };
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      const ref = idOf(dispute.payment_intent);
      if (!ref) return ignored;
      return { ...base, kind: 'dispute_opened', ref, amount: amountOrNull(dispute.amount, dispute.currency) };
    }
    default:
      return ignored;
  }
}
