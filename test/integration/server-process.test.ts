import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { verifyPassword } from '../../server/admin/auth/password-hashing';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { freePort } from '../support/free-port';
import { scratchDatabase, type ScratchDatabase } from '../support/test-database';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'server', 'main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function start(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
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

async function waitForHealth(port: number, started: Started): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await plainGet(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (started.child.exitCode !== null) throw new Error(`store exited early:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`store did not become healthy:\n${started.output()}`);
}

describe('the store as a process (npm start)', () => {
  let dataDir: string;
  let database: ScratchDatabase;
  let env: Record<string, string>;
  let httpPort: number;
  let httpsPort: number;

  beforeAll(async () => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-process-'));
    database = await scratchDatabase(dataDir);
    httpPort = await freePort();
    httpsPort = await freePort();
    env = { DATA_DIR: dataDir, DATABASE_URL: database.url, PORT: String(httpPort), HTTPS_PORT: String(httpsPort) };
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the demo catalog over HTTPS, redirects HTTP with 308, and stops cleanly on SIGTERM; a restart reuses the certificate and does not reseed', async () => {
    const first = start(env);
    await waitForHealth(httpPort, first);
    const products = await get(`https://localhost:${httpsPort}/api/products`);
    expect(products.status).toBe(200);
    expect(JSON.parse(products.body).total).toBe(8);
    expect(products.headers['strict-transport-security']).toBeDefined();

    const redirect = await plainGet(`http://127.0.0.1:${httpPort}/x?y=1`);
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe(`https://localhost:${httpsPort}/x?y=1`);

    // A development store without admins makes one and prints its password once, outside the log.
    const printed = /Development admin created: admin@store\.localhost \/ ([A-Za-z0-9_-]{20})\n/.exec(first.output());
    expect(printed).not.toBeNull();
    expect(first.output().split(printed![1]!)).toHaveLength(2);
    const db = await openDatabase(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: database.url }).database);
    const admins: { email: string; password_hash: string }[] = await db.query('SELECT email, password_hash FROM admin_users').finally(() => db.destroy());
    expect(admins.map((a) => a.email)).toEqual(['admin@store.localhost']);
    await expect(verifyPassword(printed![1]!, admins[0]!.password_hash)).resolves.toBe(true);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('shutting down');

    const second = start(env);
    await waitForHealth(httpPort, second);
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
