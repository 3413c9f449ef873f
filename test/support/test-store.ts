import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
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
import type { GatewayRegistry } from '../../server/payments/gateway-registry';
import { createGateways } from '../../server/payments/gateway-setup';
import { createLogger, type Logger } from '../../server/logger';
import { startSandboxes, type RunningSandboxes } from '../../server/sandbox/start-sandboxes';
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
 * catalog, served over HTTPS on an ephemeral port.
 */
export async function createTestStore(env: Record<string, string> = {}): Promise<TestStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-test-'));
  const database: ScratchDatabase = await scratchDatabase(dataDir);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    ...env,
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(config, sink);
  const dataSource = await openDatabase(config.database);
  if (config.seedDemoCatalog) await seedDemoCatalog(dataSource, config.currency);
  const clock = new TestClock();
  const tls = await loadTlsMaterial(config.tls, logger);
  const sandboxes = await startSandboxes(config, async () => tls, logger);
  const gateways = createGateways(config, sandboxes.gatewayOptions);
  const { app, services } = createApp({ config, dataSource, logger, clock: clock.now, gateways });
  const server = https.createServer({ cert: tls.cert, key: tls.key }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const storeUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    async close() {
      await sandboxes.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dataSource.destroy();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
