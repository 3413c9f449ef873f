import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from './app';
import { createDevelopmentAdmin } from './admin/auth/development-admin';
import { sealPlainSecrets } from './admin/auth/admin-secrets';
import { seedDemoCatalog } from './catalog/demo-catalog';
import { ConfigError, loadConfig, withListeningPorts, type StoreConfig } from './config';
import { openDatabase } from './database';
import { armFaults } from './fault-injection';
import { createHttpListener, createHttpsListener } from './http/listeners';
import { loadTlsMaterial, type TlsMaterial } from './http/tls-certificate';
import { createLogger, type Logger } from './logger';
import { expireUnpaidOrders } from './orders/order-expiry';
import { createGateways } from './payments/gateway-setup';
import { startSandboxes, type RunningSandboxes } from './sandbox/start-sandboxes';

const SHUTTING_DOWN = JSON.stringify({ error: { code: 'unavailable', message: 'The store is restarting; please try again in a moment.' } });

/** A running store: its listeners' addresses and a way to stop it gracefully. */
export interface RunningStore {
  /** Port of the plain-HTTP listener (redirects; the only listener in TRUST_PROXY mode). */
  readonly httpPort: number;
  /** Port of the TLS listener, or null in TRUST_PROXY mode. */
  readonly httpsPort: number | null;
  /** The configuration it runs with: the real ports, and PUBLIC_URL naming the real HTTPS port when it defaulted to it. */
  readonly config: StoreConfig;
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
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; idle ones go now, busy ones finish first.
    server.closeIdleConnections();
  });
}

/**
 * Starts the store: listens first (PORT and HTTPS_PORT may be 0: any free port; the real ones are
 * in the result), then migrates the database, seeds the demo catalog into an empty store, serves
 * HTTPS (and the HTTP redirect listener), expires unpaid orders on an interval and sends the
 * e-mail outbox. If any step fails, whatever was started is stopped before the error is thrown.
 */
export async function startStore(configured: StoreConfig, logger: Logger): Promise<RunningStore> {
  let tlsMaterial: Promise<TlsMaterial> | undefined;
  const loadTls = () => (tlsMaterial ??= loadTlsMaterial(configured.tls, logger));
  // Until the app is built, the listeners answer 503: they listen first so that the real ports
  // (and so the default PUBLIC_URL) are known before anything is built from the configuration.
  let handle: http.RequestListener = (_req, res) => {
    res.writeHead(503, { 'Retry-After': '1' }).end();
  };
  // Once stopping, requests already being served finish (told to close their connection); a new
  // request on a kept-alive connection is answered 503 and its connection closed.
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  // One listener for every response (a response closes once): no closure per request.
  function answered(this: http.ServerResponse): void {
    inFlight.delete(this);
    if (draining) for (const server of servers) server.closeIdleConnections();
  }
  const serve: http.RequestListener = (req, res) => {
    if (draining) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1', Connection: 'close' }).end(SHUTTING_DOWN);
      return;
    }
    inFlight.add(res);
    res.on('close', answered);
    handle(req, res);
  };
  const drain = (): void => {
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  const servers: http.Server[] = [];
  const timers: NodeJS.Timeout[] = [];
  let dataSource: DataSource | undefined;
  let sandboxes: RunningSandboxes | undefined;
  let outbox: { stop(): Promise<void> } | undefined;
  const release = async (): Promise<void> => {
    drain();
    for (const timer of timers) clearInterval(timer);
    await outbox?.stop();
    await Promise.all(servers.map(close));
    await sandboxes?.stop();
    if (dataSource?.isInitialized) await dataSource.destroy();
  };

  try {
    let httpsPort: number | null = null;
    if (configured.trustProxy === false) {
      const tls = await loadTls();
      const httpsServer = createHttpsListener(tls, configured.listenerTimeouts, serve);
      servers.push(httpsServer);
      httpsPort = await listen(httpsServer, configured.httpsPort);
    }
    const httpServer = createHttpListener(configured.listenerTimeouts, serve);
    servers.push(httpServer);
    const httpPort = await listen(httpServer, configured.port);
    const config = withListeningPorts(configured, { port: httpPort, httpsPort });
    armFaults(config.faultInjection);
    if (config.faultInjection.length > 0)
      logger.warn({ faults: config.faultInjection }, 'FAULT_INJECTION is on: this store crashes on purpose');

    const db = await openDatabase(config.database, { poolSize: config.databasePoolSize, transactionRetries: config.transactionRetries });
    dataSource = db;
    if (config.seedDemoCatalog && (await seedDemoCatalog(db, config.currency))) {
      logger.info('seeded the demo catalog');
    }
    if (config.env === 'development') {
      // Printed, not logged: the one time this password exists outside its hash.
      const created = await createDevelopmentAdmin(db, config.publicUrl);
      if (created) process.stdout.write(`${created}\n`);
    }
    sandboxes = await startSandboxes(config, loadTls, logger);
    const { listener, services } = createApp({
      config,
      dataSource: db,
      logger,
      gateways: createGateways(config, sandboxes.gatewayOptions),
    });
    // Secrets stored in plain text before encryption at rest are sealed before the admin serves.
    await sealPlainSecrets(db, services.secrets, logger);
    handle = listener;

    // Sandboxes deliver their callbacks straight to this process, as the gateway would to PUBLIC_URL.
    if (httpsPort !== null) sandboxes.connect(`https://127.0.0.1:${httpsPort}`, { ca: (await loadTls()).cert });
    else sandboxes.connect(`http://127.0.0.1:${httpPort}`, { headers: { 'X-Forwarded-Proto': 'https' } });

    const sweep = setInterval(() => {
      expireUnpaidOrders(db, services.transitions, logger, services.clock()).catch((err: unknown) =>
        logger.error({ err }, 'order expiry sweep failed'),
      );
      services.adminSessions.sweep().catch((err: unknown) => logger.error({ err }, 'admin session sweep failed'));
    }, config.expirySweepSeconds * 1000);
    sweep.unref();
    const reconciliation = setInterval(() => {
      services.reconciler.runOnce().catch((err: unknown) => logger.error({ err }, 'payment reconciliation failed'));
    }, config.reconcileIntervalSeconds * 1000);
    reconciliation.unref();
    timers.push(sweep, reconciliation);
    outbox = services.outbox;
    services.outbox.start();

    logger.info(
      { https: httpsPort === null ? null : `${config.publicUrl}`, httpPort, httpsPort, trustProxy: config.trustProxy !== false },
      'Padlock Store is running',
    );

    let stopping: Promise<void> | undefined;
    return {
      httpPort,
      httpsPort,
      config,
      dataSource: db,
      stop() {
        stopping ??= release();
        return stopping;
      },
    };
  } catch (err) {
    await release().catch((releaseErr: unknown) => logger.error({ err: releaseErr }, 'cleaning up after a failed start failed'));
    throw err;
  }
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
    console.log(`\n  Padlock Store: ${store.config.publicUrl}/   (plain HTTP on port ${store.httpPort} redirects there)\n`);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // In-flight requests get SHUTDOWN_GRACE_SECONDS to finish; past that the process exits anyway.
    const forced = setTimeout(() => {
      logger.error({ graceSeconds: config.shutdownGraceSeconds }, 'shutdown grace period over: exiting with requests still open');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
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
