import type { DataSource } from 'typeorm';
import { Checkout } from '../checkout/checkout.entity';
import { Order } from '../orders/order.entity';
import { pageDrift, sameOriginScripts, type Finding, type ServedPage } from './payment-page-drift';
import type { PaymentPageId, PaymentPageInventory } from './payment-page-inventory';
import type { PaymentPageHeaders } from './payment-page-policy';
import type { StoreAnswer, StoreClient } from './store-client';

/** The outcome of comparing a store's payment pages with the inventory. */
export interface PaymentPageReport {
  readonly ok: boolean;
  /** Which pages were fetched (by inventory id and path, never the capability tokens in their URLs). */
  readonly pages: readonly PaymentPageId[];
  readonly findings: readonly Finding[];
}

export interface PaymentPageFetchOptions {
  /** The shop page the throwaway checkout returns to: must belong to one of the store's EMBED_ORIGINS. */
  readonly returnUrl: string;
  /** The `/orders/:publicId` path of the order a checkout placed (read from the store's database). */
  orderPageOf(checkoutToken: string): Promise<string>;
}

/** The details a shopper types on the checkout form; the order they place is recognisable as the check's own. */
const CHECK_SHOPPER: Readonly<Record<string, string>> = {
  email: 'payment-page-check@example.com',
  shippingName: 'Payment page check',
  shippingLine1: '1 Check Street',
  shippingLine2: '',
  shippingCity: 'London',
  shippingRegion: '',
  shippingPostalCode: 'N1 9GU',
  shippingCountry: 'GB',
  billingSameAsShipping: 'on',
  shippingMethod: 'standard',
};

function header(answer: StoreAnswer, name: string): string | null {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

async function answered(what: string, status: number, answer: Promise<StoreAnswer>): Promise<StoreAnswer> {
  const got = await answer;
  if (got.status !== status)
    throw new Error(`${what}: the store answered ${got.status} (expected ${status}): ${got.body.toString('utf8').slice(0, 300)}`);
  return got;
}

/**
 * Walks a shopper's way through the store's public API and pages, as a browser would: a cart
 * with one product in stock, a checkout, its form, the pay step (every offered gateway) and the
 * order page; fetches each page and the bytes of every same-origin script it references. The
 * order it places is never paid: its reservation runs out like any abandoned order's.
 */
export async function fetchPaymentPages(client: StoreClient, options: PaymentPageFetchOptions): Promise<ServedPage[]> {
  const products = await answered('Listing products', 200, client.request('GET', '/api/products'));
  const items = (JSON.parse(products.body.toString('utf8')) as { items: { id: number; inStock: boolean }[] }).items;
  const product = items.find((p) => p.inStock);
  if (!product) throw new Error('The store has no product in stock, so no checkout can be started to fetch its payment pages');
  const cart = await answered('Creating a cart', 201, client.request('POST', '/api/carts', { json: {} }));
  const cartId = (JSON.parse(cart.body.toString('utf8')) as { id: string }).id;
  await answered(
    'Adding a product to the cart',
    201,
    client.request('POST', `/api/carts/${cartId}/items`, { json: { productId: product.id, quantity: 1 } }),
  );
  const checkout = await answered(
    `Starting a checkout returning to ${options.returnUrl}`,
    201,
    client.request('POST', `/api/carts/${cartId}/checkout`, { json: { returnUrl: options.returnUrl } }),
  );
  const checkoutPath = new URL((JSON.parse(checkout.body.toString('utf8')) as { checkoutUrl: string }).checkoutUrl).pathname;
  const token = checkoutPath.split('/').pop()!;

  const pages: ServedPage[] = [];
  pages.push(await servedPage(client, 'checkout-form', checkoutPath));
  await answered('Submitting the checkout form', 303, client.request('POST', checkoutPath, { form: CHECK_SHOPPER }));
  pages.push(await servedPage(client, 'pay-step', checkoutPath));
  pages.push(await servedPage(client, 'order-status', await options.orderPageOf(token)));
  return pages;
}

async function servedPage(client: StoreClient, page: PaymentPageId, path: string): Promise<ServedPage> {
  const answer = await answered(`Fetching the ${page} page`, 200, client.request('GET', path));
  const url = new URL(path, client.baseUrl).href;
  const html = answer.body.toString('utf8');
  const scriptBodies = new Map<string, Buffer | null>();
  for (const src of sameOriginScripts(html, url)) {
    const script = await client.request('GET', new URL(src).pathname + new URL(src).search);
    scriptBodies.set(src, script.status === 200 ? script.body : null);
  }
  return {
    page,
    url,
    html,
    contentSecurityPolicy: header(answer, 'content-security-policy'),
    reportingEndpoints: header(answer, 'reporting-endpoints'),
    scriptBodies,
  };
}

/** Fetches the payment pages of a store and compares each with the inventory. */
export async function checkPaymentPages(
  client: StoreClient,
  inventory: PaymentPageInventory,
  expected: PaymentPageHeaders,
  options: PaymentPageFetchOptions,
): Promise<PaymentPageReport> {
  const served = await fetchPaymentPages(client, options);
  const findings = served.flatMap((page) => pageDrift(inventory, expected, page));
  return { ok: findings.every((f) => f.severity !== 'drift'), pages: served.map((p) => p.page), findings };
}

/** The `/orders/:publicId` path of the order a checkout placed, from the store's database. */
export async function orderPagePath(dataSource: DataSource, checkoutToken: string): Promise<string> {
  const checkout = await dataSource.getRepository(Checkout).findOneBy({ id: checkoutToken });
  const order = checkout?.orderId ? await dataSource.getRepository(Order).findOneBy({ id: checkout.orderId }) : null;
  if (!order) throw new Error(`The checkout ${checkoutToken.slice(0, 6)}… placed no order`);
  return `/orders/${order.publicId}`;
}
