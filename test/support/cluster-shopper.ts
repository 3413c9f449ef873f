import type request from 'supertest';
import { validCheckoutForm } from './shopper';

/** The catalog id of the product with `slug`. */
export async function productIdOf(agent: request.Agent, slug: string): Promise<number> {
  return (await agent.get(`/api/products/${slug}`).expect(200)).body.id as number;
}

/** A cart holding `quantity` of a product, with a checkout started: its checkout token. */
export async function checkoutToken(agent: request.Agent, product: string | number, quantity: number): Promise<string> {
  const productId = typeof product === 'number' ? product : await productIdOf(agent, product);
  const cart = await agent.post('/api/carts').send({}).expect(201);
  await agent.post(`/api/carts/${cart.body.id}/items`).send({ productId, quantity }).expect(201);
  const checkout = await agent.post(`/api/carts/${cart.body.id}/checkout`).send({ returnUrl: 'http://localhost:8000/shop' }).expect(201);
  return new URL(checkout.body.checkoutUrl as string).pathname.split('/').pop()!;
}

/** Places the order of a checkout (submits its form): 303 placed, 409 refused (out of stock). */
export function submitCheckout(agent: request.Agent, token: string): Promise<request.Response> {
  return agent.post(`/checkout/${token}`).type('form').send(validCheckoutForm());
}

/** Runs `task` for each item, at most `limit` at a time. */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
