import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp, type StoreServices } from '../../server/app';
import { seedDemoCatalog } from '../../server/catalog/demo-catalog';
import { loadConfig, type StoreConfig } from '../../server/config';
import { openDatabase } from '../../server/db/data-source';
import { loadTlsMaterial } from '../../server/http/tls-certificate';
import { createLogger, type Logger } from '../../server/logger';
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
  readonly services: StoreServices;
  readonly app: Express;
  readonly logger: Logger;
  readonly clock: TestClock;
  /** Every log line the store wrote, as JSON text. */
  readonly logLines: string[];
  readonly dataDir: string;
  /** A supertest agent speaking HTTPS to the store, trusting its generated certificate. */
  readonly api: request.Agent;
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
  const { app, services } = createApp({ config, dataSource, logger, clock: clock.now });
  const tls = await loadTlsMaterial(config.tls, logger);
  const server = https.createServer({ cert: tls.cert, key: tls.key }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
    async close() {
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
