import Stripe from 'stripe';
import { useTestStore } from '../support/test-store';
import { cartWith, productId, startCheckout, stockOf, validCheckoutForm } from '../support/shopper';
import { paymentsOf, StripeShopper } from '../support/payments';
import { StatementRecorder, type RecordedStatements } from '../support/statement-recorder';

const WEBHOOK_SECRET = 'whsec_padlock_write_statements';

/** "INSERT orders", "UPDATE products", "SELECT checkouts" (a SELECT by its first table): what a statement does to which table. */
function statementKind(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)![1].toUpperCase();
  const table = (verb === 'SELECT' ? /\bFROM\s+[`"]?(\w+)/i : /^\s*\w+\s+(?:INTO\s+)?[`"]?(\w+)/i).exec(sql)?.[1];
  return `${verb} ${table}`;
}

/**
 * The write paths the benchmark measures (issue 12) cost a bounded number of round trips: one
 * statement per table written, no read-back after an INSERT, no transaction around a single
 * statement on MariaDB (SQLite always takes turns through one). A regression shows here as the
 * list of statements, not as a slower benchmark.
 */
describe('statements per write request', () => {
  const store = useTestStore({ STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  let recorder: StatementRecorder;
  beforeAll(() => {
    recorder = new StatementRecorder(store.dataSource);
  });
  const mariadb = () => store.dataSource.options.type !== 'better-sqlite3';
  /** Transactions a MariaDB request opens; on SQLite every write statement has its own or shares one. */
  const expectTransactions = (recorded: RecordedStatements, onMariadb: number) => {
    if (mariadb()) expect(recorded.transactions).toBe(onMariadb);
  };

  async function pendingOrder(): Promise<{ token: string; cartId: string }> {
    const [notebook, mug] = [await productId(store, 'field-notebook'), await productId(store, 'enamel-mug')];
    let cartId = '';
    const created = await recorder.during(async () => {
      cartId = (await store.api.post('/api/carts').send({}).expect(201)).body.id;
    });
    // The INSERT and the cart as the answer shows it; the rate-limit count is one statement alone.
    expect(created.work).toHaveLength(2);
    expect(created.rateLimitCounts).toBe(1);
    expectTransactions(created, 0);

    await store.api.post(`/api/carts/${cartId}/items`).send({ productId: notebook, quantity: 1 }).expect(201);
    const added = await recorder.during(() =>
      store.api.post(`/api/carts/${cartId}/items`).send({ productId: mug, quantity: 2 }).expect(201),
    );
    // Cart (one query with its items), product, INSERT item, UPDATE cart, the answer's cart.
    expect(added.work).toHaveLength(5);
    expectTransactions(added, 1);

    let token = '';
    const started = await recorder.during(async () => {
      const res = await store.api.post(`/api/carts/${cartId}/checkout`).send({ returnUrl: 'http://localhost:8000/blog/shop' }).expect(201);
      token = new URL(res.body.checkoutUrl as string).pathname.split('/').pop()!;
    });
    // Cart, INSERT checkout; two limits count this request.
    expect(started.work).toHaveLength(2);
    expect(started.rateLimitCounts).toBe(2);
    expectTransactions(started, 0);
    return { token, cartId };
  }

  it('placing an order: one statement per table, one UPDATE reserving every line', async () => {
    const { token } = await pendingOrder();
    const placed = await recorder.during(() => store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm()).expect(303));
    expect(placed.work.filter((s) => /^UPDATE\b.*\bproducts\b/i.test(s))).toHaveLength(1);
    // The checkout with its cart (one query), and whether the order sold a product out (only then
    // does the catalog's version move, so checkouts do not all contend for the version row).
    expect(placed.work.filter((s) => /^SELECT\b/i.test(s))).toHaveLength(2);
    expect(placed.work.filter((s) => /\bcache_versions\b/i.test(s))).toHaveLength(0);
    // The product rows stay locked from the reservation to the commit: only the sold-out read and
    // the lines (whose foreign key needs those rows) come after it.
    expect(placed.work.map(statementKind)).toEqual([
      'SELECT checkouts',
      'INSERT addresses',
      'INSERT orders',
      'INSERT order_events',
      'UPDATE checkouts',
      'UPDATE products',
      'SELECT products',
      'INSERT order_lines',
    ]);
    expectTransactions(placed, 1);
  });

  it('one product: nothing is read after its reservation, and the order that takes the last unit moves the catalog version', async () => {
    await store.dataSource.query("UPDATE products SET stock = 3 WHERE slug = 'enamel-mug'");
    const leavesOne = await startCheckout(store, await cartWith(store, 'enamel-mug', 2));
    const takesLast = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
    const version = async () =>
      Number((await store.dataSource.query("SELECT version FROM cache_versions WHERE name = 'catalog'"))[0].version);
    const before = await version();

    const placed = await recorder.during(() => store.api.post(`/checkout/${leavesOne}`).type('form').send(validCheckoutForm()).expect(303));
    expect(placed.work.map(statementKind).slice(-2)).toEqual(['UPDATE products', 'INSERT order_lines']);
    expect(await stockOf(store, 'enamel-mug')).toBe(1);
    expect(await version()).toBe(before);

    // The first UPDATE must leave a unit behind and changes nothing; the second takes the last one.
    const soldOut = await recorder.during(() =>
      store.api.post(`/checkout/${takesLast}`).type('form').send(validCheckoutForm()).expect(303),
    );
    expect(soldOut.work.map(statementKind).slice(-4)).toEqual([
      'UPDATE products',
      'UPDATE products',
      'UPDATE cache_versions',
      'INSERT order_lines',
    ]);
    expect(await stockOf(store, 'enamel-mug')).toBe(0);
    expect(await version()).toBe(before + 1);
    await store.api
      .get('/api/products/enamel-mug')
      .expect(200)
      .expect((res) => expect(res.body.inStock).toBe(false));
  });

  it('an order placed twice for the same units still fails on the one UPDATE, naming the product', async () => {
    await store.dataSource.query("UPDATE products SET stock = 2 WHERE slug = 'enamel-mug'");
    const first = await pendingOrder();
    const second = await pendingOrder();
    await store.api.post(`/checkout/${first.token}`).type('form').send(validCheckoutForm()).expect(303);
    const notebooks = await stockOf(store, 'field-notebook');
    const refused = await store.api.post(`/checkout/${second.token}`).type('form').send(validCheckoutForm()).expect(409);
    expect(refused.text).toContain('Enamel Mug is no longer in stock');
    expect(await stockOf(store, 'enamel-mug')).toBe(0);
    // The UPDATE took the notebook, which was in stock: the refused order gave it back.
    expect(await stockOf(store, 'field-notebook')).toBe(notebooks);
  });

  it('a payment callback: one transaction, no read-back after its INSERTs; a duplicate costs one SELECT', async () => {
    await store.dataSource.query("UPDATE products SET stock = 100 WHERE slug = 'enamel-mug'");
    const { token } = await pendingOrder();
    await store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm()).expect(303);
    const shopper = new StripeShopper(store);
    const url = await shopper.goToPaymentPage(token);
    // The sandbox's own delivery goes nowhere: this test delivers the event itself.
    store.sandboxes.stripe!.setCallbackTarget('https://127.0.0.1:9/webhooks/stripe');
    try {
      expect((await shopper.pay(url, '4242424242424242')).status).toBe(303);
    } finally {
      store.sandboxes.connect(store.storeUrl, { ca: store.tls.cert });
    }
    const [{ order_id: orderId }] = await store.dataSource.query('SELECT order_id FROM checkouts WHERE id = ?', [token]);
    const api = store.sandboxes.stripe!.gatewayOptions().api!;
    const stripe = new Stripe(store.config.stripe.secretKey, { host: api.host, port: api.port, protocol: api.protocol });
    const session = await stripe.checkout.sessions.retrieve(String((await paymentsOf(store, Number(orderId)))[0].checkout_ref));
    const payload = JSON.stringify({
      id: 'evt_write_statements',
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      api_version: '2026-10-28.endive',
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: session },
    });
    const send = () =>
      store.api
        .post('/webhooks/stripe')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }))
        .send(payload)
        .expect(200);

    let result = '';
    const applied = await recorder.during(async () => (result = (await send()).body.result));
    expect(result).toBe('applied');
    const inserts = applied.work.filter((s) => /^INSERT\b/i.test(s));
    expect(inserts.map((s) => /INSERT INTO [`"]?(\w+)/i.exec(s)![1])).toEqual(['order_events', 'outbox_messages', 'gateway_events']);
    // Duplicate check, payment by reference; in the transaction: payment, order, other payments,
    // UPDATE payment, UPDATE order, the INSERTs, admin recipients, one DELETE of the cart's items.
    expect(applied.work).toHaveLength(12);
    expectTransactions(applied, 1);

    const duplicate = await recorder.during(async () => (result = (await send()).body.result));
    expect(result).toBe('duplicate');
    expect(duplicate.work).toHaveLength(1);
    expectTransactions(duplicate, 0);
  });
});
