import { markPaid, refundEvent } from '../support/cluster-payments';
import { checkoutToken, submitCheckout } from '../support/cluster-shopper';
import { startStoreCluster, type StoreCluster } from '../support/store-cluster';

describe('one gateway callback delivered 50 times over three instances', () => {
  let cluster: StoreCluster;
  beforeAll(async () => {
    cluster = await startStoreCluster();
  });
  afterAll(() => cluster?.stop());

  it('is stored once and moves the order once', async () => {
    const agent = cluster.agent();
    const token = await checkoutToken(agent, 'enamel-mug', 1);
    expect((await submitCheckout(agent, token)).status).toBe(303);
    const paid = await markPaid(cluster, token);
    const event = refundEvent(cluster, paid);

    const responses = await Promise.all(Array.from({ length: 50 }, () => event.deliver(cluster.agent())));

    expect(responses.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
    expect(new Set(responses.map((r) => r.headers['x-padlock-instance'])).size).toBe(3);
    const [events] = (await cluster.db.query('SELECT event_id FROM gateway_events WHERE event_id = ?', [event.id])) as unknown as [
      unknown[],
    ];
    expect(events).toHaveLength(1);
    const [transitions] = (await cluster.db.query(
      'SELECT from_status, to_status FROM order_events WHERE order_id = ? AND from_status = ?',
      [paid.orderId, 'paid'],
    )) as unknown as [{ from_status: string; to_status: string }[]];
    expect(transitions).toEqual([{ from_status: 'paid', to_status: 'refunded' }]);
    const [[row]] = (await cluster.db.query('SELECT status FROM orders WHERE id = ?', [paid.orderId])) as unknown as [[{ status: string }]];
    expect(row.status).toBe('refunded');
  });
});
