import braintree from 'braintree';
import type { StoreConfig } from '../config';
import type { TlsMaterial } from '../http/tls-certificate';
import type { Logger } from '../logger';
import { createBraintreeGateway } from './braintree/braintree.gateway';
import { GatewayRegistry } from './gateway-registry';
import type { PaymentGateway } from './payment-gateway';
import { startBraintreeSandbox, type BraintreeSandbox } from '../sandbox/braintree/braintree-sandbox';
import { startStripeSandbox, type StripeSandbox } from '../sandbox/stripe/stripe-sandbox';
import { createStripeGateway } from './stripe/stripe.gateway';

/** The local sandboxes running for gateways without credentials. */
export interface RunningSandboxes {
  readonly stripe?: StripeSandbox;
  readonly braintree?: BraintreeSandbox;
}

/** The offered gateways, and the local sandboxes started for those without credentials. */
export interface PaymentGateways {
  readonly registry: GatewayRegistry;
  readonly sandboxes: RunningSandboxes;
  /**
   * Points each sandbox's callbacks at the store: `storeUrl` is where this process answers
   * (e.g. `https://127.0.0.1:8443`), `ca` the certificate it serves.
   */
  connectSandboxes(storeUrl: string, options?: { ca?: string; headers?: Record<string, string> }): void;
  stop(): Promise<void>;
}

/**
 * Builds the gateways listed in PAYMENT_GATEWAYS: with credentials, the official SDKs talk to
 * the real gateway; without, each is pointed at a local sandbox that speaks its wire protocol
 * (never in production: config refuses that). TLS material is loaded only for sandboxes.
 */
export async function startPaymentGateways(config: StoreConfig, loadTls: () => Promise<TlsMaterial>, logger: Logger): Promise<PaymentGateways> {
  const gateways: PaymentGateway[] = [];
  const sandboxes: { stripe?: StripeSandbox; braintree?: BraintreeSandbox } = {};
  const sandboxLogger = logger.child({ component: 'sandbox' });

  for (const name of config.gateways) {
    if (name === 'stripe') {
      const { secretKey, webhookSecret } = config.stripe;
      if (config.stripe.sandbox) {
        sandboxes.stripe = await startStripeSandbox({ secretKey, webhookSecret, tls: await loadTls(), logger: sandboxLogger });
        gateways.push(createStripeGateway({ ...sandboxes.stripe.gatewayOptions(), secretKey, webhookSecret }));
      } else {
        gateways.push(createStripeGateway({ secretKey, webhookSecret }));
      }
    } else if (config.braintree.environment === 'local') {
      sandboxes.braintree = await startBraintreeSandbox({ ...config.braintree, tls: await loadTls(), logger: sandboxLogger });
      gateways.push(createBraintreeGateway(sandboxes.braintree.gatewayOptions()));
    } else {
      const environment = config.braintree.environment === 'production' ? braintree.Environment.Production : braintree.Environment.Sandbox;
      gateways.push(createBraintreeGateway({ ...config.braintree, environment }));
    }
  }
  const running = Object.entries(sandboxes);
  if (running.length > 0) {
    logger.warn({ sandboxes: Object.fromEntries(running.map(([name, s]) => [name, s.pagesOrigin])) }, 'payment gateways run against the local sandbox: no real payment');
  }

  return {
    registry: new GatewayRegistry(gateways),
    sandboxes,
    connectSandboxes(storeUrl, options) {
      for (const [name, sandbox] of running) sandbox.setCallbackTarget(`${storeUrl}/webhooks/${name}`, options);
    },
    async stop() {
      await Promise.all(running.map(([, sandbox]) => sandbox.stop()));
    },
  };
}
