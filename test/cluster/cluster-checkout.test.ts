import { checkoutToken, inBatches, productIdOf, submitCheckout } from '../support/cluster-shopper';
import { startStoreCluster, type StoreCluster } from '../support/store-cluster';

describe('checkouts on three instances over a Galera cluster', () => {
  let cluster: StoreCluster;
  beforeAll(async () => {
    cluster = await startStoreCluster();
    await cluster.db.query("UPDATE products SET stock = 50 WHERE slug = 'enamel-mug'");
  });
  afterAll(() => cluster?.stop());

  it('200 concurrent checkouts for 50 units reserve exactly 50 and refuse the rest cleanly', async () => {
    const agent = cluster.agent();
    const mug = await productIdOf(agent, 'enamel-mug');
    const tokens = await inBatches(Array.from({ length: 200 }), 20, () => checkoutToken(agent, mug, 1));

    const responses = await Promise.all(tokens.map((token) => submitCheckout(cluster.agent(), token)));

    const byStatus = new Map<number, number>();
    for (const r of responses) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 303: 50, 409: 150 });
    // Spread over all three instances, each writing to its own Galera node.
    const served = new Set(responses.map((r) => r.headers['x-padlock-instance']));
    expect([...served].sort()).toEqual(['store1', 'store2', 'store3']);

    const [[stock]] = (await cluster.db.query("SELECT stock FROM products WHERE slug = 'enamel-mug'")) as unknown as [[{ stock: number }]];
    expect(Number(stock.stock)).toBe(0);
    const [[placed]] = (await cluster.db.query(
      "SELECT COUNT(DISTINCT o.id) AS orders, SUM(l.quantity) AS units FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.status = 'pending_payment'",
    )) as unknown as [[{ orders: number; units: number }]];
    expect({ orders: Number(placed.orders), units: Number(placed.units) }).toEqual({ orders: 50, units: 50 });
  });
});
