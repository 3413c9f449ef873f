import { loadConfig } from './config';
import { openDatabase } from './database';
import { createLogger } from './logger';
import { createGateways } from './payments/gateway-setup';
import { createServices } from './services';

/**
 * `npm run reconcile`: one reconciliation run by hand, against the configured database and
 * gateways, under the same lease as the running stores' job.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.gateways.some((g) => (g === 'stripe' ? config.stripe.sandbox : config.braintree.environment === 'local'))) {
    console.error(
      'Reconciliation by hand needs real gateway credentials: the sandbox gateways live inside the running store, whose own job reconciles every ' +
        `${config.reconcileIntervalSeconds} s. Set PAYMENT_GATEWAYS to the gateways you have credentials for.`,
    );
    process.exit(2);
  }
  const logger = createLogger(config);
  const dataSource = await openDatabase(config.database);
  try {
    const { reconciler } = createServices({ config, dataSource, logger, gateways: createGateways(config) });
    const report = await reconciler.runOnce();
    console.log(report === null ? 'Another instance is reconciling right now; nothing done.' : JSON.stringify(report, null, 2));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('Reconciliation failed:', err);
  process.exit(1);
});
