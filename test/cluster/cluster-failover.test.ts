import type request from 'supertest';
import { eventually } from '../support/payments';
import { validCheckoutForm } from '../support/shopper';
import { galeraNodePid, restartGaleraNodes, startStoreCluster, type StoreCluster } from '../support/store-cluster';
import { StripeCheckoutBrowser } from '../support/stripe-checkout-browser';

const TRAFFIC_MS = 16_000;
const KILL_AT_MS = 5_000;
const SHOPPERS = 6;

/** One step of a shopper's journey; a failed step (5xx or no answer) is tried once more after a pause. */
async function step(failures: string[], what: string, send: () => request.Test, expected: number): Promise<request.Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await send().catch((err: Error) => ({ status: 0, text: err.message, headers: {} }) as request.Response);
    if (res.status === expected) return res;
    if (attempt === 2 || (res.status !== 0 && res.status < 500)) {
      throw new Error(`${what}: ${res.status} after ${attempt} tries: ${res.text.slice(0, 200)}`);
    }
    failures.push(`${what}: ${res.status}`);
    await new Promise((r) => setTimeout(r, 1500));
  }
}

describe('a Galera node and a store instance killed during traffic', () => {
  let cluster: StoreCluster;
  beforeAll(async () => {
    cluster = await startStoreCluster();
    await cluster.db.query("UPDATE products SET stock = 100000 WHERE slug = 'enamel-mug'");
    // The gateway's callbacks come in through HAProxy, as they would from Stripe.
    cluster.stripe.setCallbackTarget(`${cluster.url}/webhooks/stripe`, { ca: cluster.tls.cert });
  });
  afterAll(async () => {
    await cluster?.stop();
    // The next suite gets three nodes again (node 2 rejoins by state transfer).
    await restartGaleraNodes();
  });

  it('clients see at most a retried failure, no order is lost, placed or paid twice, and the survivors carry on', async () => {
    const [product] = (await cluster.db.query("SELECT id FROM products WHERE slug = 'enamel-mug'")) as unknown as [{ id: number }[]];
    const productId = Number(product[0].id);
    const retried: string[] = [];
    const placed: { token: string; at: number; by: string }[] = [];
    /** Checkouts whose payment the gateway accepted (its hosted page sent the shopper back). */
    const accepted: { token: string; at: number }[] = [];
    const hostedPage = new StripeCheckoutBrowser(cluster.tls.cert);
    const started = Date.now();
    let killedAt = 0;

    const shopper = async () => {
      const agent = cluster.agent();
      while (Date.now() - started < TRAFFIC_MS) {
        const cart = await step(retried, 'new cart', () => agent.post('/api/carts').send({}), 201);
        const cartId = cart.body.id as string;
        await step(retried, 'add to cart', () => agent.post(`/api/carts/${cartId}/items`).send({ productId, quantity: 1 }), 201);
        const checkout = await step(
          retried,
          'start checkout',
          () => agent.post(`/api/carts/${cartId}/checkout`).send({ returnUrl: 'http://localhost:8000/shop' }),
          201,
        );
        const token = new URL(checkout.body.checkoutUrl as string).pathname.split('/').pop()!;
        const done = await step(retried, 'place order', () => agent.post(`/checkout/${token}`).type('form').send(validCheckoutForm()), 303);
        placed.push({ token, at: Date.now(), by: done.headers['x-padlock-instance'] });
        const payment = await step(retried, 'start payment', () => agent.post(`/checkout/${token}/pay/stripe`).type('form').send({}), 303);
        const paid = await hostedPage.pay(payment.headers.location, { cardNumber: '4242424242424242' });
        if (paid.status !== 303) throw new Error(`hosted page answered ${paid.status}: ${paid.html.slice(0, 200)}`);
        accepted.push({ token, at: Date.now() });
      }
    };
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, KILL_AT_MS));
      killedAt = Date.now();
      process.kill(galeraNodePid(2), 'SIGKILL');
      await cluster.instances[0].kill('SIGKILL');
    })();

    const results = await Promise.allSettled([...Array.from({ length: SHOPPERS }, shopper), killer]);

    expect(results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    // At most one retry per step, and only around the kill.
    expect(retried.length).toBeLessThanOrEqual(SHOPPERS * 2);
    // The survivors carried on: orders kept being placed after the kill, by store 3 (on a live node).
    const after = placed.filter((p) => p.at > killedAt + 5000);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((p) => p.by))).toEqual(new Set(['store3']));

    // Every order a shopper was told about exists, once, and no checkout holds a second order.
    const [rows] = (await cluster.db.query(
      `SELECT c.id AS token, COUNT(o.id) AS orders FROM checkouts c LEFT JOIN orders o ON o.id = c.order_id WHERE c.id IN (?) GROUP BY c.id`,
      [placed.map((p) => p.token)],
    )) as unknown as [{ token: string; orders: number }[]];
    expect(rows).toHaveLength(placed.length);
    expect(rows.filter((r) => Number(r.orders) !== 1)).toEqual([]);
    // And there is no other order: none half-placed, none placed twice for one shopper.
    const [[totals]] = (await cluster.db.query(
      'SELECT COUNT(*) AS orders, COUNT(c.id) AS claimed FROM orders o LEFT JOIN checkouts c ON c.order_id = o.id',
    )) as unknown as [[{ orders: number; claimed: number }]];
    expect({ orders: Number(totals.orders), claimed: Number(totals.claimed) }).toEqual({ orders: placed.length, claimed: placed.length });

    // Payments: the gateway's callbacks (retried while an instance fails them) pay every accepted
    // payment's order, each once, with one captured payment and one charge at the gateway.
    // Some of them were accepted after the kill, so their callbacks came while node 2 and store 1 were dead.
    expect(accepted.filter((a) => a.at > killedAt).length).toBeGreaterThan(0);
    await eventually(async () => {
      const [unpaid] = (await cluster.db.query(
        "SELECT c.id FROM checkouts c JOIN orders o ON o.id = c.order_id WHERE c.id IN (?) AND o.status <> 'paid'",
        [accepted.map((a) => a.token)],
      )) as unknown as [{ id: string }[]];
      expect(unpaid).toEqual([]);
    }, 60_000);
    const [paidTwice] = (await cluster.db.query(
      "SELECT order_id, COUNT(*) AS n FROM order_events WHERE to_status = 'paid' GROUP BY order_id HAVING n > 1",
    )) as unknown as [unknown[]];
    expect(paidTwice).toEqual([]);
    const [captured] = (await cluster.db.query(
      "SELECT o.id, COUNT(p.id) AS n FROM orders o LEFT JOIN payments p ON p.order_id = o.id AND p.status = 'captured' WHERE o.status = 'paid' GROUP BY o.id",
    )) as unknown as [{ id: number; n: number }[]];
    expect(captured).toHaveLength(accepted.length);
    expect(captured.filter((o) => Number(o.n) !== 1)).toEqual([]);
    const charges = JSON.stringify(cluster.stripe.snapshot()).match(/"object":"charge"/g) ?? [];
    expect(charges).toHaveLength(accepted.length);
  });
});
