import type { TestStore } from './test-store';

export { validCheckoutForm } from './checkout-form-values';

export async function productId(store: TestStore, slug: string): Promise<number> {
  const res = await store.api.get(`/api/products/${slug}`).expect(200);
  return res.body.id as number;
}

/** Creates a cart holding `quantity` of a product and returns its id. */
export async function cartWith(store: TestStore, slug: string, quantity: number): Promise<string> {
  const cart = await store.api.post('/api/carts').send({}).expect(201);
  await store.api
    .post(`/api/carts/${cart.body.id}/items`)
    .send({ productId: await productId(store, slug), quantity })
    .expect(201);
  return cart.body.id as string;
}

/** Starts a checkout for a cart and returns the checkout token from its URL. */
export async function startCheckout(store: TestStore, cartId: string, returnUrl = 'http://localhost:8000/blog/shop'): Promise<string> {
  const res = await store.api.post(`/api/carts/${cartId}/checkout`).send({ returnUrl }).expect(201);
  return new URL(res.body.checkoutUrl as string).pathname.split('/').pop()!;
}

/** Current stock of a product, read straight from the database. */
export async function stockOf(store: TestStore, slug: string): Promise<number> {
  const rows: { stock: number | string }[] = await store.dataSource.query('SELECT stock FROM products WHERE slug = ?', [slug]);
  return Number(rows[0].stock);
}
