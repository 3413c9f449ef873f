import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import braintree from 'braintree';
import { createLogger } from '../../server/logger';
import { orderNumber } from '../../server/orders/order-presentation';
import { startBraintreeSandbox, type BraintreeSandbox } from '../../server/sandbox/braintree/braintree-sandbox';
import { startStripeSandbox, type StripeSandbox } from '../../server/sandbox/stripe/stripe-sandbox';
import { SANDBOX_KEYS, testTls } from '../support/braintree-test-bed';
import { eventually } from '../support/payments';
import { StripeCheckoutBrowser } from '../support/stripe-checkout-browser';
import { useTeardown } from '../support/teardown';
import { scratchDatabase } from '../support/test-database';
import { ShopClient } from './support/shop-client';
import { StoreDatabase } from './support/store-database';
import { EXTERNAL_SANDBOXES, killStores, spawnStore, type StoreProcess } from './support/store-process';

// The store is SIGKILLed by its FAULT_INJECTION hook after the gateway accepted a payment and
// before the store committed it. The sandboxes run in this test's process, so the gateway's
// record of charges outlives the store (see test/support/external-sandboxes.cjs).

const STRIPE_KEY = 'sk_test_padlock_sandbox'; // the key a store without STRIPE_SECRET_KEY uses for its sandbox
const quiet = createLogger({ logLevel: 'silent' });

describe('the store killed between the gateway accepting a payment and the store committing it', () => {
  const teardown = useTeardown();
  let bt: BraintreeSandbox;
  let stripe: StripeSandbox;
  let tlsCert: string;
  let webhookSecret: string;
  let env: Record<string, string>;
  let db: StoreDatabase;

  beforeAll(async () => {
    const tls = await testTls();
    tlsCert = tls.cert;
    webhookSecret = `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'A')}`;
    bt = await teardown.track(
      startBraintreeSandbox({ ...SANDBOX_KEYS, tls, logger: quiet, settleAfterMs: 60 * 60_000, firstRetryMs: 1000 }),
      (s) => s.stop(),
    );
    // Retries at 1, 2, 4 and 8 s: a store restarted within 15 s gets the callback again.
    stripe = await teardown.track(
      startStripeSandbox({ secretKey: STRIPE_KEY, webhookSecret, tls, logger: quiet, firstRetryMs: 1000 }),
      (s) => s.stop(),
    );
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-crash-'));
    teardown.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const database = await teardown.track(scratchDatabase(dataDir), (d) => d.drop());
    db = await teardown.track(StoreDatabase.open(database.url), (d) => d.close());
    const btAddresses = { apiPort: bt.apiPort, pagesOrigin: bt.pagesOrigin, ...SANDBOX_KEYS };
    env = {
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      RATE_LIMIT_FACTOR: '100',
      PADLOCK_FAULT_TEST_SANDBOXES: JSON.stringify({ stripe: stripe.gatewayOptions(), braintree: btAddresses }),
    };
  }, 60_000);
  afterEach(killStores);

  /** Starts the store (on `httpsPort`, to be where the gateway's retries go) and points both sandboxes' callbacks at it. */
  async function start(extra: Record<string, string>, httpsPort = 0): Promise<StoreProcess> {
    const store = await spawnStore({ ...env, HTTPS_PORT: String(httpsPort), ...extra }, { preload: EXTERNAL_SANDBOXES });
    if (httpsPort === 0) {
      stripe.setCallbackTarget(`${store.url}/webhooks/stripe`, { ca: store.ca });
      bt.setCallbackTarget(`${store.url}/webhooks/braintree`, { ca: store.ca });
    }
    return store;
  }

  /** Braintree sales the sandbox holds for an order, by its order number. */
  async function braintreeSales(number: string): Promise<braintree.Transaction[]> {
    const sdk = new braintree.BraintreeGateway(bt.gatewayOptions());
    const found: braintree.Transaction[] = [];
    for await (const item of sdk.transaction.search((search) => search.orderId().is(number))) found.push(item as braintree.Transaction);
    return found.filter((t) => t.type === 'sale');
  }

  /** Places an order and pays it with Braintree on a store that dies once Braintree accepted the charge. */
  async function crashWhileCharging(): Promise<{ token: string; order: { id: number; publicId: string } }> {
    const first = await start({ FAULT_INJECTION: 'crash-after-gateway-accept' });
    expect(first.logged('FAULT_INJECTION is on: this store crashes on purpose')).toHaveLength(1);
    const client = new ShopClient(first.url, first.ca);
    const [product] = (await client.products()).filter((p) => p.inStock);
    const token = await client.placeOrder(await client.cartWith(product.id));
    const order = await db.orderOf(token);

    await expect(client.payBraintree(token)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    client.close();
    // The gateway took the money; the store recorded only that it was about to charge.
    expect(await braintreeSales(orderNumber(order.id))).toHaveLength(1);
    expect((await db.orderOf(token)).status).toBe('pending_payment');
    expect(await db.rows('SELECT status, payment_ref FROM payments WHERE order_id = ?', [order.id])).toEqual([
      { status: 'created', payment_ref: null },
    ]);
    return { token, order };
  }

  it('Braintree: the charge is taken, the store dies before recording it; after a restart the shopper’s retry pays the order with that charge, not a second one', async () => {
    const { token, order } = await crashWhileCharging();

    const second = await start({});
    const retry = new ShopClient(second.url, second.ca);
    teardown.defer(() => retry.close());
    const paid = await retry.payBraintree(token);
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe(`/orders/${order.publicId}`);

    const sales = await braintreeSales(orderNumber(order.id));
    expect(sales).toHaveLength(1);
    expect((await db.orderOf(token)).status).toBe('paid');
    expect(await db.rows('SELECT payment_ref FROM payments WHERE order_id = ? AND status = ?', [order.id, 'captured'])).toEqual([
      { payment_ref: sales[0].id },
    ]);
    expect(await db.rows('SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY id', [order.id])).toEqual([
      { from_status: null, to_status: 'pending_payment' },
      { from_status: 'pending_payment', to_status: 'paid' },
    ]);
  }, 90_000);

  it('Braintree: the charge is taken, the store dies before recording it, the shopper never comes back; restarted, reconciliation pays the order with that charge', async () => {
    const { token, order } = await crashWhileCharging();
    // The shopper is gone for longer than RECONCILE_AFTER_MINUTES (1): the attempt is that old.
    await db.rows('UPDATE payments SET created_at = created_at - INTERVAL 2 MINUTE WHERE order_id = ?', [order.id]);

    const second = await start({ RECONCILE_AFTER_MINUTES: '1', RECONCILE_INTERVAL_SECONDS: '5' });
    await eventually(async () => expect((await db.orderOf(token)).status).toBe('paid'), 20_000);
    await new Promise((r) => setTimeout(r, 6000)); // the next run changes nothing

    const sales = await braintreeSales(orderNumber(order.id));
    expect(sales).toHaveLength(1);
    expect(sales[0].status).toBe('submitted_for_settlement');
    expect(await db.rows('SELECT status, payment_ref, follow_up FROM payments WHERE order_id = ?', [order.id])).toEqual([
      { status: 'captured', payment_ref: sales[0].id, follow_up: null },
    ]);
    expect(await db.rows('SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY id', [order.id])).toEqual([
      { from_status: null, to_status: 'pending_payment' },
      { from_status: 'pending_payment', to_status: 'paid' },
    ]);
    expect(second.logged('payment reconciliation')).toEqual([expect.objectContaining({ refreshedPayments: 1, cancelledPayments: 0 })]);
    expect(second.output()).not.toContain('"level":50');
  }, 90_000);

  it('Stripe: the store dies after fetching a paid session for its callback, before committing; restarted, the redelivered callback pays the order once', async () => {
    const first = await start({ FAULT_INJECTION: 'crash-before-callback-commit' });
    const client = new ShopClient(first.url, first.ca);
    const [product] = (await client.products()).filter((p) => p.inStock);
    const token = await client.placeOrder(await client.cartWith(product.id));
    const order = await db.orderOf(token);
    const page = await client.startStripe(token);
    client.close();

    const paidOnPage = await new StripeCheckoutBrowser(tlsCert).pay(page, { cardNumber: '4242424242424242' });
    expect(paidOnPage.status).toBe(303);
    // The callback arrives, the store asks Stripe for the session's state, and dies.
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await db.orderOf(token)).status).toBe('pending_payment');
    expect(await db.rows('SELECT id FROM gateway_events WHERE order_id = ?', [order.id])).toEqual([]);

    // Restarted where the gateway retries (same port, database and DATA_DIR).
    const second = await start({}, first.httpsPort);
    await eventually(async () => expect((await db.orderOf(token)).status).toBe('paid'), 20_000);
    await new Promise((r) => setTimeout(r, 2000)); // later retries and duplicates change nothing
    expect(await db.rows('SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY id', [order.id])).toEqual([
      { from_status: null, to_status: 'pending_payment' },
      { from_status: 'pending_payment', to_status: 'paid' },
    ]);
    const events = await db.rows<{ event_id: string }>('SELECT event_id FROM gateway_events WHERE order_id = ?', [order.id]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(await db.rows('SELECT status FROM payments WHERE order_id = ?', [order.id])).toEqual([{ status: 'captured' }]);
    // One charge at the gateway.
    const ledger = JSON.stringify(stripe.snapshot());
    expect(ledger.match(/"object":"charge"/g) ?? []).toHaveLength(1);
    expect(second.output()).not.toContain('"level":50');
  }, 90_000);
});
