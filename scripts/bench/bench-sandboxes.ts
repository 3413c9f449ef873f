import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createLogger } from '../../server/logger';
import { startBraintreeSandbox } from '../../server/sandbox/braintree/braintree-sandbox';
import { startStripeSandbox } from '../../server/sandbox/stripe/stripe-sandbox';

/**
 * The development gateways (the Stripe and Braintree sandboxes), run in the bench's process, as
 * Stripe's and Braintree's own servers are outside the store in production. The store reaches them
 * through the same preload the fault and cluster tests use (test/support/external-sandboxes.cjs):
 * its start is otherwise unchanged. So the store's memory row measures the store, not the
 * sandboxes' records of every session the bench paid.
 */
export interface BenchSandboxes {
  /** What the store's process needs to reach them: its environment and node arguments. */
  readonly env: Readonly<Record<string, string>>;
  readonly nodeArgs: readonly string[];
  /** The Stripe sandbox's API, where stripe-node lists its events. */
  readonly stripeApi: { readonly host: string; readonly port: number };
  /** The secret key the Stripe sandbox accepts. */
  readonly stripeSecretKey: string;
  stop(): Promise<void>;
}

const PRELOAD = (root: string) => path.join(root, 'test', 'support', 'external-sandboxes.cjs');

/** Starts both sandboxes; the store's callbacks are delivered by the bench itself (callback-row.ts). */
export async function startBenchSandboxes(
  root: string,
  tls: { readonly cert: string; readonly key: string },
  webhookSecret: string,
): Promise<BenchSandboxes> {
  const logger = createLogger({ logLevel: 'warn' });
  const stripeSecretKey = 'sk_test_padlock_sandbox';
  const braintreeKeys = { merchantId: 'padlock_bench', publicKey: 'padlock_bench_public', privateKey: randomBytes(16).toString('hex') };
  const stripe = await startStripeSandbox({ secretKey: stripeSecretKey, webhookSecret, tls, logger });
  try {
    const braintree = await startBraintreeSandbox({ ...braintreeKeys, tls, logger });
    return {
      env: {
        PADLOCK_FAULT_TEST_SANDBOXES: JSON.stringify({
          stripe: stripe.gatewayOptions(),
          braintree: { apiPort: braintree.apiPort, pagesOrigin: braintree.pagesOrigin, ...braintreeKeys },
        }),
      },
      nodeArgs: ['--require', PRELOAD(root)],
      stripeApi: { host: '127.0.0.1', port: stripe.apiPort },
      stripeSecretKey,
      stop: async () => {
        await Promise.all([stripe.stop(), braintree.stop()]);
      },
    };
  } catch (err) {
    await stripe.stop();
    throw err;
  }
}
