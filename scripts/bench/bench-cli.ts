// `npm run bench`: the benchmark table of issue 12 (BENCHMARKS.md says what each row measures).
// Runs the built store (dist/) as a process on loopback, measures each row, prints one table,
// writes it as markdown, and exits 1 when a row misses its budget.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchCertificate } from './bench-certificate';
import { BenchClient } from './bench-http';
import { enginesFor, parseBenchOptions, ROWS, USAGE, type BenchOptions, type Engine, type RowId } from './bench-options';
import { failingRows, formatMegabytes, formatTable, type BenchEnvironment, type BenchRow } from './bench-table';
import { measureCallbacks } from './callback-row';
import { measureCheckout } from './checkout-row';
import { formatSelfTimes, topSelfTimes, type CpuProfile, type ProfileWindow } from './cpu-profile-summary';
import { measureEmbed } from './embed-row';
import { createScratchMariaDb, type ScratchMariaDb } from './scratch-mariadb';
import { startBenchSandboxes, type BenchSandboxes } from './bench-sandboxes';
import { startStore, type StoreProcess } from './store-process';
import { measureThroughput, type ThroughputSettings } from './throughput-row';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const STORE_MEMORY_BUDGET = 150 * 1024 * 1024;
/** The Stripe sandbox's key when STRIPE_SECRET_KEY is not set (server/config.ts). */

const log = (line: string) => process.stderr.write(`${line}\n`);

function packageVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function environment(options: BenchOptions): BenchEnvironment {
  const release = fs.existsSync('/etc/os-release')
    ? /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1]
    : undefined;
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    express: packageVersion('express'),
    os: `${release ?? os.type()} (${os.type()} ${os.release()})`,
    loadGenerator:
      `autocannon ${packageVersion('autocannon')} in the bench process, ${options.connections} keep-alive connections, ` +
      `${options.rounds} rounds × ${options.roundSeconds} s per read target, medians`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}

/** A row whose measurement failed: it misses its budget and says why. */
function failedRow(id: RowId, err: unknown): BenchRow {
  const message = err instanceof Error ? err.message : String(err);
  return { id, name: id, measured: 'not measured', reference: '', budget: '', checks: [], note: message.split('\n')[0].slice(0, 300) };
}

function memoryRow(id: RowId, store: StoreProcess, engine: Engine): BenchRow {
  const rss = store.rssBytes();
  return {
    id,
    name: `memory: store RSS after its rows (${engine === 'sqlite' ? 'SQLite' : 'MariaDB'})`,
    measured: formatMegabytes(rss),
    reference: '',
    budget: '≤ 150 MB',
    checks: [{ label: formatMegabytes(rss), actual: rss, limit: STORE_MEMORY_BUDGET, direction: 'max' }],
  };
}

/** The newest .cpuprofile in `dir`, summarised over `window`. */
function profileSummary(dir: string, window: ProfileWindow | undefined): string {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return '(no profile was written: did the store exit cleanly?)';
  const newest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  const profile = JSON.parse(fs.readFileSync(newest, 'utf8')) as CpuProfile;
  return formatSelfTimes(topSelfTimes(profile, 25, ROOT, window));
}

async function runEngine(
  engine: Engine,
  options: BenchOptions,
  scratch: string,
  tls: { certFile: string; keyFile: string },
  rows: BenchRow[],
): Promise<string | null> {
  const selected = ROWS.filter((r) => r.engine === engine && options.rows.includes(r.id)).map((r) => r.id);
  const dataDir = fs.mkdtempSync(path.join(scratch, `${engine}-`));
  const db: ScratchMariaDb | null = engine === 'mariadb' ? await createScratchMariaDb(options.mysqlUrl) : null;
  const profileDir = options.profile ? fs.mkdtempSync(path.join(scratch, 'profile-')) : null;
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  let store: StoreProcess | null = null;
  let sandboxes: BenchSandboxes | null = null;
  let client: BenchClient | null = null;
  // When the profiled row ran (Date.now()), to count only its samples, not the store's start-up.
  let rowSpan: { from: number; to: number } | null = null;
  try {
    sandboxes = await startBenchSandboxes(
      ROOT,
      { cert: fs.readFileSync(tls.certFile, 'utf8'), key: fs.readFileSync(tls.keyFile, 'utf8') },
      webhookSecret,
    );
    log(`starting the store on ${engine}${profileDir ? ' under --cpu-prof' : ''}`);
    store = await startStore({
      root: ROOT,
      logFile: path.join(dataDir, 'store.log'),
      nodeArgs: [...sandboxes.nodeArgs, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      env: {
        ...sandboxes.env,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        DATABASE_URL: db ? db.url : `sqlite:${path.join(dataDir, 'store.sqlite')}`,
        PORT: '0',
        HTTPS_PORT: '0',
        LOG_LEVEL: 'info',
        SEED_DEMO_CATALOG: 'true',
        TLS_CERT_FILE: tls.certFile,
        TLS_KEY_FILE: tls.keyFile,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        // Loopback is one address: the per-address limits would measure the limiter.
        RATE_LIMIT_FACTOR: '10000',
        // Nothing but the bench's callbacks may pay the callback row's orders.
        RECONCILE_AFTER_MINUTES: '1440',
        RECONCILE_INTERVAL_SECONDS: '3600',
      },
    });
    client = new BenchClient(store.origin, 64);
    const products = JSON.parse((await client.request('GET', '/api/products')).body) as { items: { slug: string }[] };
    const settings: ThroughputSettings = {
      connections: options.connections,
      rounds: options.rounds,
      roundSeconds: options.roundSeconds,
      warmupSeconds: 2,
      certFile: tls.certFile,
      keyFile: tls.keyFile,
      scratchDir: dataDir,
      log,
    };
    const label = engine === 'sqlite' ? 'SQLite' : 'MariaDB';
    for (const id of selected) {
      log(`row ${id}`);
      const rowStarted = Date.now();
      try {
        if (id === 'catalog-sqlite' || id === 'catalog-mariadb') {
          rows.push(
            await measureThroughput(
              { id, name: `catalog GET /api/products (${label})`, path: '/api/products', minShareOfExpress: 0.8, maxP99Ms: 25 },
              store.origin,
              client,
              settings,
            ),
          );
        } else if (id === 'snapshot-sqlite' || id === 'snapshot-mariadb') {
          const slug = products.items[0].slug;
          rows.push(
            await measureThroughput(
              { id, name: `product snapshot GET /seo/products/${slug} (${label})`, path: `/seo/products/${slug}`, minShareOfExpress: 0.6 },
              store.origin,
              client,
              settings,
            ),
          );
        } else if (id === 'checkout') {
          rows.push(
            await measureCheckout(client, db!, {
              slug: 'enamel-mug',
              units: 1500,
              attempts: 1800,
              concurrency: 50,
              maxSeconds: 30,
              minOrdersPerSecond: 300,
            }),
          );
        } else if (id === 'callbacks') {
          rows.push(
            await measureCallbacks(client, db!, {
              slug: 'sticker-pack',
              orders: 1400,
              setupSeconds: 45,
              duplicateShare: 0.3,
              concurrency: 50,
              webhookSecret,
              stripeApi: sandboxes.stripeApi,
              sandboxSecretKey: sandboxes.stripeSecretKey,
              cert: fs.readFileSync(tls.certFile, 'utf8'),
              minCallbacksPerSecond: 500,
              log,
            }),
          );
        } else if (id === 'embed') {
          rows.push(
            await measureEmbed(`https://localhost:${store.httpsPort}`, {
              embedFile: path.join(ROOT, 'public', 'build', 'embed.js'),
              loads: 7,
              maxGzipBytes: 15 * 1024,
              maxPaintMs: 150,
            }),
          );
        } else {
          rows.push(memoryRow(id, store, engine));
        }
      } catch (err) {
        log(`row ${id} failed: ${err instanceof Error ? err.stack : String(err)}`);
        rows.push(failedRow(id, err));
      }
      const row = rows[rows.length - 1];
      rowSpan = row.span ?? { from: rowStarted, to: Date.now() };
      log(`  ${row.name}: ${row.measured}`);
    }
  } finally {
    client?.close();
    await store?.stop();
    await sandboxes?.stop();
    await db?.drop();
  }
  const exited = Date.now();
  const window = rowSpan ? { fromUsBeforeEnd: (exited - rowSpan.from) * 1000, toUsBeforeEnd: (exited - rowSpan.to) * 1000 } : undefined;
  return profileDir ? profileSummary(profileDir, window) : null;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    log(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-bench-'));
  const rows: BenchRow[] = [];
  const profiles: string[] = [];
  try {
    const tls = await writeBenchCertificate(scratch);
    for (const engine of enginesFor(options.rows)) {
      const profile = await runEngine(engine, options, scratch, tls, rows);
      if (profile) profiles.push(`### Profile: ${options.profile} (store process, top self time while the row ran)\n\n${profile}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const ordered = ROWS.flatMap((r) => rows.filter((row) => row.id === r.id));
  const markdown = [formatTable(environment(options), ordered), ...profiles].join('\n');
  process.stdout.write(`\n${markdown}\n`);
  fs.writeFileSync(path.resolve(options.out), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  log(`written to ${options.out}`);
  return failingRows(ordered).length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
