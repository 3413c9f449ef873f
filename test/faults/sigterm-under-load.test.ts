import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { useTeardown } from '../support/teardown';
import { scratchDatabase } from '../support/test-database';
import { ShopClient, errorOf, type Answer } from './support/shop-client';
import { killStores, spawnStore, type StoreProcess } from './support/store-process';

/** A request whose body arrives in two halves: in flight between them. */
function slowRequest(store: StoreProcess, method: string, urlPath: string, body: string) {
  let answer: (value: Answer) => void;
  let fail: (err: Error) => void;
  const answered = new Promise<Answer>((resolve, reject) => ((answer = resolve), (fail = reject)));
  const req = https.request(`${store.url}${urlPath}`, {
    method,
    agent: false,
    ca: store.ca,
    servername: 'localhost',
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
  });
  req.on('response', (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => answer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
  });
  req.on('error', (err) => fail(err));
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { answered, finish: () => req.end(body.slice(half)), abort: () => req.destroy() };
}

type Outcome = { kind: 'answer'; status: number; connection: string | undefined } | { kind: 'error'; code: string; reused: boolean };

describe('SIGTERM under load', () => {
  const teardown = useTeardown();
  let env: Record<string, string>;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-sigterm-'));
    teardown.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const database = await teardown.track(scratchDatabase(dataDir), (db) => db.drop());
    env = { DATA_DIR: dataDir, DATABASE_URL: database.url, RATE_LIMIT_FACTOR: '1000', NODE_ENV: 'test' };
  });
  afterEach(killStores);

  it('finishes the requests in flight, refuses new ones, and exits 0 within SHUTDOWN_GRACE_SECONDS', async () => {
    const store = await spawnStore({ ...env, SHUTDOWN_GRACE_SECONDS: '10' });
    const client = new ShopClient(store.url, store.ca, { maxSockets: 12 });
    teardown.defer(() => client.close());
    const [product] = (await client.products()).filter((p) => p.inStock);
    const cartId = await client.cartWith(product.id);

    // Load: 12 shoppers browsing and filling carts on keep-alive connections, until the store is gone.
    const outcomes: Outcome[] = [];
    let stopLoad = false;
    const shopper = async (n: number) => {
      while (!stopLoad) {
        const request = n % 2 === 0 ? client.request('GET', '/api/products') : client.request('POST', '/api/carts', { json: {} });
        try {
          const answer = await request;
          outcomes.push({ kind: 'answer', status: answer.status, connection: answer.headers.connection as string | undefined });
          if (answer.status === 503) expect(errorOf(answer)?.code).toBe('unavailable');
        } catch (err) {
          const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
          outcomes.push({ kind: 'error', code: e.code ?? e.message, reused: e.reusedSocket === true });
          if (e.code === 'ECONNREFUSED') return;
        }
      }
    };
    const load = Array.from({ length: 12 }, (_, n) => shopper(n));
    // Under way: at least 30 answers (bounded: the machine may be busy).
    for (const deadline = Date.now() + 15_000; outcomes.length < 30 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));

    // In flight when the signal comes: half a request body has arrived.
    const inFlight = slowRequest(store, 'POST', `/api/carts/${cartId}/items`, JSON.stringify({ productId: product.id, quantity: 2 }));
    await new Promise((r) => setTimeout(r, 300));
    const answeredBefore = outcomes.length;
    const signalledAt = Date.now();
    store.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    inFlight.finish();
    const finished = await inFlight.answered;
    const exit = await store.exited;
    const tookMs = Date.now() - signalledAt;
    stopLoad = true;
    await Promise.all(load);

    // The request in flight got its whole answer, and was told its connection closes.
    expect(finished.status).toBe(201);
    expect(finished.headers.connection).toBe('close');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(10_000);
    expect(store.output()).toContain('shutting down');

    // Under load before the signal: only successes. After it: successes (in flight), 503s that close
    // their connection, and refused connections; never a 500 or a cut-off answer.
    expect(answeredBefore).toBeGreaterThanOrEqual(30);
    expect(outcomes.slice(0, answeredBefore).every((o) => o.kind === 'answer' && o.status >= 200 && o.status < 300)).toBe(true);
    const statuses = new Set(outcomes.filter((o) => o.kind === 'answer').map((o) => (o as { status: number }).status));
    expect([...statuses].every((s) => s === 200 || s === 201 || s === 503)).toBe(true);
    for (const o of outcomes) if (o.kind === 'answer' && o.status === 503) expect(o.connection).toBe('close');
    const errors = outcomes.filter((o): o is Extract<Outcome, { kind: 'error' }> => o.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // A reset is a connection whose request the server never read, safe to retry: a kept-alive one
    // it closed just as a request was sent on it (the race every HTTP client handles), or a new one
    // still in the listen backlog or its TLS handshake when the listener closed (seen in CI). The
    // request that was in flight is checked above: it got its whole answer.
    expect(errors.filter((e) => e.code !== 'ECONNREFUSED' && e.code !== 'ECONNRESET')).toEqual([]);
    expect(errors.some((e) => e.code === 'ECONNREFUSED')).toBe(true);
    // Gone: the port refuses connections.
    await expect(client.request('GET', '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 90_000);

  it('exits 1 once SHUTDOWN_GRACE_SECONDS is over when a request never finishes', async () => {
    const store = await spawnStore({ ...env, SHUTDOWN_GRACE_SECONDS: '2' });
    const stuck = slowRequest(store, 'POST', '/api/carts', JSON.stringify({}));
    stuck.answered.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const signalledAt = Date.now();
    store.child.kill('SIGTERM');
    const exit = await store.exited;
    const tookMs = Date.now() - signalledAt;
    stuck.abort();
    expect(exit).toEqual({ code: 1, signal: null });
    expect(tookMs).toBeGreaterThanOrEqual(1900);
    expect(tookMs).toBeLessThan(5000);
    expect(store.logged('shutdown grace period over: exiting with requests still open')).toHaveLength(1);
  }, 60_000);
});
