import type http from 'node:http';
import Stripe from 'stripe';

/** The API version this adapter is written against (the one stripe-node 23 pins). */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

/** Where the SDK sends its requests; absent for api.stripe.com. */
export interface StripeApiEndpoint {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

/**
 * The stripe-node client: two automatic retries (the SDK sends an idempotency key with every
 * POST, so a retry never repeats a charge) and a 10 s timeout, so a slow Stripe surfaces as a
 * 502 instead of a hung checkout.
 */
export function createStripeClient(secretKey: string, api?: StripeApiEndpoint, httpAgent?: http.Agent): Stripe {
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 10_000,
    ...(api ? { host: api.host, port: api.port, protocol: api.protocol } : {}),
    ...(httpAgent ? { httpAgent } : {}),
  });
}
