import type { Money } from '../money';
import type { PostalAddress } from '../orders/postal-address';

/**
 * The contract every payment gateway (Stripe, Braintree, …) implements, one file per gateway.
 * Card data never passes through it: the store only ever sees gateway references, nonces and
 * results. A decline is a value ({@link PaymentOutcome}), never an exception; a network or
 * configuration fault throws {@link GatewayUnavailableError}, which the HTTP layer maps to 502.
 */
export interface PaymentGateway {
  /** Stable identifier stored with payments and events (`stripe`, `braintree`). */
  readonly id: GatewayId;

  /** Starts a payment for an order: a URL to send the shopper to, or the config for in-page fields. */
  createPayment(request: CreatePaymentRequest): Promise<CreatedPayment>;

  /**
   * Completes a payment that the browser started in the gateway's own fields (a one-time nonce).
   * Gateways that only use hosted pages do not implement it.
   */
  chargeNonce?(request: ChargeNonceRequest): Promise<PaymentOutcome>;

  /**
   * Verifies a callback (signature and freshness) and normalises it. Called before anything is
   * read from the database; throws {@link CallbackVerificationError} when it cannot be trusted.
   */
  parseCallback(callback: RawCallback): Promise<NormalisedCallback>;

  /** Asks the gateway for the current state of a payment (return pages, reconciliation). */
  fetchStatus(gatewayRef: string): Promise<PaymentOutcome>;

  capture(gatewayRef: string, amount: Money, idempotencyKey: string): Promise<PaymentOutcome>;
  void(gatewayRef: string, idempotencyKey: string): Promise<PaymentOutcome>;
  refund(gatewayRef: string, amount: Money, idempotencyKey: string): Promise<RefundOutcome>;
}

export type GatewayId = 'stripe' | 'braintree';

export interface PaymentLine {
  readonly name: string;
  readonly unitPrice: Money;
  readonly quantity: number;
}

export interface CreatePaymentRequest {
  readonly orderId: number;
  readonly orderPublicId: string;
  readonly amount: Money;
  readonly lines: readonly PaymentLine[];
  readonly email: string;
  readonly billingAddress: PostalAddress;
  /** Authorise only, so an admin can capture or void later (address-check policy `hold`). */
  readonly captureLater: boolean;
  /** Where the gateway sends the shopper back to (https, on the store). */
  readonly returnUrl: string;
  readonly cancelUrl: string;
  /** One key per order attempt, so a retried request never charges twice. */
  readonly idempotencyKey: string;
}

export type CreatedPayment =
  | { readonly kind: 'redirect'; readonly gatewayRef: string; readonly redirectUrl: string }
  | { readonly kind: 'in_page'; readonly clientConfig: Readonly<Record<string, string>> };

export interface ChargeNonceRequest extends Omit<CreatePaymentRequest, 'returnUrl' | 'cancelUrl' | 'lines'> {
  readonly nonce: string;
}

/** Address-check results as the gateway reported them, normalised to a small vocabulary. */
export interface AvsResult {
  readonly street: AvsCheck;
  readonly postalCode: AvsCheck;
  readonly cvc: AvsCheck;
}

export type AvsCheck = 'pass' | 'fail' | 'unavailable' | 'unchecked';

export type PaymentOutcome =
  | { readonly status: 'succeeded'; readonly gatewayRef: string; readonly amount: Money; readonly avs: AvsResult }
  | { readonly status: 'authorised'; readonly gatewayRef: string; readonly amount: Money; readonly avs: AvsResult }
  | { readonly status: 'pending'; readonly gatewayRef: string }
  | { readonly status: 'declined'; readonly gatewayRef: string | null; readonly message: string }
  | { readonly status: 'voided'; readonly gatewayRef: string }
  | { readonly status: 'expired'; readonly gatewayRef: string };

export type RefundOutcome =
  | { readonly status: 'refunded'; readonly refundRef: string; readonly amount: Money }
  | { readonly status: 'refused'; readonly message: string };

/** The request as received, before any parsing: signatures are computed over the raw bytes. */
export interface RawCallback {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
}

export type CallbackKind = 'payment_succeeded' | 'payment_failed' | 'refund_succeeded' | 'dispute_opened' | 'ignored';

/** One gateway event, verified and normalised; `eventId` is unique per gateway. */
export interface NormalisedCallback {
  readonly gateway: GatewayId;
  readonly eventId: string;
  readonly kind: CallbackKind;
  readonly gatewayRef: string | null;
  readonly amount: Money | null;
  readonly occurredAt: Date;
}

/** The gateway could not be reached or is misconfigured: answered as 502, never as a decline. */
export class GatewayUnavailableError extends Error {
  constructor(
    readonly gateway: GatewayId,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
