import { useTestStore } from '../support/test-store';
import { productId, stockOf } from '../support/shopper';

describe('cart API', () => {
  const store = useTestStore();

  async function newCart(): Promise<string> {
    const res = await store.api.post('/api/carts').send({}).expect(201);
    return res.body.id;
  }

  it('creates empty carts with unguessable ids (256 random bits, base64url)', async () => {
    const res = await store.api.post('/api/carts').send({}).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      items: [],
      itemCount: 0,
      total: { amount: 0, currency: 'USD' },
    });
    const ids = new Set(await Promise.all(Array.from({ length: 10 }, newCart)));
    expect(ids.size).toBe(10);
  });

  it('adds products, merging the same product into one line, with totals from the catalog', async () => {
    const cartId = await newCart();
    const mug = await productId(store, 'enamel-mug');
    await store.api.post(`/api/carts/${cartId}/items`).send({ productId: mug, quantity: 2 }).expect(201);
    const res = await store.api.post(`/api/carts/${cartId}/items`).send({ productId: mug, quantity: 1 }).expect(201);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      productId: mug,
      slug: 'enamel-mug',
      quantity: 3,
      unitPrice: { amount: 1800, currency: 'USD' },
      lineTotal: { amount: 5400, currency: 'USD' },
    });
    expect(res.body.total).toEqual({ amount: 5400, currency: 'USD' });
    expect(res.body.itemCount).toBe(3);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a body with a %s key, at the top or nested, and creates nothing',
    async (key) => {
      const before = await store.dataSource.query('SELECT COUNT(*) AS n FROM carts');
      for (const body of [`{"${key}": {"polluted": true}}`, `{"${key}": 1}`]) {
        const res = await store.api.post('/api/carts').set('Content-Type', 'application/json').send(body).expect(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: key, message: `"${key}" is not allowed` }] });
      }
      const cartId = await newCart();
      const mug = await productId(store, 'enamel-mug');
      const nested = `{"productId": ${mug}, "quantity": 1, "x": {"${key}": {"admin": true}}}`;
      const res = await store.api.post(`/api/carts/${cartId}/items`).set('Content-Type', 'application/json').send(nested).expect(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: `x.${key}` })]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const after = await store.dataSource.query('SELECT COUNT(*) AS n FROM carts');
      expect(Number(after[0].n)).toBe(Number(before[0].n) + 1);
      expect((await store.api.get(`/api/carts/${cartId}`).expect(200)).body.items).toEqual([]);
    },
  );

  it('never accepts a client-sent price', async () => {
    const cartId = await newCart();
    const mug = await productId(store, 'enamel-mug');
    const res = await store.api.post(`/api/carts/${cartId}/items`).send({ productId: mug, quantity: 1, price: 1 }).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'price' })]);
    const cart = await store.api.get(`/api/carts/${cartId}`).expect(200);
    expect(cart.body.items).toEqual([]);
  });

  it.each([
    [{ quantity: 0 }, 'quantity'],
    [{ quantity: 100 }, 'quantity'],
    [{ quantity: 1.5 }, 'quantity'],
    [{ quantity: '2' }, 'quantity'],
  ])('refuses quantity %j with a 400 naming the field', async (body, field) => {
    const cartId = await newCart();
    const mug = await productId(store, 'enamel-mug');
    const res = await store.api
      .post(`/api/carts/${cartId}/items`)
      .send({ productId: mug, ...body })
      .expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('answers 409 when stock is short, saying how many are left', async () => {
    const cartId = await newCart();
    const shirt = await productId(store, 'organic-t-shirt');
    const res = await store.api.post(`/api/carts/${cartId}/items`).send({ productId: shirt, quantity: 4 }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'insufficient_stock', message: 'Only 3 of Organic T-Shirt left in stock' });
    await store.api.post(`/api/carts/${cartId}/items`).send({ productId: shirt, quantity: 3 }).expect(201);
    await store.api.post(`/api/carts/${cartId}/items`).send({ productId: shirt, quantity: 1 }).expect(409);
    expect(await stockOf(store, 'organic-t-shirt')).toBe(3);
  });

  it('changes and removes lines', async () => {
    const cartId = await newCart();
    const added = await store.api
      .post(`/api/carts/${cartId}/items`)
      .send({ productId: await productId(store, 'sticker-pack'), quantity: 1 })
      .expect(201);
    const itemId = added.body.items[0].id;
    const changed = await store.api.patch(`/api/carts/${cartId}/items/${itemId}`).send({ quantity: 5 }).expect(200);
    expect(changed.body.items[0].quantity).toBe(5);
    expect(changed.body.total.amount).toBe(3000);
    await store.api.patch(`/api/carts/${cartId}/items/${itemId}`).send({ quantity: 0 }).expect(400);
    const removed = await store.api.delete(`/api/carts/${cartId}/items/${itemId}`).expect(200);
    expect(removed.body.items).toEqual([]);
    await store.api.delete(`/api/carts/${cartId}/items/${itemId}`).expect(404);
  });

  it('keeps carts apart: an item id of another cart is not found', async () => {
    const a = await newCart();
    const b = await newCart();
    const added = await store.api
      .post(`/api/carts/${a}/items`)
      .send({ productId: await productId(store, 'sticker-pack'), quantity: 1 })
      .expect(201);
    await store.api.patch(`/api/carts/${b}/items/${added.body.items[0].id}`).send({ quantity: 2 }).expect(404);
    await store.api.delete(`/api/carts/${b}/items/${added.body.items[0].id}`).expect(404);
  });

  it('answers 404 for unknown carts and products', async () => {
    await store.api.get('/api/carts/not-a-cart').expect(404);
    await store.api.get(`/api/carts/${'A'.repeat(43)}`).expect(404);
    const cartId = await newCart();
    const res = await store.api.post(`/api/carts/${cartId}/items`).send({ productId: 999999, quantity: 1 }).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
