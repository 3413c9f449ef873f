import type http from 'node:http';
import braintree from 'braintree';
import type { BrowserOrigins, PaymentGateway } from '../payment-gateway';
import { dropInBrowserOrigins } from './braintree-browser-origins';
import { parseBraintreeCallback } from './braintree-callback';
import { BraintreeCharges } from './braintree-charge';
import { createInPagePayment } from './braintree-create-payment';
import { BraintreePaymentActions } from './braintree-payment-actions';

/** How the Braintree gateway is reached and what the checkout page must allow for it. */
export interface BraintreeGatewayOptions {
  /** `braintree.Environment.Sandbox`/`Production`, or the local sandbox's custom environment. */
  readonly environment: braintree.Environment;
  readonly merchantId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  /** The local sandbox's card/PayPal fields page; absent for real Braintree (the page loads Drop-in). */
  readonly fieldsUrl?: string;
  /** Overrides the Drop-in origins (the local sandbox allows only its own pages origin as a frame). */
  readonly browserOrigins?: BrowserOrigins;
  /**
   * The merchant account to charge in a currency. A Braintree transaction's currency is its
   * merchant account's, so a store selling in a currency other than the default account's needs
   * one; absent → the default merchant account.
   */
  readonly merchantAccountIdFor?: (currency: string) => string | undefined;
  /** Oldest webhook notification accepted; default 10 minutes. */
  readonly maxNotificationAgeMs?: number;
  readonly customHttpAgent?: http.Agent;
  readonly now?: () => Date;
}

const DEFAULT_MAX_NOTIFICATION_AGE_MS = 10 * 60_000;

/**
 * The Braintree gateway for the in-page fields flow: a client token for Drop-in, the browser
 * tokenizes the card or PayPal account on Braintree's side, the store charges the nonce with
 * `transaction.sale`. Declines are values; SDK faults become `GatewayUnavailableError`.
 *
 * The SDK sends every REST call to `environment.server` and `environment.port` directly, so a
 * custom `Environment` on a loopback port works (its `baseUrl()` leaves the port out for anything
 * but Development, which only affects OAuth and GraphQL URLs, neither of which is used here).
 */
export function createBraintreeGateway(options: BraintreeGatewayOptions): PaymentGateway {
  const config: braintree.KeyGatewayConfig & { customHttpAgent?: http.Agent } = {
    environment: options.environment,
    merchantId: options.merchantId,
    publicKey: options.publicKey,
    privateKey: options.privateKey,
    ...(options.customHttpAgent ? { customHttpAgent: options.customHttpAgent } : {}),
  };
  const gateway = new braintree.BraintreeGateway(config);
  const now = options.now ?? (() => new Date());
  const charges = new BraintreeCharges({ gateway, merchantAccountIdFor: options.merchantAccountIdFor, now });
  const actions = new BraintreePaymentActions(gateway);
  const maxAgeMs = options.maxNotificationAgeMs ?? DEFAULT_MAX_NOTIFICATION_AGE_MS;

  return {
    id: 'braintree',
    flow: 'in_page_fields',
    browserOrigins: options.browserOrigins ?? dropInBrowserOrigins(options.environment),
    createPayment: (request) =>
      createInPagePayment(gateway, request, {
        fieldsUrl: options.fieldsUrl,
        merchantAccountId: options.merchantAccountIdFor?.(request.amount.currency),
      }),
    chargeNonce: (request) => charges.charge(request),
    findCharge: (lookup) => charges.find(lookup),
    parseCallback: (callback) => parseBraintreeCallback(gateway, callback, { now, maxAgeMs }),
    fetchStatus: (ref) => actions.fetchStatus(ref),
    capture: (paymentRef, amount, idempotencyKey) => actions.capture(paymentRef, amount, idempotencyKey),
    cancel: (ref, idempotencyKey) => actions.cancel(ref, idempotencyKey),
    refund: (paymentRef, amount, idempotencyKey) => actions.refund(paymentRef, amount, idempotencyKey),
  };
}
