import type braintree from 'braintree';
import type { Money } from '../../money';
import { CallbackVerificationError, type CallbackKind, type NormalisedCallback, type RawCallback } from '../payment-gateway';
import { parseBraintreeAmount } from './braintree-money';

/** How far in the future a notification's timestamp may be (clock skew) before it is refused. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export interface CallbackFreshness {
  readonly now: () => Date;
  /** Oldest notification accepted; Braintree signs no time window itself, so the store sets one. */
  readonly maxAgeMs: number;
}

/**
 * Verifies and normalises one Braintree webhook: a form-encoded POST of `bt_signature` and
 * `bt_payload` (base64 XML). The SDK checks the signature (`public_key|hex(hmac-sha1(
 * sha1(private_key), payload))`); the notification's own timestamp decides freshness.
 *
 * Normalised kinds: `transaction_settled` → payment_succeeded, `transaction_settlement_declined`
 * → payment_failed (both for sales; a refund's credit settling is ignored), `dispute_opened` →
 * dispute_opened (ref = the disputed transaction), anything else → ignored. Real Braintree sends
 * transaction webhooks for ACH and SEPA direct debit only, not for cards or PayPal: for those the
 * sale's own answer and `fetchStatus` are the source of truth.
 *
 * Braintree notifications carry no id, so `eventId` is derived from what identifies one:
 * `kind:subject id:timestamp` (the timestamp is when the webhook was triggered, so a redelivery
 * of the same notification keeps it and gets the same id: a duplicate).
 */
export async function parseBraintreeCallback(
  gateway: braintree.BraintreeGateway,
  callback: RawCallback,
  freshness: CallbackFreshness,
): Promise<NormalisedCallback> {
  const form = new URLSearchParams(callback.rawBody.toString('utf8'));
  const signature = form.get('bt_signature');
  const payload = form.get('bt_payload');
  if (!signature || !payload) {
    throw new CallbackVerificationError('missing_signature', 'The Braintree notification has no bt_signature or no bt_payload');
  }

  let notification: braintree.WebhookNotification;
  try {
    notification = await gateway.webhookNotification.parse(signature, payload);
  } catch (err) {
    if (isInvalidSignature(err)) {
      throw new CallbackVerificationError(
        'bad_signature',
        `The Braintree notification signature does not verify (${(err as Error).message})`,
      );
    }
    throw new CallbackVerificationError('malformed', 'The Braintree notification payload cannot be read');
  }

  const occurredAt = new Date(notification.timestamp);
  if (Number.isNaN(occurredAt.getTime())) {
    throw new CallbackVerificationError('malformed', 'The Braintree notification has no valid timestamp');
  }
  const age = freshness.now().getTime() - occurredAt.getTime();
  if (age > freshness.maxAgeMs || age < -MAX_FUTURE_SKEW_MS) {
    throw new CallbackVerificationError('stale', `The Braintree notification is ${Math.round(age / 1000)} s old`);
  }

  const { kind, ref, amount, subjectId } = normalise(notification);
  return {
    gateway: 'braintree',
    eventId: `${notification.kind}:${subjectId ?? '-'}:${notification.timestamp}`,
    type: notification.kind,
    kind,
    ref,
    amount,
    occurredAt,
  };
}

function isInvalidSignature(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'type' in err && err.type === 'invalidSignatureError';
}

interface Normalised {
  readonly kind: CallbackKind;
  readonly ref: string | null;
  readonly amount: Money | null;
  readonly subjectId: string | null;
}

function normalise(notification: braintree.WebhookNotification): Normalised {
  try {
    switch (notification.kind) {
      case 'transaction_settled':
      case 'transaction_settlement_declined': {
        const t = notification.transaction;
        // A refund (credit) settling is not a payment; the store learns of refunds from the refund call.
        if (t.type === 'credit') return { kind: 'ignored', ref: null, amount: null, subjectId: t.id };
        return {
          kind: notification.kind === 'transaction_settled' ? 'payment_succeeded' : 'payment_failed',
          ref: t.id,
          amount: parseBraintreeAmount(t.amount, t.currencyIsoCode),
          subjectId: t.id,
        };
      }
      case 'dispute_opened': {
        const d = notification.dispute as braintree.Dispute & { readonly amount?: string };
        return {
          kind: 'dispute_opened',
          ref: d.transaction.id,
          amount: parseBraintreeAmount(d.amountDisputed || d.amount || '', d.currencyIsoCode),
          subjectId: d.id,
        };
      }
      default:
        return { kind: 'ignored', ref: null, amount: null, subjectId: subjectIdOf(notification) };
    }
  } catch {
    throw new CallbackVerificationError('malformed', `The Braintree ${notification.kind} notification lacks its subject or amount`);
  }
}

function subjectIdOf(notification: braintree.WebhookNotification): string | null {
  for (const subject of Object.values(notification as unknown as Record<string, unknown>)) {
    if (typeof subject === 'object' && subject !== null && 'id' in subject && typeof subject.id === 'string') return subject.id;
  }
  return null;
}
