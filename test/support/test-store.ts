import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp, type AppServices } from '../../server/app';
import { seedDemoCatalog } from '../../server/catalog/demo-catalog';
import { loadConfig, type StoreConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { loadTlsMaterial, type TlsMaterial } from '../../server/http/tls-certificate';
import { tlsServerOptions } from '../../server/http/tls-options';
import type { GatewayRegistry } from '../../server/payments/gateway-registry';
import { createGateways } from '../../server/payments/gateway-setup';
import { createLogger, type Logger } from '../../server/logger';
import { startSandboxes, type RunningSandboxes } from '../../server/sandbox/start-sandboxes';
import { closeServer, listenOnLoopback, portOf } from './loopback';
import { Teardown, useTeardown } from './teardown';
import { recordOutput } from './secret-scan';
import { registerConfigSecrets, registerStoredSecrets } from './store-secrets';
import { scratchDatabase, type ScratchDatabase } from './test-database';

/** A clock tests can move forward. */
export class TestClock {
  private current = new Date();
  now = (): Date => new Date(this.current.getTime());
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Everything a test needs to drive one store over real HTTPS with supertest. */
export interface TestStore {
  readonly config: StoreConfig;
  readonly dataSource: DataSource;
  readonly services: AppServices;
  readonly app: Express;
  readonly logger: Logger;
  readonly clock: TestClock;
  /** Every log line the store wrote, as JSON text. */
  readonly logLines: string[];
  readonly dataDir: string;
  /** A supertest agent speaking HTTPS to the store, trusting its generated certificate. */
  readonly api: request.Agent;
  /** Where the store answers (`https://127.0.0.1:<port>`): its public URL stays the configured one. */
  readonly storeUrl: string;
  readonly tls: TlsMaterial;
  readonly gateways: GatewayRegistry;
  readonly sandboxes: RunningSandboxes;
  close(): Promise<void>;
}

/**
 * Starts a store on a scratch database (SQLite or MariaDB, per jest project) with the demo
 * catalog, served over HTTPS on an ephemeral port. If a step fails, what the earlier ones started
 * is stopped before the error is thrown.
 */
export async function createTestStore(env: Record<string, string> = {}): Promise<TestStore> {
  const undo = new Teardown();
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-test-'));
    undo.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const logLines: string[] = [];
    // Runs last: everything the store logged, down to its shutdown, goes to the secret scan.
    undo.defer(() => recordOutput(`test store log (${path.basename(dataDir)})`, logLines.join('\n')));
    const database: ScratchDatabase = await undo.track(scratchDatabase(dataDir), (db) => db.drop());
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      ...env,
    });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger(config, sink);
    const dataSource = await undo.track(openDatabase(config.database), (ds) => ds.destroy());
    if (config.seedDemoCatalog) await seedDemoCatalog(dataSource, config.currency);
    const clock = new TestClock();
    const tls = await loadTlsMaterial(config.tls, logger);
    const sandboxes = await undo.track(
      startSandboxes(config, async () => tls, logger),
      (s) => s.stop(),
    );
    const gateways = createGateways(config, sandboxes.gatewayOptions);
    const { app, listener, services } = createApp({ config, dataSource, logger, clock: clock.now, gateways });
    // The outbox worker only runs when a test starts it; stopping it also closes the mail transport.
    undo.defer(() => services.outbox.stop());
    registerConfigSecrets(config);
    // Before the database closes: the TOTP secrets issued and the cookie-signing secret, for the secret scan.
    undo.defer(() => registerStoredSecrets(config, dataSource));
    const server = https.createServer(tlsServerOptions(tls), listener);
    await undo.track(listenOnLoopback(server), closeServer);
    const storeUrl = `https://127.0.0.1:${portOf(server)}`;
    sandboxes.connect(storeUrl, { ca: tls.cert });
    const api = request.agent(server, { ca: tls.cert });

    return {
      config,
      dataSource,
      services,
      app,
      logger,
      clock,
      logLines,
      dataDir,
      api,
      storeUrl,
      tls,
      gateways,
      sandboxes,
      close: () => undo.run(),
    };
  } catch (error) {
    await undo.run().catch(() => undefined);
    throw error;
  }
}

/**
 * One store for the enclosing `describe`: created in a `beforeAll`, closed in an `afterAll` (also
 * when its creation or a later `beforeAll` failed). Use the returned store inside tests and hooks;
 * before it exists, reading it throws an error saying so.
 *
 * @param env - extra environment, or a function giving it when the store starts (e.g. the URL of
 *   an SMTP sink started by an earlier `beforeAll`)
 * @param teardown - the teardown to register with, when the suite has one (so that it closes the
 *   store before what the store depends on); by default one of its own
 */
export function useTestStore(
  env: Record<string, string> | (() => Record<string, string>) = {},
  teardown: Teardown = useTeardown(),
): TestStore {
  let store: TestStore | undefined;
  beforeAll(async () => {
    store = await teardown.track(createTestStore(typeof env === 'function' ? env() : env), (s) => s.close());
  });
  return new Proxy({} as TestStore, {
    get(_target, property) {
      // Symbols and `then` are asked by jest's printer and by promises; they are not the store's.
      if (typeof property === 'symbol' || property === 'then') return undefined;
      if (!store)
        throw new Error(
          `the test store is not running (read ${String(property)}): its beforeAll failed (see that error) or this runs outside a test`,
        );
      return store[property as keyof TestStore];
    },
  });
}
