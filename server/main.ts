import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from './app';
import { createDevelopmentAdmin } from './admin/auth/development-admin';
import { seedDemoCatalog } from './catalog/demo-catalog';
import { ConfigError, loadConfig, type StoreConfig } from './config';
import { openDatabase } from './database';
import { loadTlsMaterial, type TlsMaterial } from './http/tls-certificate';
import { createLogger, type Logger } from './logger';
import { expireUnpaidOrders } from './orders/order-expiry';
import { createGateways } from './payments/gateway-setup';
import { startSandboxes } from './sandbox/start-sandboxes';

/** A running store: its listeners' addresses and a way to stop it gracefully. */
export interface RunningStore {
  /** Port of the plain-HTTP listener (redirects; the only listener in TRUST_PROXY mode). */
  readonly httpPort: number;
  /** Port of the TLS listener, or null in TRUST_PROXY mode. */
  readonly httpsPort: number | null;
  readonly dataSource: DataSource;
  stop(): Promise<void>;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; idle ones go now, busy ones finish first.
    server.closeIdleConnections();
  });
}

/**
 * Starts the store: migrates the database, seeds the demo catalog into an empty store, serves
 * HTTPS (and the HTTP redirect listener), expires unpaid orders on an interval and sends the
 * e-mail outbox.
 */
export async function startStore(config: StoreConfig, logger: Logger): Promise<RunningStore> {
  const dataSource = await openDatabase(config.database);
  if (config.seedDemoCatalog && (await seedDemoCatalog(dataSource, config.currency))) {
    logger.info('seeded the demo catalog');
  }
  if (config.env === 'development') {
    // Printed, not logged: the one time this password exists outside its hash.
    const created = await createDevelopmentAdmin(dataSource, config.publicUrl);
    if (created) process.stdout.write(`${created}\n`);
  }
  let tlsMaterial: Promise<TlsMaterial> | undefined;
  const loadTls = () => (tlsMaterial ??= loadTlsMaterial(config.tls, logger));
  const sandboxes = await startSandboxes(config, loadTls, logger);
  const { app, services } = createApp({ config, dataSource, logger, gateways: createGateways(config, sandboxes.gatewayOptions) });

  const servers: http.Server[] = [];
  let httpsPort: number | null = null;
  if (config.trustProxy === false) {
    const tls = await loadTls();
    const httpsServer = https.createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, app);
    servers.push(httpsServer);
    httpsPort = await listen(httpsServer, config.httpsPort);
  }
  const httpServer = http.createServer(app);
  servers.push(httpServer);
  const httpPort = await listen(httpServer, config.port);

  // Sandboxes deliver their callbacks straight to this process, as the gateway would to PUBLIC_URL.
  if (httpsPort !== null) sandboxes.connect(`https://127.0.0.1:${httpsPort}`, { ca: (await loadTls()).cert });
  else sandboxes.connect(`http://127.0.0.1:${httpPort}`, { headers: { 'X-Forwarded-Proto': 'https' } });

  const sweep = setInterval(() => {
    expireUnpaidOrders(dataSource, services.transitions, logger, services.clock()).catch((err: unknown) => logger.error({ err }, 'order expiry sweep failed'));
    services.adminSessions.sweep().catch((err: unknown) => logger.error({ err }, 'admin session sweep failed'));
  }, config.expirySweepSeconds * 1000);
  sweep.unref();
  const reconciliation = setInterval(() => {
    services.reconciler.runOnce().catch((err: unknown) => logger.error({ err }, 'payment reconciliation failed'));
  }, config.reconcileIntervalSeconds * 1000);
  reconciliation.unref();
  services.outbox.start();

  logger.info(
    { https: httpsPort === null ? null : `${config.publicUrl}`, httpPort, httpsPort, trustProxy: config.trustProxy !== false },
    'Padlock Store is running',
  );

  let stopping: Promise<void> | undefined;
  return {
    httpPort,
    httpsPort,
    dataSource,
    stop() {
      stopping ??= (async () => {
        clearInterval(sweep);
        clearInterval(reconciliation);
        await services.outbox.stop();
        await Promise.all(servers.map(close));
        await sandboxes.stop();
        await dataSource.destroy();
      })();
      return stopping;
    },
  };
}

async function main(): Promise<void> {
  let config: StoreConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config);
  const store = await startStore(config, logger);
  if (store.httpsPort !== null) {
    console.log(`\n  Padlock Store: ${config.publicUrl}/   (plain HTTP on port ${store.httpPort} redirects there)\n`);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    store.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('Padlock Store failed to start:', err);
    process.exit(1);
  });
}
