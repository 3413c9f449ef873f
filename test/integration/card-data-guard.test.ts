import { useTestStore } from '../support/test-store';
import { productId } from '../support/shopper';

const CARD_FORMS = ['4242424242424242', '4242 4242 4242 4242', '4242-4242-4242-4242', '３７８２８２２４６３１０００５'];

describe('card-number guard', () => {
  const store = useTestStore();

  async function dumpAllTables(): Promise<string> {
    const tables = ['products', 'carts', 'cart_items', 'checkouts', 'orders', 'order_lines', 'addresses', 'order_events', 'store_flags'];
    const dumps = await Promise.all(tables.map((t) => store.dataSource.query(`SELECT * FROM ${t}`)));
    return JSON.stringify(dumps);
  }

  it.each(CARD_FORMS)('refuses %s in a JSON body with a 400 that points to the payment page', async (card) => {
    const cart = await store.api.post('/api/carts').send({}).expect(201);
    const res = await store.api
      .post(`/api/carts/${cart.body.id}/items`)
      .send({ productId: await productId(store, 'enamel-mug'), quantity: 1, note: { deep: [`pay with ${card}`] } })
      .expect(400);
    expect(res.body.error.code).toBe('card_data_refused');
    expect(res.body.error.message).toContain('only on the secure payment page');
  });

  it('refuses card numbers in the query string, the path and form bodies', async () => {
    await store.api.get('/api/products?offset=4242%204242%204242%204242').expect(400);
    await store.api.get('/api/products/4242424242424242').expect(400);
    await store.api.post('/api/carts').type('form').send({ cc: '4242-4242-4242-4242' }).expect(400);
    await store.api.post('/api/carts').send({ '4242424242424242': 'x' }).expect(400);
  });

  it('does not refuse ordinary numbers', async () => {
    await store.api.get('/api/products?offset=0&limit=12').expect(200);
    const cart = await store.api.post('/api/carts').send({}).expect(201);
    await store.api
      .post(`/api/carts/${cart.body.id}/items`)
      .send({ productId: await productId(store, 'enamel-mug'), quantity: 12 })
      .expect(201);
  });

  it('neither logs nor stores any of the refused numbers', async () => {
    const logs = store.logLines.join('\n');
    expect(store.logLines.length).toBeGreaterThan(5);
    expect(logs).toContain('[redacted: card data]');
    for (const digits of ['4242424242424242', '378282246310005']) {
      const pattern = new RegExp(digits.split('').join('[\\s\\-%20]*'));
      expect(logs).not.toMatch(pattern);
      expect(await dumpAllTables()).not.toMatch(pattern);
    }
  });
});
