import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { verifyPassword } from '../../server/admin/auth/password-hashing';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { useTeardown } from '../support/teardown';
import { scratchDatabase, type ScratchDatabase } from '../support/test-database';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'server', 'main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The ports a started store listens on (it was given 0 for both), from its "is running" log line. */
interface Ports {
  httpPort: number;
  httpsPort: number;
}

const children: ChildProcess[] = [];

function start(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Kills a store that a test left running, and waits until it is gone. */
function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string; cert: string | null }> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request (no keep-alive), so the store can stop at once.
    const req = https.get(url, { rejectUnauthorized: false, agent: false }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, cert }));
    });
    req.on('error', reject);
  });
}

async function plainGet(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

/** Waits for the store's "is running" line, reads its ports from it, and checks it is healthy on the HTTP port. */
async function waitUntilRunning(started: Started): Promise<Ports> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const running = started
      .output()
      .split('\n')
      .slice(0, -1) // the last line may not be complete yet
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; httpPort?: number; httpsPort?: number })
      .find((line) => line.msg === 'Padlock Store is running');
    if (running) {
      const ports = { httpPort: running.httpPort!, httpsPort: running.httpsPort! };
      expect((await plainGet(`http://127.0.0.1:${ports.httpPort}/healthz`)).status).toBe(200);
      return ports;
    }
    if (started.child.exitCode !== null) throw new Error(`store exited early:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`store did not say it is running:\n${started.output()}`);
}

describe('the store as a process (npm start)', () => {
  const teardown = useTeardown();
  let dataDir: string;
  let database: ScratchDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-process-'));
    teardown.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    database = await teardown.track(scratchDatabase(dataDir), (db) => db.drop());
    // Port 0: the store listens where the system says and logs the ports it got.
    env = { DATA_DIR: dataDir, DATABASE_URL: database.url, PORT: '0', HTTPS_PORT: '0' };
  });
  afterEach(() => Promise.all(children.splice(0).map(kill)));

  it('serves the demo catalog over HTTPS, redirects HTTP with 308, and stops cleanly on SIGTERM; a restart reuses the certificate and does not reseed', async () => {
    const first = start(env);
    let { httpPort, httpsPort } = await waitUntilRunning(first);
    expect(httpsPort).not.toBe(httpPort);
    const products = await get(`https://localhost:${httpsPort}/api/products`);
    expect(products.status).toBe(200);
    expect(JSON.parse(products.body).total).toBe(8);
    expect(products.headers['strict-transport-security']).toBeDefined();

    const redirect = await plainGet(`http://127.0.0.1:${httpPort}/x?y=1`);
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe(`https://localhost:${httpsPort}/x?y=1`);
    // PUBLIC_URL defaults to the HTTPS port the store really got.
    expect(first.output()).toContain(`Padlock Store: https://localhost:${httpsPort}/ `);

    // A development store without admins makes one and prints its password once, outside the log.
    const printed = /Development admin created: admin@store\.localhost \/ ([A-Za-z0-9_-]{20})\n/.exec(first.output());
    expect(printed).not.toBeNull();
    expect(first.output().split(printed![1])).toHaveLength(2);
    const db = await openDatabase(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: database.url }).database);
    const admins: { email: string; password_hash: string }[] = await db
      .query('SELECT email, password_hash FROM admin_users')
      .finally(() => db.destroy());
    expect(admins.map((a) => a.email)).toEqual(['admin@store.localhost']);
    await expect(verifyPassword(printed![1], admins[0].password_hash)).resolves.toBe(true);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('shutting down');

    const second = start(env);
    ({ httpPort, httpsPort } = await waitUntilRunning(second));
    const again = await get(`https://localhost:${httpsPort}/api/products`);
    expect(again.cert).toBe(products.cert);
    expect(JSON.parse(again.body).total).toBe(8);
    expect(second.output()).not.toContain('seeded the demo catalog');
    expect(second.output()).not.toContain('Development admin created');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses to start in production on development defaults, listing every problem at once', async () => {
    const started = start({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(await started.exited).toBe(78);
    const out = started.output();
    expect(out).toContain('Invalid configuration');
    expect(out).toContain('PUBLIC_URL is required in production');
    expect(out).toContain('TLS_CERT_FILE and TLS_KEY_FILE are required in production');
    expect(out).toContain('DATABASE_URL must point to MySQL/MariaDB in production');
  });
});
