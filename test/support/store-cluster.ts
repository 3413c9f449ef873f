import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import request from 'supertest';
import { loadTlsMaterial, type TlsMaterial } from '../../server/http/tls-certificate';
import { createLogger } from '../../server/logger';
import { STORE_NODE_FLAGS } from '../../server/node-flags';
import { startStripeSandbox, type StripeSandbox } from '../../server/sandbox/stripe/stripe-sandbox';
import { recordOutput, registerSecrets } from './secret-scan';
import { Teardown } from './teardown';
import { freeLoopbackPort as freePort } from './loopback';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'server', 'main.js');
const HAPROXY_CONFIG = path.join(ROOT, 'scripts', 'haproxy-cluster.cfg');
const GALERA_SCRIPT = path.join(ROOT, 'scripts', 'start-galera-cluster.sh');
const EXTERNAL_SANDBOXES = path.join(__dirname, 'external-sandboxes.cjs');
/** The key a store without STRIPE_SECRET_KEY uses for its sandbox. */
const STRIPE_SANDBOX_KEY = 'sk_test_padlock_sandbox';

/** Client ports of the three Galera nodes that scripts/start-galera-cluster.sh starts. */
export const GALERA_PORTS = [3307, 3308, 3309] as const;
const DB_USER = 'padlock:padlock';

/** One store process of the cluster, writing to its own Galera node. */
export interface ClusterInstance {
  /** `store1`…`store3`: HAProxy's name for it (the X-Padlock-Instance header). */
  readonly name: string;
  readonly galeraPort: number;
  readonly child: ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  output(): string;
  /** JSON log lines the process wrote so far. */
  logLines(): Record<string, unknown>[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Three stores on the Galera cluster behind HAProxy, on one fresh database. */
export interface StoreCluster {
  /** HAProxy's HTTPS origin, the stores' PUBLIC_URL. */
  readonly url: string;
  readonly tls: TlsMaterial;
  readonly instances: readonly ClusterInstance[];
  /** The environment all three share (SECRETS_KEY, STRIPE_WEBHOOK_SECRET, …). */
  readonly sharedEnv: Readonly<Record<string, string>>;
  /**
   * The Stripe sandbox all three stores talk to, running in the test's process (so it outlives a
   * killed store). Its callbacks go nowhere until the test calls `setCallbackTarget`.
   */
  readonly stripe: StripeSandbox;
  /** A connection pool on Galera node 1 for the test's own reads and fixtures. */
  readonly db: mysql.Pool;
  readonly databaseName: string;
  /** A cookie jar speaking HTTPS to HAProxy. */
  agent(): request.Agent;
  stop(): Promise<void>;
}

/** Whether the three Galera nodes answer (scripts/start-galera-cluster.sh). */
export async function galeraAvailable(): Promise<boolean> {
  try {
    for (const port of GALERA_PORTS) {
      const conn = await mysql.createConnection({ uri: `mysql://${DB_USER}@127.0.0.1:${port}/`, connectTimeout: 2000 });
      const [rows] = await conn.query("SHOW STATUS LIKE 'wsrep_local_state_comment'");
      await conn.end();
      if ((rows as { Value: string }[])[0]?.Value !== 'Synced') return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** (Re)starts every Galera node that is down and waits until all three are Synced again. */
export function restartGaleraNodes(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [GALERA_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`start-galera-cluster.sh failed (${code}):\n${output}`))));
  });
}

/** The pid of Galera node `n` (1..3), from its pid file. */
export function galeraNodePid(n: number): number {
  const dir = process.env.GALERA_DIR ?? '/var/tmp/padlock-galera';
  return Number(fs.readFileSync(path.join(dir, `node${n}`, 'mysqld.pid'), 'utf8').trim());
}

function startProcess(command: string, args: string[], env: Record<string, string>) {
  let output = '';
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
  };
  return { child, output: () => output, kill };
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  output = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

/**
 * Starts three store processes (`dist/server/main.js`), store n on Galera node n, all on one
 * fresh database and with the same SECRETS_KEY, webhook secret and PUBLIC_URL, and HAProxy in
 * front of them (TLS at HAProxy, the stores in TRUST_PROXY mode), all three on one Stripe sandbox
 * in the test's process (test/support/external-sandboxes.cjs). Store 1 starts first and migrates
 * the schema; the other two start once it runs.
 */
export async function startStoreCluster(extraEnv: Record<string, string> = {}): Promise<StoreCluster> {
  const undo = new Teardown();
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-cluster-'));
    undo.defer(() => fs.rmSync(dir, { recursive: true, force: true }));

    const databaseName = `padlock_cluster_${randomBytes(4).toString('hex')}`;
    const admin = await mysql.createConnection({ uri: `mysql://${DB_USER}@127.0.0.1:${GALERA_PORTS[0]}/` });
    await admin.query(`CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    undo.defer(async () => {
      const conn = await mysql.createConnection({ uri: `mysql://${DB_USER}@127.0.0.1:${GALERA_PORTS[0]}/` });
      await conn.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
      await conn.end();
    });
    const db = mysql.createPool({ uri: `mysql://${DB_USER}@127.0.0.1:${GALERA_PORTS[0]}/${databaseName}`, connectionLimit: 4 });
    undo.defer(() => db.end());

    const tls = await loadTlsMaterial({ kind: 'generated', dir }, createLogger({ logLevel: 'silent' }));
    const pem = path.join(dir, 'haproxy.pem');
    fs.writeFileSync(pem, `${tls.cert.trim()}\n${tls.key.trim()}\n`, { mode: 0o600 });

    const frontPort = await freePort();
    const url = `https://127.0.0.1:${frontPort}`;
    const sharedEnv: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'loopback',
      PORT: '0',
      HTTPS_PORT: '0',
      PUBLIC_URL: url,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, 'A')}`,
      PAYMENT_GATEWAYS: 'stripe',
      SEED_DEMO_CATALOG: 'true',
      // Every test client comes from 127.0.0.1: the limits would count them all as one visitor.
      RATE_LIMIT_FACTOR: '10000',
      TRANSACTION_RETRIES: '8',
      ...extraEnv,
    };
    registerSecrets('cluster shared secrets', [sharedEnv.SECRETS_KEY, sharedEnv.STRIPE_WEBHOOK_SECRET]);
    const stripe = await startStripeSandbox({
      secretKey: STRIPE_SANDBOX_KEY,
      webhookSecret: sharedEnv.STRIPE_WEBHOOK_SECRET,
      tls,
      logger: createLogger({ logLevel: 'silent' }),
      firstRetryMs: 500,
    });
    undo.defer(() => stripe.stop());
    sharedEnv.PADLOCK_FAULT_TEST_SANDBOXES = JSON.stringify({ stripe: stripe.gatewayOptions() });

    const startInstance = async (i: number): Promise<ClusterInstance> => {
      const dataDir = path.join(dir, `store${i + 1}`);
      fs.mkdirSync(dataDir);
      const databaseUrl = `mysql://${DB_USER}@127.0.0.1:${GALERA_PORTS[i]}/${databaseName}`;
      const proc = startProcess(process.execPath, [...STORE_NODE_FLAGS, '--require', EXTERNAL_SANDBOXES, MAIN], {
        ...sharedEnv,
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
      });
      undo.defer(async () => {
        await proc.kill();
        recordOutput(`cluster store ${i + 1}`, proc.output());
      });
      const running = await waitFor(
        `store ${i + 1} did not say it is running`,
        () => {
          if (proc.child.exitCode !== null) throw new Error(`store ${i + 1} exited early:\n${proc.output()}`);
          return jsonLines(proc.output()).find((line) => line.msg === 'Padlock Store is running');
        },
        30_000,
        proc.output,
      );
      return {
        name: `store${i + 1}`,
        galeraPort: GALERA_PORTS[i],
        child: proc.child,
        port: Number(running.httpPort),
        dataDir,
        output: proc.output,
        logLines: () => jsonLines(proc.output()),
        kill: proc.kill,
      };
    };
    const first = await startInstance(0);
    const instances = [first, ...(await Promise.all([startInstance(1), startInstance(2)]))];

    const haproxy = startProcess('haproxy', ['-db', '-f', HAPROXY_CONFIG], {
      HAPROXY_PORT: String(frontPort),
      HAPROXY_PEM: pem,
      STORE1_PORT: String(instances[0].port),
      STORE2_PORT: String(instances[1].port),
      STORE3_PORT: String(instances[2].port),
    });
    undo.defer(() => haproxy.kill('SIGTERM'));
    const agent = () => request.agent(url, { ca: tls.cert });
    // Up when HAProxy answers and has seen every store ready.
    const seen = new Set<string>();
    await waitFor(
      'HAProxy did not route to all three stores',
      async () => {
        if (haproxy.child.exitCode !== null) throw new Error(`haproxy exited:\n${haproxy.output()}`);
        const res = await request(url)
          .get('/healthz')
          .ca(tls.cert)
          .catch(() => null);
        const served = res?.status === 200 ? res.headers['x-padlock-instance'] : undefined;
        if (served) seen.add(served);
        return seen.size === 3 ? true : undefined;
      },
      15_000,
      haproxy.output,
    );
    return { url, tls, instances, sharedEnv, stripe, db, databaseName, agent, stop: () => undo.run() };
  } catch (error) {
    await undo.run().catch(() => undefined);
    throw error;
  }
}
