import type http from 'node:http';
import type { PaymentGateway } from '../payment-gateway';
import { parseStripeCallback } from './stripe-callback';
import { createStripeClient, type StripeApiEndpoint } from './stripe-client';
import { createCheckoutSession } from './stripe-create-payment';
import { missedStripeEvents } from './stripe-missed-events';
import { StripePaymentActions } from './stripe-payment-actions';

/** Stripe's hosted Checkout page. */
export const STRIPE_CHECKOUT_ORIGIN = 'https://checkout.stripe.com';

/** How the Stripe gateway is reached. */
export interface StripeGatewayOptions {
  readonly secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  readonly webhookSecret: string;
  /** Another API host (the local sandbox); absent for api.stripe.com. */
  readonly api?: StripeApiEndpoint;
  /** Origin of the hosted payment page the shopper is sent to (CSP); default {@link STRIPE_CHECKOUT_ORIGIN}. */
  readonly pagesOrigin?: string;
  readonly httpAgent?: http.Agent;
  readonly now?: () => Date;
}

/**
 * The Stripe gateway for the hosted-page flow: a Checkout Session per order attempt (billing
 * address required), the PaymentIntent and its latest charge for the outcome and the address
 * checks, refunds, and webhooks verified with `webhooks.constructEvent`. Declines and refusals
 * are values; faults throw GatewayUnavailableError.
 */
export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const stripe = createStripeClient(options.secretKey, options.api, options.httpAgent);
  const now = options.now ?? (() => new Date());
  const actions = new StripePaymentActions(stripe);

  return {
    id: 'stripe',
    flow: 'hosted_page',
    browserOrigins: { scripts: [], frames: [], navigations: [options.pagesOrigin ?? STRIPE_CHECKOUT_ORIGIN], connections: [] },
    createPayment: (request) => createCheckoutSession(stripe, request, now()),
    parseCallback: async (callback) => parseStripeCallback(callback, options.webhookSecret, now),
    fetchStatus: (ref) => actions.fetchStatus(ref),
    capture: (paymentRef, amount, idempotencyKey) => actions.capture(paymentRef, amount, idempotencyKey),
    cancel: (ref, idempotencyKey) => actions.cancel(ref, idempotencyKey),
    refund: (paymentRef, amount, idempotencyKey) => actions.refund(paymentRef, amount, idempotencyKey),
    missedCallbacks: (since) => missedStripeEvents(stripe, since),
  };
}
