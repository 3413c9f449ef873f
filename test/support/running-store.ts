import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { loadConfig, type StoreConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startStore } from '../../server/main';
import { freePort } from './free-port';
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
 * Starts a store with `startStore` on free ports, a temporary DATA_DIR (which also holds the
 * generated self-signed certificate) and a scratch database, with the demo catalog.
 *
 * @param env - extra environment, applied over the defaults (e.g. TRUST_PROXY, PUBLIC_URL)
 */
export async function startRunningStore(env: Record<string, string> = {}): Promise<RunningStoreHandle> {
  const httpPort = await freePort();
  let httpsPort = await freePort();
  while (httpsPort === httpPort) httpsPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-browser-'));
  const database = await scratchDatabase(dataDir);
  const logLines: string[] = [];
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      PUBLIC_URL: `https://localhost:${httpsPort}`,
      LOG_LEVEL: 'info',
      ...env,
    });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const store = await startStore(config, createLogger(config, sink));
    return {
      config,
      publicUrl: config.publicUrl,
      httpPort: store.httpPort,
      httpsPort: store.httpsPort,
      dataSource: store.dataSource,
      logLines,
      dataDir,
      async stop() {
        await store.stop();
        await database.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await database.drop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Current stock of a product, read straight from the store's database. */
export async function stockIn(dataSource: DataSource, slug: string): Promise<number> {
  const rows: { stock: number | string }[] = await dataSource.query('SELECT stock FROM products WHERE slug = ?', [slug]);
  if (rows.length !== 1) throw new Error(`no product ${slug}`);
  return Number(rows[0]!.stock);
}
