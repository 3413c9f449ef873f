import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { ADMIN, apiLogin, enableTotp, ensureAdmin, totpCode } from '../support/admin';
import { markPaid, payOnHostedPage, refundEvent } from '../support/cluster-payments';
import { checkoutToken, inBatches, productIdOf, submitCheckout } from '../support/cluster-shopper';
import { eventually } from '../support/payments';
import { GALERA_PORTS, startStoreCluster, type StoreCluster } from '../support/store-cluster';
import { StripeWebhookReceiver } from '../support/stripe-webhook-receiver';
import type { TestStore } from '../support/test-store';

// One cluster of three stores for these tests (starting one takes most of a minute); the kill
// test has its own, since it kills part of it.
const INTERVAL_SECONDS = 5;

describe('three store instances on a Galera cluster', () => {
  let cluster: StoreCluster;
  let dataSource: DataSource;
  beforeAll(async () => {
    cluster = await startStoreCluster({ RECONCILE_INTERVAL_SECONDS: String(INTERVAL_SECONDS), MAIL_INTERVAL_SECONDS: '1' });
    const url = `mysql://padlock:padlock@127.0.0.1:${GALERA_PORTS[1]}/${cluster.databaseName}`;
    dataSource = await openDatabase(loadConfig({ DATABASE_URL: url }).database);
    await ensureAdmin({ dataSource } as TestStore);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await cluster?.stop();
  });

  it('200 concurrent checkouts for 50 units reserve exactly 50 and refuse the rest cleanly', async () => {
    // A product no other test here buys, so its orders are these alone.
    await cluster.db.query("UPDATE products SET stock = 50 WHERE slug = 'field-notebook'");
    const agent = cluster.agent();
    const notebook = await productIdOf(agent, 'field-notebook');
    const tokens = await inBatches(Array.from({ length: 200 }), 20, () => checkoutToken(agent, notebook, 1));

    const responses = await Promise.all(tokens.map((token) => submitCheckout(cluster.agent(), token)));

    const byStatus = new Map<number, number>();
    for (const r of responses) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 303: 50, 409: 150 });
    // Spread over all three instances, each writing to its own Galera node.
    const served = new Set(responses.map((r) => r.headers['x-padlock-instance']));
    expect([...served].sort()).toEqual(['store1', 'store2', 'store3']);

    const [[stock]] = (await cluster.db.query('SELECT stock FROM products WHERE id = ?', [notebook])) as unknown as [[{ stock: number }]];
    expect(Number(stock.stock)).toBe(0);
    const [[placed]] = (await cluster.db.query(
      "SELECT COUNT(DISTINCT o.id) AS orders, SUM(l.quantity) AS units FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.status = 'pending_payment' AND l.product_id = ?",
      [notebook],
    )) as unknown as [[{ orders: number; units: number }]];
    expect({ orders: Number(placed.orders), units: Number(placed.units) }).toEqual({ orders: 50, units: 50 });
  });

  it('reconciliation runs once per interval across all three, and each outbox message is sent by exactly one', async () => {
    // Watch the reconciliation lease: each run takes it anew, so each new lease_until is one run.
    const runs: { holder: string; until: number }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [rows] = (await cluster.db.query(
          "SELECT holder, lease_until FROM job_leases WHERE name = 'payment-reconciliation'",
        )) as unknown as [{ holder: string; lease_until: Date }[]];
        const row = rows[0];
        if (row && runs.at(-1)?.until !== row.lease_until.getTime()) runs.push({ holder: row.holder, until: row.lease_until.getTime() });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // Six refunded orders: six shopper e-mails in the outbox, for three workers to share.
    const [[before]] = (await cluster.db.query('SELECT COALESCE(MAX(id), 0) AS id FROM outbox_messages')) as unknown as [[{ id: number }]];
    const agent = cluster.agent();
    const events = [];
    for (let i = 0; i < 6; i++) {
      const token = await checkoutToken(agent, 'enamel-mug', 1);
      expect((await submitCheckout(agent, token)).status).toBe(303);
      events.push(refundEvent(cluster, await markPaid(cluster, token)));
    }
    for (const event of events) expect((await event.deliver(cluster.agent())).status).toBe(200);

    await new Promise((r) => setTimeout(r, 3.5 * INTERVAL_SECONDS * 1000));
    watching = false;
    await watcher;

    // About one run per interval (the first after start-up), never two in the same interval.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const gaps = runs.slice(1).map((run, i) => run.until - runs[i].until);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual((INTERVAL_SECONDS - 1) * 1000 - 100);

    const [mine] = (await cluster.db.query('SELECT status, attempts FROM outbox_messages WHERE id > ?', [before.id])) as unknown as [
      { status: string; attempts: number }[],
    ];
    expect(mine.map((m) => `${m.status}/${m.attempts}`)).toEqual(Array(6).fill('sent/1'));
    // One e-mail file per sent message, whichever instance sent it.
    const [[sent]] = (await cluster.db.query("SELECT COUNT(*) AS n FROM outbox_messages WHERE status = 'sent'")) as unknown as [
      [{ n: number }],
    ];
    const mailed = cluster.instances.map((instance) => {
      const dir = path.join(instance.dataDir, 'mail');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0;
    });
    expect(mailed.reduce((a, b) => a + b, 0)).toBe(Number(sent.n));
  });

  it('an admin logged in with a TOTP code through one instance stays logged in on the others', async () => {
    const setup = cluster.agent();
    const first = await apiLogin(setup);
    expect(first.status).toBe(200);
    const csrf = first.body.csrfToken as string;
    const { secret } = await enableTotp(setup, csrf, () => new Date());

    const browser = cluster.agent();
    const served: string[] = [];
    const login = await apiLogin(browser);
    expect(login.status).toBe(202);
    served.push(login.headers['x-padlock-instance']);
    const stepCsrf = login.body.csrfToken as string;
    // The code just used to confirm is spent; the next step's code is within the accepted window.
    const code = totpCode(secret, new Date(Date.now() + 30_000));
    const second = await browser.post('/api/admin/login/totp').set('X-CSRF-Token', stepCsrf).send({ code });
    expect(second.status).toBe(200);
    served.push(second.headers['x-padlock-instance']);

    for (let i = 0; i < 6; i++) {
      const me = await browser.get('/api/admin/me').expect(200);
      expect(JSON.stringify(me.body)).toContain(ADMIN.email);
      served.push(me.headers['x-padlock-instance']);
    }
    expect(new Set(served).size).toBe(3);
    expect(await cluster.agent().get('/api/admin/me')).toHaveProperty('status', 401);
  });

  it('a checkout started on one instance continues on the others', async () => {
    const shopper = cluster.agent();
    const token = await checkoutToken(shopper, 'enamel-mug', 1);
    const served = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const page = await shopper.get(`/checkout/${token}`).expect(200);
      served.add(page.headers['x-padlock-instance']);
    }
    expect(served.size).toBe(3);
    const placed = await submitCheckout(shopper, token);
    expect(placed.status).toBe(303);
    // Submitting again through another instance places no second order.
    await submitCheckout(shopper, token);
    const [[orders]] = (await cluster.db.query('SELECT COUNT(*) AS n FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?', [
      token,
    ])) as unknown as [[{ n: number }]];
    expect(Number(orders.n)).toBe(1);
  });

  it('one paid checkout’s real callback delivered 50 times over the three is stored once and pays the order once', async () => {
    // The gateway's own delivery is caught here, so the only copies the stores see are the 50 below.
    const receiver = new StripeWebhookReceiver(cluster.tls);
    cluster.stripe.setCallbackTarget(await receiver.start(), { ca: cluster.tls.cert });
    try {
      const agent = cluster.agent();
      const token = await checkoutToken(agent, 'enamel-mug', 1);
      expect((await submitCheckout(agent, token)).status).toBe(303);
      expect((await payOnHostedPage(cluster, agent, token)).status).toBe(303);
      await receiver.waitFor(() => receiver.eventsOfType('checkout.session.completed').length === 1, 10_000);
      const callback = receiver.received.find((r) => r.rawBody.includes('"checkout.session.completed"'))!;
      const eventId = receiver.eventsOfType('checkout.session.completed')[0].id;

      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          cluster
            .agent()
            .post('/webhooks/stripe')
            .set('Content-Type', 'application/json')
            .set('Stripe-Signature', callback.headers['stripe-signature'] as string)
            .send(callback.rawBody.toString('utf8')),
        ),
      );

      expect(responses.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
      expect(new Set(responses.map((r) => r.headers['x-padlock-instance'])).size).toBe(3);
      const [[order]] = (await cluster.db.query(
        'SELECT o.id, o.status FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?',
        [token],
      )) as unknown as [[{ id: number; status: string }]];
      expect(order.status).toBe('paid');
      const [events] = (await cluster.db.query('SELECT event_id FROM gateway_events WHERE event_id = ?', [eventId])) as unknown as [
        unknown[],
      ];
      expect(events).toHaveLength(1);
      const [transitions] = (await cluster.db.query('SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY id', [
        order.id,
      ])) as unknown as [{ from_status: string | null; to_status: string }[]];
      expect(transitions).toEqual([
        { from_status: null, to_status: 'pending_payment' },
        { from_status: 'pending_payment', to_status: 'paid' },
      ]);
      await eventually(async () => {
        const [payments] = (await cluster.db.query('SELECT status FROM payments WHERE order_id = ?', [order.id])) as unknown as [
          { status: string }[],
        ];
        expect(payments).toEqual([{ status: 'captured' }]);
      });
    } finally {
      await receiver.stop();
    }
  });
});
