import fs from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { PATHS } from '../../server/paths';
import { ADMIN, adminBrowser, ensureAdmin, logInAdmin } from './admin';
import { placeOrder } from './payments';
import { productId } from './shopper';
import type { ParamValues } from './route-enumeration';
import type { TestStore } from './test-store';

/** Real things in a test store for the attack suite to aim at. */
export interface AttackTargets {
  readonly slug: string;
  readonly productId: number;
  /** A cart holding one line, and that line's id. */
  readonly cartId: string;
  readonly itemId: number;
  /** A checkout whose order is placed and waits for payment. */
  readonly checkoutToken: string;
  readonly orderId: number;
  readonly orderPublicId: string;
  /** Every route parameter of the app, filled with the things above. */
  readonly values: ParamValues;
}

/** The first file of a folder (what a static mount really serves). */
function firstFile(dir: string): string {
  const file = fs.readdirSync(dir).find((name) => fs.statSync(path.join(dir, name)).isFile());
  if (!file) throw new Error(`no file in ${dir} (did you run npm run build:embed?)`);
  return file;
}

/** Creates a cart with a line, a placed order and the admin, and says which value fills which route parameter. */
export async function createAttackTargets(store: TestStore): Promise<AttackTargets> {
  const slug = 'enamel-mug';
  const id = await productId(store, slug);
  const cart = (await store.api.post('/api/carts').send({}).expect(201)).body as { id: string };
  const withItem = await store.api.post(`/api/carts/${cart.id}/items`).send({ productId: id, quantity: 1 }).expect(201);
  const itemId = String((withItem.body as { items: { id: number }[] }).items[0].id);
  // The order returns to the blog: the first embed origin without a wildcard port.
  const blog = store.config.embedOrigins.find((o) => !o.includes('*')) ?? 'http://localhost:8000';
  const order = await placeOrder(store, { slug: 'sticker-pack', returnUrl: `${blog}/shop` });
  await ensureAdmin(store);

  const byName: Record<string, (routePath: string) => string | undefined> = {
    slug: () => slug,
    id: (p) =>
      p.startsWith('/api/carts')
        ? cart.id
        : p.includes('/products')
          ? String(id)
          : p.includes('/orders')
            ? String(order.orderId)
            : undefined,
    itemId: () => itemId,
    token: () => order.token,
    publicId: () => order.publicId,
    // Re-asking the gateway changes nothing an attacker could use; the other actions move money.
    action: () => 'resync',
    gateway: () => 'stripe',
    '*': (p) =>
      p.startsWith('/images')
        ? firstFile(path.join(PATHS.public, 'images'))
        : p.startsWith('/assets')
          ? firstFile(PATHS.publicBuild)
          : undefined,
  };
  return {
    slug,
    productId: id,
    cartId: cart.id,
    itemId: Number(itemId),
    checkoutToken: order.token,
    orderId: order.orderId,
    orderPublicId: order.publicId,
    values: (name, routePath) => byName[name]?.(routePath),
  };
}

/** A browser logged in as the test admin, with its session's CSRF token. */
export async function loggedInAdmin(
  store: TestStore,
  email: string = ADMIN.email,
  password: string = ADMIN.password,
): Promise<{ agent: request.Agent; csrfToken: string }> {
  const agent = adminBrowser(store);
  return { agent, csrfToken: await logInAdmin(agent, email, password) };
}
