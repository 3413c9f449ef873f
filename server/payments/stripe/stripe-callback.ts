import Stripe from 'stripe';
import { CallbackVerificationError, type NormalisedCallback, type RawCallback } from '../payment-gateway';
import { normaliseStripeEvent } from './stripe-event-normaliser';

/** Stripe's own default: a signature older than five minutes is refused (replay protection). */
export const SIGNATURE_TOLERANCE_S = 300;

function signatureHeader(headers: RawCallback['headers']): string | null {
  const value = headers['stripe-signature'];
  const header = Array.isArray(value) ? value[0] : value;
  return header && header.trim() !== '' ? header : null;
}

/** The `t=` of a `Stripe-Signature` header, or null when it has none. */
function signedAt(header: string): number | null {
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2);
    if (key?.trim() === 't' && value && /^\d+$/.test(value.trim())) return Number(value.trim());
  }
  return null;
}

/**
 * Verifies a Stripe webhook with `webhooks.constructEvent` over the raw body (HMAC-SHA256 of
 * `${t}.${body}` with the endpoint secret, `v1=` in `Stripe-Signature`), refusing signatures
 * older than five minutes, then normalises the event. A bad signature is reported before age, as
 * the SDK does. The SDK accepts timestamps from the future; so that a captured request cannot be
 * replayed longer than the window, those more than five minutes ahead are refused as stale too.
 */
export function parseStripeCallback(callback: RawCallback, webhookSecret: string, now: () => Date = () => new Date()): NormalisedCallback {
  const header = signatureHeader(callback.headers);
  if (!header) throw new CallbackVerificationError('missing_signature', 'The Stripe-Signature header is missing');
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(callback.rawBody, header, webhookSecret, SIGNATURE_TOLERANCE_S, undefined, now().getTime());
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      const stale = /tolerance/i.test(err.message);
      throw new CallbackVerificationError(
        stale ? 'stale' : 'bad_signature',
        stale ? 'The Stripe signature is too old' : 'The Stripe signature does not match',
      );
    }
    throw new CallbackVerificationError('malformed', 'The Stripe event is not valid JSON');
  }
  const t = signedAt(header);
  if (t !== null && t - Math.floor(now().getTime() / 1000) > SIGNATURE_TOLERANCE_S) {
    throw new CallbackVerificationError('stale', 'The Stripe signature is dated in the future');
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    typeof event.type !== 'string' ||
    typeof event.created !== 'number' ||
    !event.data?.object
  ) {
    throw new CallbackVerificationError('malformed', 'The Stripe event lacks id, type, created or data.object');
  }
  return normaliseStripeEvent(event);
}
