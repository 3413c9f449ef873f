import type { DataSource } from 'typeorm';
import { CartService } from './cart/cart.service';
import { CatalogCache } from './catalog/catalog-cache';
import { onCatalogVersionCommitted, readCatalogVersion } from './catalog/catalog-version';
import { CatalogService } from './catalog/catalog.service';
import { CheckoutService } from './checkout/checkout.service';
import { emptyCartOncePaid } from './checkout/empty-cart-once-paid';
import type { StoreConfig } from './config';
import type { SecretKeyring } from './db/secret-envelope';
import { loadSecretKeyring } from './db/secret-keys';
import type { Logger } from './logger';
import { enqueueOrderMessages } from './notifications/order-messages';
import { createOutboxWorker } from './notifications/outbox-setup';
import type { OutboxWorker } from './notifications/outbox-worker';
import { OrderTransitions } from './orders/order-transitions';
import { CallbackProcessor } from './payments/callback-processor';
import type { GatewayRegistry } from './payments/gateway-registry';
import { OrderPaymentActions } from './payments/order-payment-actions';
import { PaymentFollowUps } from './payments/payment-follow-ups';
import { PaymentStarts } from './payments/payment-starts';
import { Reconciler } from './payments/reconciliation';
import { Refunds } from './payments/refunds';

/** What the store's services are built from; `main.ts` makes them, tests and the CLIs make their own. */
export interface ServiceDependencies {
  readonly config: StoreConfig;
  readonly dataSource: DataSource;
  readonly logger: Logger;
  /** The payment gateways offered at checkout. */
  readonly gateways: GatewayRegistry;
  /** The current time; tests move it to check expiry. */
  readonly clock?: () => Date;
}

/** The store's services: everything but HTTP, for the app, the jobs, the CLIs and tests. */
export interface StoreServices {
  readonly clock: () => Date;
  readonly catalog: CatalogService;
  /** The catalog's serialised responses, shared by the API and the snapshots. */
  readonly catalogCache: CatalogCache;
  readonly carts: CartService;
  readonly checkouts: CheckoutService;
  /** The only writer of order statuses, with the effects registered below. */
  readonly transitions: OrderTransitions;
  readonly paymentStarts: PaymentStarts;
  readonly followUps: PaymentFollowUps;
  readonly refunds: Refunds;
  readonly orderPayments: OrderPaymentActions;
  readonly callbacks: CallbackProcessor;
  readonly reconciler: Reconciler;
  /** Sends the order e-mails in the outbox (main.ts starts it; tests run it directly). */
  readonly outbox: OutboxWorker;
  /** The SECRETS_KEY keyring that seals the secrets kept in the database. */
  readonly secrets: SecretKeyring;
}

/**
 * Builds the services and registers what an order's status change causes beyond the order:
 * the e-mails it owes go into the outbox, and the shopper's cart empties once the order is paid
 * or held. Each effect runs inside the transition's own transaction.
 */
export function createServices(deps: ServiceDependencies): StoreServices {
  const { config, dataSource, logger, gateways } = deps;
  const clock = deps.clock ?? (() => new Date());

  const transitions = new OrderTransitions(clock).register(enqueueOrderMessages).register(emptyCartOncePaid);
  const catalog = new CatalogService(dataSource, config.publicUrl);
  const catalogCache = new CatalogCache({ readVersion: () => readCatalogVersion(dataSource), checkMs: config.catalogCacheCheckMs });
  onCatalogVersionCommitted(dataSource, () => catalogCache.invalidate());
  const carts = new CartService(dataSource, config.currency, config.publicUrl, clock);
  const checkouts = new CheckoutService(dataSource, carts, config, clock);
  const refunds = new Refunds(dataSource, gateways, transitions, clock, logger);
  const followUps = new PaymentFollowUps(dataSource, gateways, transitions, refunds, config, logger);
  const paymentStarts = new PaymentStarts(dataSource, gateways, followUps, config, clock, logger);
  const callbacks = new CallbackProcessor(dataSource, gateways, followUps, refunds, transitions, config, logger);
  const reconcileOptions = { reconcileAfterMinutes: config.reconcileAfterMinutes, intervalSeconds: config.reconcileIntervalSeconds };
  const reconciler = new Reconciler(dataSource, gateways, followUps, callbacks, transitions, reconcileOptions, clock, logger);
  const orderPayments = new OrderPaymentActions(dataSource, gateways, followUps, refunds, transitions, clock);
  const outbox = createOutboxWorker(dataSource, config, logger, { clock });
  const { keyring: secrets, generatedNow } = loadSecretKeyring(config.secrets);
  if (generatedNow && config.secrets.kind === 'generated')
    logger.warn({ file: config.secrets.file }, 'generated a SECRETS_KEY for development; production needs its own SECRETS_KEY');

  return {
    clock,
    catalog,
    catalogCache,
    carts,
    checkouts,
    transitions,
    paymentStarts,
    followUps,
    refunds,
    orderPayments,
    callbacks,
    reconciler,
    outbox,
    secrets,
  };
}
