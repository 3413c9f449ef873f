import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/logger';
import { startBraintreeSandbox } from '../../server/sandbox/braintree/braintree-sandbox';
import { startStripeSandbox } from '../../server/sandbox/stripe/stripe-sandbox';
import { SANDBOX_KEYS, testTls } from '../support/braintree-test-bed';
import { eventually } from '../support/payments';
import { StripeCheckoutBrowser } from '../support/stripe-checkout-browser';
import { useTeardown } from '../support/teardown';
import { validCheckoutForm } from '../support/shopper';
import { scratchDatabase } from '../support/test-database';
import { ShopClient, errorOf, type Answer } from './support/shop-client';
import { StoreDatabase } from './support/store-database';
import { EXTERNAL_SANDBOXES, killStores, rssMiB, spawnStore } from './support/store-process';

// Three minutes of steady mixed traffic on one store process: browsing, carts, checkouts paid
// with Braintree's in-page fields and on Stripe's hosted page (whose callbacks the sandbox
// sends). The sandboxes run in this process, so the store's memory is its own.

const SOAK_MS = 180_000;
const SHOPPERS = 3;
/** Each shopper starts a journey this often: a steady rate (about 3 journeys, 15 requests a second) whatever the store's speed. */
const JOURNEY_EVERY_MS = 1_000;
const RSS_BUDGET_MIB = 150;

/** The checkout form is shown again with a 409 and the reason when the last items sold meanwhile. */
const refusalOnPage = (what: string, answer: Answer): string | null =>
  what === 'checkout form' && answer.status === 409 && /in stock/.test(answer.body) ? 'insufficient_stock' : null;

interface Seen {
  readonly what: string;
  readonly status: number;
  readonly code: string | null;
}

describe('a 3-minute soak at a steady mixed load', () => {
  const teardown = useTeardown();
  afterAll(killStores);

  it(
    'answers nothing but successes and expected refusals, pays every order once, and stays within 150 MB',
    async () => {
      const tls = await testTls();
      const quiet = createLogger({ logLevel: 'silent' });
      const webhookSecret = `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'A')}`;
      const bt = await teardown.track(startBraintreeSandbox({ ...SANDBOX_KEYS, tls, logger: quiet, settleAfterMs: 5_000 }), (s) =>
        s.stop(),
      );
      const stripe = await teardown.track(
        startStripeSandbox({ secretKey: 'sk_test_padlock_sandbox', webhookSecret, tls, logger: quiet }),
        (s) => s.stop(),
      );
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-soak-'));
      teardown.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
      const database = await teardown.track(scratchDatabase(dataDir), (d) => d.drop());
      const db = await teardown.track(StoreDatabase.open(database.url), (d) => d.close());
      const store = await spawnStore(
        {
          NODE_ENV: 'test',
          DATA_DIR: dataDir,
          DATABASE_URL: database.url,
          STRIPE_WEBHOOK_SECRET: webhookSecret,
          RATE_LIMIT_FACTOR: '1000',
          PADLOCK_FAULT_TEST_SANDBOXES: JSON.stringify({
            stripe: stripe.gatewayOptions(),
            braintree: { apiPort: bt.apiPort, pagesOrigin: bt.pagesOrigin, ...SANDBOX_KEYS },
          }),
        },
        { preload: EXTERNAL_SANDBOXES },
      );
      stripe.setCallbackTarget(`${store.url}/webhooks/stripe`, { ca: store.ca });
      bt.setCallbackTarget(`${store.url}/webhooks/braintree`, { ca: store.ca });
      const client = new ShopClient(store.url, store.ca, { maxSockets: SHOPPERS * 2 });
      teardown.defer(() => client.close());
      const hostedPage = new StripeCheckoutBrowser(tls.cert);
      const products = await client.products();

      const seen: Seen[] = [];
      const note = (what: string, answer: Answer): Answer => {
        seen.push({
          what,
          status: answer.status,
          code: answer.status >= 400 ? (errorOf(answer)?.code ?? refusalOnPage(what, answer)) : null,
        });
        return answer;
      };
      const paid = { braintree: [] as string[], stripe: [] as string[] };

      /** One shopper's visit; stops early (as a shopper would) when the shop refuses a step. */
      const journey = async (n: number): Promise<void> => {
        const product = products[n % products.length];
        note('catalog', await client.request('GET', '/api/products'));
        note('product', await client.request('GET', `/api/products/${product.slug}`));
        if (n % 4 === 0) return;
        const cart = note('new cart', await client.request('POST', '/api/carts', { json: {} }));
        if (cart.status !== 201) return;
        const cartId = (JSON.parse(cart.body) as { id: string }).id;
        const added = note(
          'add to cart',
          await client.request('POST', `/api/carts/${cartId}/items`, { json: { productId: product.id, quantity: 1 } }),
        );
        note('cart', await client.request('GET', `/api/carts/${cartId}`));
        if (added.status !== 201 || n % 4 === 1) return;
        const started = note(
          'checkout',
          await client.request('POST', `/api/carts/${cartId}/checkout`, { json: { returnUrl: 'http://localhost:8000/blog/shop' } }),
        );
        if (started.status !== 201) return;
        const token = new URL((JSON.parse(started.body) as { checkoutUrl: string }).checkoutUrl).pathname.split('/').pop()!;
        note('checkout page', await client.request('GET', `/checkout/${token}`));
        const form = note('checkout form', await client.request('POST', `/checkout/${token}`, { form: validCheckoutForm() }));
        if (form.status !== 303) return;
        if (n % 4 === 2) {
          const pay = note('braintree pay', await client.payBraintree(token));
          if (pay.status === 303 && String(pay.headers.location).startsWith('/orders/')) paid.braintree.push(token);
          note('order page', await client.request('GET', String(pay.headers.location)));
        } else {
          const go = note('stripe start', await client.request('POST', `/checkout/${token}/pay/stripe`, { form: {} }));
          if (go.status !== 303) return;
          const done = await hostedPage.pay(String(go.headers.location), { cardNumber: '4242424242424242' });
          if (done.status !== 303) throw new Error(`the hosted page answered ${done.status}`);
          paid.stripe.push(token);
          const back = new URL(String(done.headers.location));
          note('stripe return', await client.request('GET', `${back.pathname}${back.search}`));
        }
      };

      const rss: { atS: number; mib: number }[] = [];
      const startedAt = Date.now();
      const sampler = setInterval(() => rss.push({ atS: Math.round((Date.now() - startedAt) / 1000), mib: rssMiB(store.pid) }), 5_000);
      teardown.defer(() => clearInterval(sampler));
      rss.push({ atS: 0, mib: rssMiB(store.pid) });
      const failures: string[] = [];
      let journeys = 0;
      await Promise.all(
        Array.from({ length: SHOPPERS }, async (_, shopper) => {
          for (let i = shopper; Date.now() - startedAt < SOAK_MS; i += SHOPPERS) {
            journeys += 1;
            const began = Date.now();
            await journey(i).catch((err: unknown) => failures.push((err as Error).message));
            await new Promise((r) => setTimeout(r, Math.max(0, JOURNEY_EVERY_MS - (Date.now() - began))));
          }
        }),
      );
      clearInterval(sampler);
      rss.push({ atS: Math.round((Date.now() - startedAt) / 1000), mib: rssMiB(store.pid) });

      // Every Stripe payment's callback lands: each order paid once.
      await eventually(async () => {
        const [row] = await db.rows<{ n: number }>(
          `SELECT COUNT(*) AS n FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE o.status = 'paid' AND c.id IN (?)`,
          [[...paid.stripe, ...paid.braintree, '-']],
        );
        expect(Number(row.n)).toBe(paid.stripe.length + paid.braintree.length);
      }, 30_000);
      const twice = await db.rows(
        "SELECT order_id, COUNT(*) AS n FROM order_events WHERE to_status = 'paid' GROUP BY order_id HAVING COUNT(*) > 1",
      );
      const callbacks = store
        .output()
        .split('\n')
        .filter((line) => line.includes('"/webhooks/'))
        .map((line) => (JSON.parse(line) as { res?: { statusCode?: number } }).res?.statusCode)
        .filter((s): s is number => s !== undefined);

      // What the store logged as errors, to say why an answer failed.
      const errors = store
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && /"level":(50|60)/.test(line))
        .map((line) => {
          const entry = JSON.parse(line) as { msg?: string; req?: { url?: string }; err?: { message?: string } };
          return `${entry.msg ?? ''} ${entry.req?.url ?? ''}: ${entry.err?.message ?? ''}`.slice(0, 300);
        })
        .reduce<Record<string, number>>((all, e) => ({ ...all, [e]: (all[e] ?? 0) + 1 }), {});
      const byStatus = seen.reduce<Record<string, number>>((all, s) => ({ ...all, [s.status]: (all[s.status] ?? 0) + 1 }), {});
      process.stdout.write(
        `\nsoak: ${journeys} journeys, ${seen.length} answers ${JSON.stringify(byStatus)}, ` +
          `${paid.braintree.length} Braintree and ${paid.stripe.length} Stripe payments, ${callbacks.length} callbacks; ` +
          `RSS MiB ${rss.map((r) => `${r.atS}s:${r.mib.toFixed(1)}`).join(' ')}\n` +
          (Object.keys(errors).length > 0 ? `store errors, how many of each: ${JSON.stringify(errors, null, 1)}\n` : ''),
      );

      expect(failures).toEqual([]);
      // Only successes, redirects and the refusal a shopper can expect (the last items sold).
      expect(seen.filter((s) => s.status >= 400 && !(s.status === 409 && s.code === 'insufficient_stock'))).toEqual([]);
      expect(paid.braintree.length).toBeGreaterThan(10);
      expect(paid.stripe.length).toBeGreaterThan(10);
      expect(twice).toEqual([]);
      expect(callbacks.length).toBeGreaterThan(0);
      expect(callbacks.filter((s) => s < 200 || s >= 300)).toEqual([]);
      // Within the budget all along, not only at the end.
      expect(Math.max(...rss.map((r) => r.mib))).toBeLessThanOrEqual(RSS_BUDGET_MIB);
      expect(store.child.exitCode).toBeNull();
    },
    SOAK_MS + 120_000,
  );
});
