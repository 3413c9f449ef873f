import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/logger';
import { startStripeSandbox, type StripeSandbox } from '../../server/sandbox/stripe/stripe-sandbox';
import { testTls } from '../support/braintree-test-bed';
import { eventually } from '../support/payments';
import { StripeCheckoutBrowser } from '../support/stripe-checkout-browser';
import { useTeardown } from '../support/teardown';
import { ShopClient, errorOf, type Answer } from './support/shop-client';
import { PrivateMariaDb } from './support/private-mariadb';
import { StoreDatabase } from './support/store-database';
import { EXTERNAL_SANDBOXES, killStores, spawnStore, type StoreProcess } from './support/store-process';

// The store's database (a mariadbd of this test's own) is killed while shoppers browse, fill
// carts, check out and pay, and while the gateway sends callbacks; then it comes back.

const STRIPE_KEY = 'sk_test_padlock_sandbox';
const OUTAGE_MS = 6000;

/** A request that started in one phase and ended in another counts as made during the outage. */
interface Seen {
  readonly phase: 'before' | 'outage' | 'recovering' | 'after';
  readonly what: string;
  readonly answer?: Answer;
  readonly error?: string;
}

describe('the database stops during checkout and callback traffic', () => {
  const teardown = useTeardown();
  let mariadb: PrivateMariaDb;
  let stripe: StripeSandbox;
  let tlsCert: string;
  let store: StoreProcess;
  let db: StoreDatabase;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-outage-'));
    teardown.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    mariadb = await teardown.track(PrivateMariaDb.create(path.join(dir)), (m) => m.stop());
    await mariadb.query('CREATE DATABASE padlock CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    const tls = await testTls();
    tlsCert = tls.cert;
    const webhookSecret = `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'A')}`;
    stripe = await teardown.track(
      startStripeSandbox({ secretKey: STRIPE_KEY, webhookSecret, tls, logger: createLogger({ logLevel: 'silent' }), firstRetryMs: 1000 }),
      (s) => s.stop(),
    );
    const dataDir = path.join(dir, 'store');
    fs.mkdirSync(dataDir);
    store = await spawnStore(
      {
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        DATABASE_URL: mariadb.url('padlock'),
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        PAYMENT_GATEWAYS: 'stripe',
        RATE_LIMIT_FACTOR: '100',
        RECONCILE_INTERVAL_SECONDS: '5',
        PADLOCK_FAULT_TEST_SANDBOXES: JSON.stringify({ stripe: stripe.gatewayOptions() }),
      },
      { preload: EXTERNAL_SANDBOXES },
    );
    teardown.defer(killStores);
    stripe.setCallbackTarget(`${store.url}/webhooks/stripe`, { ca: store.ca });
    db = await teardown.track(StoreDatabase.open(mariadb.url('padlock')), (d) => d.close());
  }, 180_000);

  it('answers clear 503s without crashing or leaving partial orders, refuses callbacks so they are retried, and converges once it is back', async () => {
    const client = new ShopClient(store.url, store.ca, { maxSockets: 6, timeoutMs: 20_000 });
    teardown.defer(() => client.close());
    const products = (await client.products()).filter((p) => p.inStock);
    const stockBefore = await db.rows<{ id: number; stock: number }>('SELECT id, stock FROM products');

    // Orders waiting on the gateway's page, to be paid while the database is down.
    const waiting: { token: string; page: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const token = await client.placeOrder(await client.cartWith(products[i % products.length].id));
      waiting.push({ token, page: await client.startStripe(token) });
    }

    let phase: Seen['phase'] = 'before';
    const seen: Seen[] = [];
    let stop = false;
    const shopper = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const step = (n + i) % 4;
        const what = ['browse', 'cart', 'checkout', 'order page'][step];
        const at = phase;
        try {
          let answer: Answer;
          if (step === 0) answer = await client.request('GET', '/api/products');
          else if (step === 1) answer = await client.request('POST', '/api/carts', { json: {} });
          else if (step === 2) {
            const cart = await client.request('POST', '/api/carts', { json: {} });
            if (cart.status !== 201) answer = cart;
            else {
              const id = (JSON.parse(cart.body) as { id: string }).id;
              const added = await client.request('POST', `/api/carts/${id}/items`, {
                json: { productId: products[n % products.length].id, quantity: 1 },
              });
              answer =
                added.status !== 201
                  ? added
                  : await client.request('POST', `/api/carts/${id}/checkout`, { json: { returnUrl: 'http://localhost:8000/blog/shop' } });
            }
          } else answer = await client.request('GET', `/checkout/${waiting[n % waiting.length].token}`);
          seen.push({ phase: at === phase ? at : 'outage', what, answer });
        } catch (err) {
          seen.push({ phase: at === phase ? at : 'outage', what, error: (err as Error).message });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const traffic = Array.from({ length: 4 }, (_, n) => shopper(n));
    await new Promise((r) => setTimeout(r, 1500));

    phase = 'outage';
    await mariadb.stop('SIGKILL');
    // Shoppers pay on the gateway's page meanwhile: its callbacks reach a store without a database.
    const browser = new StripeCheckoutBrowser(tlsCert);
    for (const { page } of waiting) expect((await browser.pay(page, { cardNumber: '4242424242424242' })).status).toBe(303);
    const checkoutDuringOutage = await client.request('POST', `/checkout/${waiting[0].token}`, { form: { email: 'x@example.com' } });
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect(store.child.exitCode).toBeNull();

    phase = 'recovering';
    await mariadb.start();
    await eventually(async () => expect((await client.request('GET', '/api/products')).status).toBe(200), 30_000);
    phase = 'after';
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(traffic);

    // During the outage: each answer a 503 saying what is wrong (or a success needing no database), never a 500 or a dropped request.
    const during = seen.filter((s) => s.phase === 'outage' || s.phase === 'recovering');
    expect(during.filter((s) => s.phase === 'outage').length).toBeGreaterThan(10);
    expect(during.filter((s) => s.error).map((s) => ({ what: s.what, error: s.error }))).toEqual([]);
    const unavailable = during.filter((s) => s.answer!.status === 503);
    expect(unavailable.length).toBeGreaterThan(5);
    expect(
      during
        .filter((s) => s.answer!.status !== 503 && s.answer!.status >= 300)
        .map((s) => [s.what, s.answer!.status, s.answer!.body.slice(0, 200)]),
    ).toEqual([]);
    for (const s of unavailable) {
      const error = errorOf(s.answer!);
      if (s.answer!.headers['content-type']?.toString().startsWith('application/json')) {
        expect(error).toEqual({ code: 'database_unavailable', message: expect.stringMatching(/cannot reach its database/) });
      } else {
        expect(s.answer!.body).toContain('cannot reach its database');
      }
    }
    expect(checkoutDuringOutage.status).toBe(503);
    // Before and after: only successes.
    const brief = (s: Seen) => ({ phase: s.phase, what: s.what, status: s.answer?.status, error: s.error ?? errorOf(s.answer!)?.code });
    expect(seen.filter((s) => (s.phase === 'before' || s.phase === 'after') && (s.error || s.answer!.status >= 300)).map(brief)).toEqual(
      [],
    );
    // Callbacks sent during the outage were refused with 503 (the gateway retries them).
    const callbackAnswers = store
      .output()
      .split('\n')
      .filter((line) => line.includes('"/webhooks/stripe"'))
      .map((line) => (JSON.parse(line) as { res?: { statusCode?: number } }).res?.statusCode);
    expect(callbackAnswers).toContain(503);
    expect(callbackAnswers.filter((s) => s !== undefined && s !== 503 && (s < 200 || s >= 300))).toEqual([]);

    // Converged: the payments made during the outage paid their orders, once each.
    await eventually(async () => {
      for (const { token } of waiting) expect((await db.orderOf(token)).status).toBe('paid');
    }, 45_000);
    for (const { token } of waiting) {
      const order = await db.orderOf(token);
      expect(await db.rows('SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY id', [order.id])).toEqual([
        { from_status: null, to_status: 'pending_payment' },
        { from_status: 'pending_payment', to_status: 'paid' },
      ]);
    }
    // No partial order: every order has its lines and its addresses; stock moved only by whole orders.
    expect(await db.rows('SELECT o.id FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id WHERE l.id IS NULL')).toEqual([]);
    const reserved = await db.rows<{ product_id: number; n: string }>(
      "SELECT l.product_id, SUM(l.quantity) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status IN ('pending_payment', 'paid') GROUP BY l.product_id",
    );
    const stockAfter = await db.rows<{ id: number; stock: number }>('SELECT id, stock FROM products');
    for (const { id, stock } of stockBefore) {
      const taken = Number(reserved.find((r) => r.product_id === id)?.n ?? 0);
      expect({ id, stock: Number(stockAfter.find((p) => p.id === id)!.stock) }).toEqual({ id, stock: Number(stock) - taken });
    }
    expect(store.child.exitCode).toBeNull();
  }, 150_000);
});
