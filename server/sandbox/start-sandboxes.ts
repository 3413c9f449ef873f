import type { StoreConfig } from '../config';
import type { TlsMaterial } from '../http/tls-certificate';
import type { Logger } from '../logger';
import type { SandboxGatewayOptions } from '../payments/gateway-setup';
import { startBraintreeSandbox, type BraintreeSandbox } from './braintree/braintree-sandbox';
import { startStripeSandbox, type StripeSandbox } from './stripe/stripe-sandbox';

/** The local sandboxes running for the gateways configured without credentials. */
export interface RunningSandboxes {
  readonly stripe?: StripeSandbox;
  readonly braintree?: BraintreeSandbox;
  /** What `createGateways` needs to point those gateways at the sandboxes. */
  readonly gatewayOptions: SandboxGatewayOptions;
  /**
   * Points each sandbox's callbacks at the store: `storeUrl` is where this process answers
   * (e.g. `https://127.0.0.1:8443`), `ca` the certificate it serves.
   */
  connect(storeUrl: string, options?: { ca?: string; headers?: Record<string, string> }): void;
  stop(): Promise<void>;
}

/**
 * Starts a local sandbox for each gateway in PAYMENT_GATEWAYS that has no credentials (config
 * refuses that in production). TLS material is loaded only when a sandbox starts.
 */
export async function startSandboxes(config: StoreConfig, loadTls: () => Promise<TlsMaterial>, logger: Logger): Promise<RunningSandboxes> {
  const sandboxLogger = logger.child({ component: 'sandbox' });
  const sandboxes: { stripe?: StripeSandbox; braintree?: BraintreeSandbox } = {};
  try {
    for (const name of config.gateways) {
      if (name === 'stripe' && config.stripe.sandbox) {
        const { secretKey, webhookSecret } = config.stripe;
        sandboxes.stripe = await startStripeSandbox({ secretKey, webhookSecret, tls: await loadTls(), logger: sandboxLogger });
      } else if (name === 'braintree' && config.braintree.environment === 'local') {
        sandboxes.braintree = await startBraintreeSandbox({ ...config.braintree, tls: await loadTls(), logger: sandboxLogger });
      }
    }
  } catch (err) {
    // One sandbox failed to start: the others would hold their listeners open.
    await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox.stop()));
    throw err;
  }
  const running = Object.entries(sandboxes);
  if (running.length > 0) {
    logger.warn(
      { sandboxes: Object.fromEntries(running.map(([name, s]) => [name, s.pagesOrigin])) },
      'payment gateways run against the local sandbox: no real payment',
    );
  }

  return {
    ...sandboxes,
    gatewayOptions: { stripe: sandboxes.stripe?.gatewayOptions(), braintree: sandboxes.braintree?.gatewayOptions() },
    connect(storeUrl, options) {
      for (const [name, sandbox] of running) sandbox.setCallbackTarget(`${storeUrl}/webhooks/${name}`, options);
    },
    async stop() {
      await Promise.all(running.map(([, sandbox]) => sandbox.stop()));
    },
  };
}
