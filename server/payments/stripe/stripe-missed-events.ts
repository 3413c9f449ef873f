import type Stripe from 'stripe';
import type { NormalisedCallback } from '../payment-gateway';
import { callStripe } from './stripe-errors';
import { HANDLED_EVENT_TYPES, normaliseStripeEvent } from './stripe-event-normaliser';

/** At most this many undelivered events are replayed per run; the next run picks up the rest. */
export const MISSED_EVENTS_LIMIT = 500;

/**
 * Events Stripe could not deliver to the webhook endpoint since `since`
 * (`events.list` with `delivery_success: false`), oldest first. They come from an authenticated
 * API call, so they need no signature check.
 */
export async function missedStripeEvents(stripe: Stripe, since: Date): Promise<NormalisedCallback[]> {
  const events = await callStripe('listing undelivered events', () =>
    stripe.events
      .list({ delivery_success: false, created: { gte: Math.floor(since.getTime() / 1000) }, types: [...HANDLED_EVENT_TYPES], limit: 100 })
      .autoPagingToArray({ limit: MISSED_EVENTS_LIMIT }),
  );
  // Stripe lists newest first; reversing keeps events of the same second in their order.
  return events
    .reverse()
    .map(normaliseStripeEvent)
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
