import type { BrowserOrigins } from '../browser-origins';
import { DomainError } from '../domain-error';
import type { Money } from '../money';
import type { PostalAddress } from '../orders/postal-address';

/**
 * The contract every payment gateway (Stripe, Braintree, …) implements, one folder per gateway.
 * Card data never passes through it: the store only ever sees gateway references, nonces and
 * results. A decline is a value ({@link PaymentOutcome}), never an exception; a network or
 * configuration fault throws {@link GatewayUnavailableError}, which the HTTP layer maps to 502.
 *
 * Two references identify a payment at the gateway:
 * - `checkoutRef`: what the store created to start it (a Stripe Checkout Session id); null for
 *   gateways charged directly from in-page fields.
 * - `paymentRef`: the object that holds the money (a Stripe PaymentIntent id, a Braintree
 *   transaction id); known once the shopper has paid or been authorised.
 */
export interface PaymentGateway {
  /** Stable identifier stored with payments and events. */
  readonly id: GatewayId;
  /** How the shopper pays with this gateway: sent to its hosted page, or fields in the checkout page. */
  readonly flow: 'hosted_page' | 'in_page_fields';
  /** Origins the checkout page must allow (CSP) for this gateway's scripts, frames and form targets. */
  readonly browserOrigins: BrowserOrigins;

  /** Starts a payment for an order: a URL to send the shopper to, or the config for in-page fields. */
  createPayment(request: CreatePaymentRequest): Promise<CreatedPayment>;

  /**
   * Charges a one-time nonce that the browser got from the gateway's own fields. Only gateways
   * with the `in_page_fields` flow implement it.
   */
  chargeNonce?(request: ChargeNonceRequest): Promise<PaymentOutcome>;

  /**
   * Finds the charge an in-page payment attempt made for an order, by what the store knew before
   * the call (the order number it sent as the gateway's order id, amount, e-mail): null when the
   * gateway holds none. Reconciliation asks this before closing an attempt the store never
   * recorded a reference for (the store died after the gateway accepted the charge). Only
   * gateways that implement `chargeNonce` implement it.
   */
  findCharge?(lookup: ChargeLookup): Promise<PaymentOutcome | null>;

  /**
   * Verifies a callback (signature and freshness) and normalises it. Called before anything is
   * read from the database; throws {@link CallbackVerificationError} when it cannot be trusted.
   */
  parseCallback(callback: RawCallback): Promise<NormalisedCallback>;

  /**
   * Asks the gateway for the current state of a payment (return pages, callbacks that need the
   * full picture, reconciliation). `ref` is the checkoutRef when there is one, else the paymentRef.
   */
  fetchStatus(ref: string): Promise<PaymentOutcome>;

  /** Captures an authorised payment (address-check policy `hold`, after an admin approves). */
  capture(paymentRef: string, amount: Money, idempotencyKey: string): Promise<PaymentOutcome>;

  /** Cancels an unpaid payment: voids an authorisation, or expires an open hosted page. */
  cancel(ref: string, idempotencyKey: string): Promise<PaymentOutcome>;

  /** Refunds part or all of a captured payment. */
  refund(paymentRef: string, amount: Money, idempotencyKey: string): Promise<RefundOutcome>;

  /**
   * Callbacks the gateway tried to deliver but could not (Stripe: `events.list` with
   * `delivery_success: false`), verified as if they had arrived, oldest first.
   */
  missedCallbacks?(since: Date): Promise<NormalisedCallback[]>;
}

export type GatewayId = 'stripe' | 'braintree';

export type { BrowserOrigins } from '../browser-origins';

export interface PaymentLine {
  readonly name: string;
  readonly unitPrice: Money;
  readonly quantity: number;
}

export interface CreatePaymentRequest {
  readonly orderId: number;
  /** The human order number (`PS-000042`), shown to the shopper on the gateway's page. */
  readonly orderNumber: string;
  readonly amount: Money;
  readonly lines: readonly PaymentLine[];
  /** Shipping, as one line in the gateway's summary. */
  readonly shipping: Money;
  readonly email: string;
  readonly billingAddress: PostalAddress;
  /** Authorise only, so the store (or an admin) can capture or void later. */
  readonly captureLater: boolean;
  /** Where the gateway sends the shopper back to (https, on the store). */
  readonly returnUrl: string;
  /** Where the gateway's page sends the shopper who gives up. */
  readonly cancelUrl: string;
  /** When the hosted page must stop accepting payment (the order's reservation ends). */
  readonly expiresAt: Date;
  /** One key per order attempt, so a retried request never creates or charges twice. */
  readonly idempotencyKey: string;
}

export type CreatedPayment =
  | { readonly kind: 'redirect'; readonly checkoutRef: string; readonly redirectUrl: string }
  | {
      readonly kind: 'in_page';
      /** Handed to the checkout page's script: client token, fields URL, … (no secrets). */
      readonly clientConfig: Readonly<Record<string, string>>;
    };

export interface ChargeNonceRequest {
  readonly orderId: number;
  readonly orderNumber: string;
  readonly amount: Money;
  readonly email: string;
  readonly billingAddress: PostalAddress;
  readonly captureLater: boolean;
  readonly nonce: string;
  readonly idempotencyKey: string;
}

/** What identifies an order's charge at the gateway without the gateway's own reference. */
export type ChargeLookup = Pick<ChargeNonceRequest, 'orderNumber' | 'amount' | 'email'>;

export type CheckResult = 'pass' | 'fail' | 'unavailable' | 'unchecked';

/** Address and security-code checks as the gateway reported them, normalised. */
export interface AvsResult {
  readonly street: CheckResult;
  readonly postalCode: CheckResult;
  readonly cvc: CheckResult;
  /** The gateway's own codes, kept for the admin (e.g. `{ street: 'N', postalCode: 'M' }`). */
  readonly raw: Readonly<Record<string, string | null>>;
}

/** The state of one payment at the gateway. */
export type PaymentOutcome =
  /** Money taken. */
  | { readonly status: 'captured'; readonly paymentRef: string; readonly amount: Money; readonly avs: AvsResult }
  /** Authorised, waiting for capture or void. */
  | { readonly status: 'authorised'; readonly paymentRef: string; readonly amount: Money; readonly avs: AvsResult }
  /** Not decided yet: the shopper is still on the hosted page, or an async method is processing. */
  | { readonly status: 'pending'; readonly paymentRef: string | null }
  /** Refused by the issuer or the gateway; the shopper may try again. */
  | { readonly status: 'declined'; readonly paymentRef: string | null; readonly message: string }
  /** An authorisation was voided or an open hosted page was expired: no money moved. */
  | { readonly status: 'cancelled'; readonly paymentRef: string | null }
  /** The hosted page expired unpaid. */
  | { readonly status: 'expired'; readonly paymentRef: string | null };

export type RefundOutcome =
  | { readonly status: 'refunded'; readonly refundRef: string; readonly amount: Money }
  | { readonly status: 'refused'; readonly message: string };

/** The request as received, before any parsing: signatures are computed over the raw bytes. */
export interface RawCallback {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
}

export type CallbackKind = 'payment_succeeded' | 'payment_failed' | 'payment_expired' | 'refund_succeeded' | 'dispute_opened' | 'ignored';

/** One gateway event, verified and normalised; `eventId` is unique per gateway. */
export interface NormalisedCallback {
  readonly gateway: GatewayId;
  readonly eventId: string;
  /** The gateway's own event type (`checkout.session.completed`, `transaction_settled`). */
  readonly type: string;
  readonly kind: CallbackKind;
  /** The checkoutRef or paymentRef the event is about (null for events the store ignores). */
  readonly ref: string | null;
  /** The amount the event reports: paid, refunded so far in total, or disputed. */
  readonly amount: Money | null;
  readonly occurredAt: Date;
}

/**
 * The gateway could not be reached or is misconfigured: answered as 502, never as a decline.
 * The shopper sees a plain apology; `diagnosis` (logged, never shown) says what failed.
 */
export class GatewayUnavailableError extends DomainError {
  constructor(
    readonly gateway: GatewayId,
    readonly diagnosis: string,
    options?: { cause?: unknown },
  ) {
    super(
      'gateway_unavailable',
      'gateway_unavailable',
      'The payment provider is not answering right now; please try again in a moment',
      undefined,
      options,
    );
    this.name = 'GatewayUnavailableError';
  }
}

/** A callback whose signature, format or age cannot be trusted. */
export class CallbackVerificationError extends Error {
  constructor(
    readonly reason: 'missing_signature' | 'bad_signature' | 'stale' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'CallbackVerificationError';
  }
}
