import type Stripe from 'stripe';
import type { Logger } from '../../logger';
import type { StripeGatewayOptions } from '../../payments/stripe/stripe.gateway';
import { startSandboxListeners, type SandboxAddresses } from '../sandbox-listeners';
import { stripeApi } from './stripe-api';
import { StripeEventLog } from './stripe-event-log';
import { stripeHostedPages } from './stripe-hosted-page';
import { StripeLedger } from './stripe-ledger';

/** How to start the Stripe sandbox. */
export interface StripeSandboxOptions {
  /** The only secret key its API accepts. */
  readonly secretKey: string;
  /** Signs the webhooks it sends, as a webhook endpoint's `whsec_…` does. */
  readonly webhookSecret: string;
  /** Certificate and key for the HTTPS pages origin (the store's, for localhost). */
  readonly tls: { readonly cert: string; readonly key: string };
  readonly logger: Logger;
  /** Delay before the first webhook retry (doubles each time); default 1 s. */
  readonly firstRetryMs?: number;
  readonly now?: () => Date;
}

/** A running Stripe sandbox: its addresses, the gateway options that reach it, and test helpers. */
export interface StripeSandbox extends SandboxAddresses {
  /** Options for `createStripeGateway` that reach this sandbox (its API, its pages origin, its keys). */
  gatewayOptions(): StripeGatewayOptions;
  /** Where the store's `/webhooks/stripe` is; events emitted before this are delivered now. */
  setCallbackTarget(url: string, options?: { ca?: string; headers?: Record<string, string> }): void;
  /** As if the session's time ran out unpaid: it expires and `checkout.session.expired` is sent. */
  expireSession(sessionId: string): Stripe.Checkout.Session;
  /** The cardholder disputes a captured payment: `charge.dispute.created` is sent. */
  createDispute(paymentIntentId: string): Stripe.Dispute;
  /** Everything the sandbox holds in memory (objects, events), for tests. */
  snapshot(): unknown;
}

/** Dispute of a 4000000000000259 payment: shortly after it succeeds, as with Stripe's test card. */
const DISPUTE_DELAY_MS = 250;
/** Open sessions past `expires_at` are expired (and their event sent) at least this often. */
const EXPIRY_SWEEP_MS = 30_000;

/**
 * Starts a local stand-in for Stripe that stripe-node talks to unchanged: the API on plain
 * HTTP on loopback, the hosted Checkout page on HTTPS, and signed webhooks to the store.
 * Test mode only; every page says so.
 */
export async function startStripeSandbox(options: StripeSandboxOptions): Promise<StripeSandbox> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ sandbox: 'stripe' });
  const events = new StripeEventLog({ webhookSecret: options.webhookSecret, logger, firstRetryMs: options.firstRetryMs, now });
  const timers = new Set<NodeJS.Timeout>();
  // Session URLs need the pages origin, known once the listeners are up (before any request).
  let pagesOrigin = '';
  const ledger = new StripeLedger({ pagesOrigin: () => pagesOrigin, now, emit: (spec) => events.emit(spec) });

  const scheduleDispute = (paymentIntentId: string) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      try {
        ledger.dispute(paymentIntentId);
      } catch (err) {
        logger.warn({ paymentIntentId, error: (err as Error).message }, 'sandbox could not open the test dispute');
      }
    }, DISPUTE_DELAY_MS);
    timer.unref();
    timers.add(timer);
  };

  const api = stripeApi({ secretKey: options.secretKey, ledger, events, logger, now });
  const pages = stripeHostedPages({ ledger, logger, now, scheduleDispute });
  const addresses = await startSandboxListeners(api, pages, options.tls);
  pagesOrigin = addresses.pagesOrigin;

  const sweep = setInterval(() => ledger.expireDue(), EXPIRY_SWEEP_MS);
  sweep.unref();
  logger.info({ apiUrl: addresses.apiUrl, pagesOrigin: addresses.pagesOrigin }, 'stripe sandbox listening');

  return {
    ...addresses,
    gatewayOptions: () => ({
      secretKey: options.secretKey,
      webhookSecret: options.webhookSecret,
      api: { host: '127.0.0.1', port: addresses.apiPort, protocol: 'http' },
      pagesOrigin: addresses.pagesOrigin,
    }),
    setCallbackTarget: (url, target) => events.setTarget({ url, ...target }),
    expireSession: (sessionId) => structuredClone(ledger.expireSession(sessionId)),
    createDispute: (paymentIntentId) => structuredClone(ledger.dispute(paymentIntentId)),
    snapshot: () => ({ ledger: ledger.snapshot(), events: events.snapshot() }),
    stop: async () => {
      clearInterval(sweep);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      events.stop();
      await addresses.stop();
    },
  };
}
