import { useTestStore } from '../support/test-store';
import { cartWith, startCheckout, stockOf, validCheckoutForm } from '../support/shopper';

describe('concurrent checkouts', () => {
  const store = useTestStore();
  beforeAll(async () => {
    await store.dataSource.query("UPDATE products SET stock = 5 WHERE slug = 'enamel-mug'");
  });

  it('20 simultaneous checkouts for 5 in stock reserve exactly 5', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push(await startCheckout(store, await cartWith(store, 'enamel-mug', 1)));

    const responses = await Promise.all(tokens.map((token) => store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm())));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);

    expect(await stockOf(store, 'enamel-mug')).toBe(0);
    const [pending] = await store.dataSource.query(
      "SELECT COUNT(*) AS n, SUM(l.quantity) AS units FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.status = 'pending_payment'",
    );
    expect(Number(pending.n)).toBe(5);
    expect(Number(pending.units)).toBe(5);
  });
});
