import type Stripe from 'stripe';
import { formatMoney } from '../../money';
import { fromStripeAmount } from '../../payments/stripe/stripe-money';
import { invalidRequest, noSuchObject, unexpectedState } from './stripe-api-error';
import type { SandboxEventSpec } from './stripe-event-log';
import { newCharge, newDispute, newPaymentIntent, newRefund, newSession, type BillingAddress } from './stripe-objects';
import { newStripeId } from './stripe-sandbox-ids';
import type { SessionCreate, SessionLine } from './stripe-session-params';
import type { IssuerAnswer } from './stripe-test-cards';

/** A Checkout Session with what the sandbox keeps beside it. */
export interface SessionRecord {
  readonly session: Stripe.Checkout.Session;
  readonly lines: readonly SessionLine[];
  readonly paymentIntentData: SessionCreate['paymentIntent'];
}

/** A card payment submitted on the hosted page: the issuer's answer and the billing details. */
export interface PaymentAttempt {
  readonly answer: IssuerAnswer;
  readonly cardholderName: string;
  readonly address: BillingAddress;
}

/** What became of a payment attempt on the hosted page. */
export type AttemptResult =
  | {
      readonly kind: 'paid';
      readonly session: Stripe.Checkout.Session;
      readonly paymentIntentId: string;
      readonly disputeAfterwards: boolean;
    }
  | { readonly kind: 'declined'; readonly message: string }
  | { readonly kind: 'closed'; readonly session: Stripe.Checkout.Session };

const CANCELLABLE: readonly string[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

/**
 * The sandbox account's objects and Stripe's rules for changing them: sessions open, complete or
 * expire; a PaymentIntent is captured only from requires_capture and only up to what is
 * capturable; refunds never exceed what was captured and not yet refunded; an uncaptured payment
 * is voided, not refunded. Each change the store's webhook endpoint subscribes to emits an event.
 */
export class StripeLedger {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  private readonly charges = new Map<string, Stripe.Charge>();
  private readonly refunds = new Map<string, Stripe.Refund>();
  private readonly disputes = new Map<string, Stripe.Dispute>();
  private readonly sessionOfPaymentIntent = new Map<string, string>();

  constructor(
    private readonly options: {
      readonly pagesOrigin: () => string;
      readonly now: () => Date;
      readonly emit: (event: SandboxEventSpec) => void;
    },
  ) {}

  private seconds(): number {
    return Math.floor(this.options.now().getTime() / 1000);
  }

  /** `POST /v1/checkout/sessions`: a new open session, payable on the hosted page until `expires_at`. */
  createSession(create: SessionCreate): Stripe.Checkout.Session {
    const session = newSession({ ...create.session, pagesOrigin: this.options.pagesOrigin() });
    this.sessions.set(session.id, { session, lines: create.lines, paymentIntentData: create.paymentIntent });
    return session;
  }

  /** A session, expired first if its time ran out unpaid. */
  sessionRecord(id: string): SessionRecord {
    const record = this.sessions.get(id);
    if (!record) throw noSuchObject('checkout.session', id);
    if (record.session.status === 'open' && this.seconds() >= record.session.expires_at) this.expire(record);
    return record;
  }

  /** `POST /v1/checkout/sessions/:id/expire`: only an open session can be expired. */
  expireSession(id: string): Stripe.Checkout.Session {
    const record = this.sessionRecord(id);
    if (record.session.status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This session has a status of "${record.session.status}".`,
        { param: 'session' },
      );
    }
    this.expire(record);
    return record.session;
  }

  /** Expires every open session whose time ran out (Stripe does this within minutes of `expires_at`). */
  expireDue(): void {
    for (const id of this.sessions.keys()) this.sessionRecord(id);
  }

  private expire(record: SessionRecord): void {
    const session = record.session;
    session.status = 'expired';
    session.url = null;
    const pi = session.payment_intent ? this.paymentIntents.get(idOf(session.payment_intent)) : undefined;
    if (pi && CANCELLABLE.includes(pi.status)) {
      pi.status = 'canceled';
      pi.canceled_at = this.seconds();
      pi.cancellation_reason = 'abandoned';
    }
    this.options.emit({ type: 'checkout.session.expired', object: session });
  }

  /**
   * The shopper submits a card on the hosted page. The session's PaymentIntent is created on the
   * first attempt; each attempt is a charge. A decline leaves the session open for another try;
   * an approval completes it (captured, or authorised for manual capture) and emits
   * `checkout.session.completed`.
   */
  pay(sessionId: string, attempt: PaymentAttempt): AttemptResult {
    const record = this.sessionRecord(sessionId);
    const { session } = record;
    if (session.status !== 'open') return { kind: 'closed', session };
    const now = this.seconds();
    const pi = this.paymentIntentOf(record, now);
    const email = session.customer_email;
    const paymentMethodId = newStripeId('pm');
    const answer = attempt.answer;
    const charge = newCharge({
      created: now,
      paymentIntent: pi,
      paymentMethodId,
      card: answer.card,
      cardholderName: attempt.cardholderName,
      email,
      address: attempt.address,
      result: answer.kind === 'approved' ? { kind: 'approved', checks: answer.checks } : answer,
    });
    this.charges.set(charge.id, charge);
    pi.latest_charge = charge.id;
    pi.payment_method = paymentMethodId;

    if (answer.kind === 'declined') {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = {
        type: 'card_error',
        code: answer.code,
        decline_code: answer.declineCode,
        message: answer.message,
        charge: charge.id,
        doc_url: `https://stripe.com/docs/error-codes/${answer.code.replace(/_/g, '-')}`,
        payment_method_type: 'card',
      };
      return { kind: 'declined', message: answer.message };
    }

    pi.last_payment_error = null;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
    }
    session.status = 'complete';
    session.url = null;
    // An authorised, uncaptured payment has no funds available yet: Stripe's definition of unpaid.
    session.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
    session.customer_details = {
      address: {
        city: attempt.address.city,
        country: attempt.address.country,
        line1: attempt.address.line1,
        line2: null,
        postal_code: attempt.address.postalCode,
        state: null,
      },
      business_name: null,
      email,
      individual_name: null,
      name: attempt.cardholderName,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    };
    this.options.emit({ type: 'checkout.session.completed', object: session });
    return { kind: 'paid', session, paymentIntentId: pi.id, disputeAfterwards: answer.disputeAfterwards };
  }

  private paymentIntentOf(record: SessionRecord, now: number): Stripe.PaymentIntent {
    const existing = record.session.payment_intent ? this.paymentIntents.get(idOf(record.session.payment_intent)) : undefined;
    if (existing) return existing;
    const pi = newPaymentIntent({
      ...record.paymentIntentData,
      created: now,
      amount: record.session.amount_total ?? 0,
      currency: record.session.currency ?? 'usd',
      receiptEmail: record.session.customer_email,
    });
    this.paymentIntents.set(pi.id, pi);
    this.sessionOfPaymentIntent.set(pi.id, record.session.id);
    record.session.payment_intent = pi.id;
    return pi;
  }

  /** A PaymentIntent, or Stripe's 404. */
  paymentIntent(id: string): Stripe.PaymentIntent {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw noSuchObject('payment_intent', id, 'intent');
    return pi;
  }

  /** A charge, or Stripe's 404. */
  charge(id: string): Stripe.Charge {
    const charge = this.charges.get(id);
    if (!charge) throw noSuchObject('charge', id);
    return charge;
  }

  private latestCharge(pi: Stripe.PaymentIntent): Stripe.Charge | null {
    return typeof pi.latest_charge === 'string' ? (this.charges.get(pi.latest_charge) ?? null) : null;
  }

  private format(amount: number, currency: string): string {
    return formatMoney(fromStripeAmount(amount, currency));
  }

  /** `POST /v1/payment_intents/:id/capture`. */
  capture(id: string, amountToCapture: number | undefined): Stripe.PaymentIntent {
    const pi = this.paymentIntent(id);
    if (pi.status !== 'requires_capture') {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      );
    }
    const amount = amountToCapture ?? pi.amount_capturable;
    if (amount < 1 || amount > pi.amount_capturable) {
      throw invalidRequest(
        `The amount to capture (${this.format(amount, pi.currency)}) must be between 1 and the amount capturable (${this.format(pi.amount_capturable, pi.currency)}).`,
        {
          code: 'amount_too_large',
          param: 'amount_to_capture',
        },
      );
    }
    const charge = this.latestCharge(pi);
    if (charge) {
      charge.captured = true;
      charge.amount_captured = amount;
      charge.balance_transaction = newStripeId('txn');
    }
    pi.status = 'succeeded';
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    return pi;
  }

  /** `POST /v1/payment_intents/:id/cancel`: voids an authorisation or abandons an unpaid intent. */
  cancel(id: string, reason: Stripe.PaymentIntent.CancellationReason | undefined): Stripe.PaymentIntent {
    const pi = this.paymentIntent(id);
    if (!CANCELLABLE.includes(pi.status)) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELLABLE.join(', ')}.`,
      );
    }
    const sessionId = this.sessionOfPaymentIntent.get(pi.id);
    if (sessionId && this.sessionRecord(sessionId).session.status === 'open') {
      throw unexpectedState(
        'This PaymentIntent was created by a Checkout Session that is still open. Expire the Checkout Session instead.',
      );
    }
    const charge = this.latestCharge(pi);
    if (charge && charge.status === 'succeeded' && !charge.captured) {
      // Releasing an authorisation marks the uncaptured charge as refunded in full.
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
    }
    pi.status = 'canceled';
    pi.canceled_at = this.seconds();
    pi.cancellation_reason = reason ?? null;
    pi.amount_capturable = 0;
    return pi;
  }

  /** `POST /v1/refunds` for a PaymentIntent (or a charge): part or all of what is captured and not yet refunded. */
  refund(target: { paymentIntent?: string; charge?: string }, amount: number | undefined): Stripe.Refund {
    let charge: Stripe.Charge | null;
    if (target.paymentIntent) {
      const pi = this.paymentIntent(target.paymentIntent);
      if (pi.status === 'requires_capture') {
        throw invalidRequest(
          `This PaymentIntent (${pi.id}) has not been captured. Cancel the PaymentIntent to release the authorization instead.`,
          { param: 'payment_intent' },
        );
      }
      if (pi.status !== 'succeeded') {
        throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
      }
      charge = this.latestCharge(pi);
    } else if (target.charge) {
      charge = this.charge(target.charge);
    } else {
      throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', {
        code: 'parameter_missing',
      });
    }
    if (!charge || charge.status !== 'succeeded' || !charge.captured) {
      throw invalidRequest('This charge has not been captured and cannot be refunded.', { param: 'charge' });
    }
    if (charge.disputed) {
      throw invalidRequest(`Charge ${charge.id} has been disputed and cannot be refunded.`, { code: 'charge_disputed' });
    }
    const unrefunded = charge.amount_captured - charge.amount_refunded;
    if (unrefunded <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const refundAmount = amount ?? unrefunded;
    if (refundAmount < 1) throw invalidRequest('Invalid positive integer', { code: 'parameter_invalid_integer', param: 'amount' });
    if (refundAmount > unrefunded) {
      throw invalidRequest(
        `Refund amount (${this.format(refundAmount, charge.currency)}) is greater than unrefunded amount on charge (${this.format(unrefunded, charge.currency)})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    }
    const refund = newRefund(charge, refundAmount, this.seconds());
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += refundAmount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    this.options.emit({ type: 'charge.refunded', object: charge });
    return refund;
  }

  /** The cardholder disputes a captured payment (test helper; the 0259 test card does it by itself). */
  dispute(paymentIntentId: string): Stripe.Dispute {
    const pi = this.paymentIntent(paymentIntentId);
    const charge = this.latestCharge(pi);
    if (pi.status !== 'succeeded' || !charge || !charge.captured) throw invalidRequest(`${pi.id} has no captured charge to dispute`);
    if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed`);
    const dispute = newDispute(charge, this.seconds());
    this.disputes.set(dispute.id, dispute);
    charge.disputed = true;
    this.options.emit({ type: 'charge.dispute.created', object: dispute });
    return dispute;
  }

  /** Everything the sandbox holds, for tests that check no card data is kept. */
  snapshot(): unknown {
    return {
      sessions: [...this.sessions.values()],
      paymentIntents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      disputes: [...this.disputes.values()],
    };
  }
}

/** The id of a reference that Stripe may have expanded into its object. */
function idOf(ref: string | { id: string }): string {
  return typeof ref === 'string' ? ref : ref.id;
}
