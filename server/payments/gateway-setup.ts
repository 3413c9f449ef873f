import braintree from 'braintree';
import type { StoreConfig } from '../config';
import { createBraintreeGateway, type BraintreeGatewayOptions } from './braintree/braintree.gateway';
import { GatewayRegistry } from './gateway-registry';
import type { PaymentGateway } from './payment-gateway';
import { createStripeGateway, type StripeGatewayOptions } from './stripe/stripe.gateway';

/**
 * Where the gateways without credentials connect instead of the real gateway: a stand-in that
 * speaks its wire protocol (the development sandbox started by `server/main.ts`, or a test's).
 */
export interface SandboxGatewayOptions {
  readonly stripe?: StripeGatewayOptions;
  readonly braintree?: BraintreeGatewayOptions;
}

/**
 * Builds the gateways listed in PAYMENT_GATEWAYS: with credentials, the official SDKs talk to
 * the real gateway; without (never in production: config refuses that), they are pointed at the
 * connection given in `sandboxOptions`, and a gateway left without one is a start-up fault.
 */
export function createGateways(config: StoreConfig, sandboxOptions: SandboxGatewayOptions = {}): GatewayRegistry {
  const gateways: PaymentGateway[] = [];
  for (const name of config.gateways) {
    if (name === 'stripe') {
      const { secretKey, webhookSecret } = config.stripe;
      const options = config.stripe.sandbox ? withoutCredentials(name, sandboxOptions.stripe) : {};
      gateways.push(createStripeGateway({ ...options, secretKey, webhookSecret }));
    } else if (config.braintree.environment === 'local') {
      gateways.push(createBraintreeGateway(withoutCredentials(name, sandboxOptions.braintree)));
    } else {
      const environment = config.braintree.environment === 'production' ? braintree.Environment.Production : braintree.Environment.Sandbox;
      gateways.push(createBraintreeGateway({ ...config.braintree, environment }));
    }
  }
  return new GatewayRegistry(gateways);
}

function withoutCredentials<T>(name: string, options: T | undefined): T {
  if (options === undefined) throw new Error(`${name} has no credentials and no sandbox to connect to`);
  return options;
}
