import { validCheckoutForm } from '../../test/support/checkout-form-values';
import type { BenchClient } from './bench-http';

/** Where the bench's shoppers come from: a blog page on an origin the store lets embed it (dev default). */
const RETURN_URL = 'http://localhost:8000/blog/shop';

/** What became of one attempt to buy: placed (with its checkout token), or refused at a step for lack of stock. */
export type Attempt =
  { readonly placed: true; readonly token: string } | { readonly placed: false; readonly step: string; readonly status: number };

const OUT_OF_STOCK = 409;

/**
 * One shopper's purchase through the public API, as the embed and the checkout page make it:
 * {@link openCheckout}, then {@link submitDetails} (which places the order and reserves its stock).
 * A 409 (out of stock) is a refusal; any other unexpected status throws.
 */
export async function attemptPurchase(client: BenchClient, productId: number): Promise<Attempt> {
  const opened = await openCheckout(client, productId);
  return opened.placed ? submitDetails(client, opened.token) : opened;
}

/**
 * The three requests before the order: create a cart, add one unit, start the checkout. Nothing is
 * reserved yet; `placed` is true when the shopper reached the checkout page (its token given).
 */
export async function openCheckout(client: BenchClient, productId: number): Promise<Attempt> {
  const cart = await client.request('POST', '/api/carts', { json: {} });
  if (cart.status !== 201) throw new Error(`POST /api/carts answered ${cart.status}: ${cart.body.slice(0, 200)}`);
  const cartId = (JSON.parse(cart.body) as { id: string }).id;
  const item = await client.request('POST', `/api/carts/${cartId}/items`, { json: { productId, quantity: 1 } });
  if (item.status === OUT_OF_STOCK) return { placed: false, step: 'add item', status: item.status };
  if (item.status !== 201) throw new Error(`POST /api/carts/:id/items answered ${item.status}: ${item.body.slice(0, 200)}`);
  const checkout = await client.request('POST', `/api/carts/${cartId}/checkout`, { json: { returnUrl: RETURN_URL } });
  if (checkout.status === OUT_OF_STOCK) return { placed: false, step: 'checkout', status: checkout.status };
  if (checkout.status !== 201) throw new Error(`POST /api/carts/:id/checkout answered ${checkout.status}: ${checkout.body.slice(0, 200)}`);
  const token = new URL((JSON.parse(checkout.body) as { checkoutUrl: string }).checkoutUrl).pathname.split('/').pop()!;
  return { placed: true, token };
}

/** Posts the checkout page's details form, which places the order and reserves its stock (303), or is refused (409). */
export async function submitDetails(client: BenchClient, token: string): Promise<Attempt> {
  const form = await client.request('POST', `/checkout/${token}`, { form: validCheckoutForm() });
  if (form.status === OUT_OF_STOCK) return { placed: false, step: 'details form', status: form.status };
  if (form.status !== 303) throw new Error(`POST /checkout/:token answered ${form.status}: ${form.body.slice(0, 200)}`);
  return { placed: true, token };
}
