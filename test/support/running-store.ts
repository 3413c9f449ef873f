import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { loadConfig, type StoreConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startStore } from '../../server/main';
import { recordOutput } from './secret-scan';
import { registerConfigSecrets, registerStoredSecrets } from './store-secrets';
import { Teardown } from './teardown';
import { scratchDatabase } from './test-database';

/** A whole store started the way `main.ts` starts it (real listeners), for browser tests. */
export interface RunningStoreHandle {
  readonly config: StoreConfig;
  /** The store's public origin (PUBLIC_URL), e.g. `https://localhost:41234`. */
  readonly publicUrl: string;
  /** The plain-HTTP listener (redirects; the only listener in TRUST_PROXY mode). */
  readonly httpPort: number;
  /** The TLS listener, or null in TRUST_PROXY mode. */
  readonly httpsPort: number | null;
  readonly dataSource: DataSource;
  /** Every log line the store wrote, as JSON text. */
  readonly logLines: string[];
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts a store with `startStore` on ports the system picks (PORT=0, HTTPS_PORT=0; PUBLIC_URL
 * defaults to `https://localhost:<its real HTTPS port>`), a temporary DATA_DIR (which also holds
 * the generated self-signed certificate) and a scratch database, with the demo catalog. If it
 * fails to start, the folder and the database are removed before the error is thrown.
 *
 * @param env - extra environment, applied over the defaults (e.g. TRUST_PROXY, PUBLIC_URL)
 */
export async function startRunningStore(env: Record<string, string> = {}): Promise<RunningStoreHandle> {
  const undo = new Teardown();
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-browser-'));
    undo.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const logLines: string[] = [];
    undo.defer(() => recordOutput(`running store log (${path.basename(dataDir)})`, logLines.join('\n')));
    const database = await undo.track(scratchDatabase(dataDir), (db) => db.drop());
    const configured = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      PORT: '0',
      HTTPS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const store = await undo.track(startStore(configured, createLogger(configured, sink)), (s) => s.stop());
    registerConfigSecrets(store.config);
    undo.defer(() => registerStoredSecrets(store.config, store.dataSource));
    return {
      config: store.config,
      publicUrl: store.config.publicUrl,
      httpPort: store.httpPort,
      httpsPort: store.httpsPort,
      dataSource: store.dataSource,
      logLines,
      dataDir,
      stop: () => undo.run(),
    };
  } catch (err) {
    await undo.run().catch(() => undefined);
    throw err;
  }
}

/** Current stock of a product, read straight from the store's database. */
export async function stockIn(dataSource: DataSource, slug: string): Promise<number> {
  const rows: { stock: number | string }[] = await dataSource.query('SELECT stock FROM products WHERE slug = ?', [slug]);
  if (rows.length !== 1) throw new Error(`no product ${slug}`);
  return Number(rows[0].stock);
}
