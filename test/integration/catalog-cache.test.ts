import express from 'express';
import request from 'supertest';
import { expireUnpaidOrders } from '../../server/orders/order-expiry';
import { adminBrowser, ensureAdmin, logInAdmin } from '../support/admin';
import { placeOrder } from '../support/payments';
import { stockOf } from '../support/shopper';
import { databaseUrlOf } from '../support/test-database';
import { useTeardown } from '../support/teardown';
import { useTestStore, type TestStore } from '../support/test-store';

// Two store instances on one database (SQLite file or MariaDB), as behind a load balancer: each
// serves the catalog from its own cache, and a change made through either shows on both.

const CHECK_MS = 250;

/** Asks `store` for `path` until `done` holds, for at most `withinMs`; returns the answer and how long it took. */
async function until(store: TestStore, path: string, done: (res: request.Response) => boolean, withinMs: number) {
  const started = Date.now();
  for (;;) {
    const res = await store.api.get(path);
    const took = Date.now() - started;
    if (done(res)) return { res, took };
    if (took > withinMs) throw new Error(`${path} did not change within ${withinMs} ms: ${res.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const names = (res: request.Response): string[] =>
  res.status === 200 ? (res.body as { items: { name: string }[] }).items.map((p) => p.name) : [];

describe('the catalog cache across instances', () => {
  const teardown = useTeardown();
  const a = useTestStore({ CATALOG_CACHE_CHECK_MS: String(CHECK_MS) }, teardown);
  const b = useTestStore(() => ({ DATABASE_URL: databaseUrlOf(a.config), CATALOG_CACHE_CHECK_MS: String(CHECK_MS) }), teardown);
  let admin: { browser: request.Agent; csrf: string };

  beforeAll(async () => {
    await ensureAdmin(a);
    const browser = adminBrowser(a);
    admin = { browser, csrf: await logInAdmin(browser) };
  });

  const productId = async (slug: string): Promise<number> => {
    const rows: { id: number }[] = await a.dataSource.query('SELECT id FROM products WHERE slug = ?', [slug]);
    return Number(rows[0].id);
  };

  it('serves the bytes the uncached route sent, with a strong ETag, and 304 to a client holding them', async () => {
    const page = await a.services.catalog.list(24, 0);
    const plain = express().get('/', (_req, res) => {
      res.json(page);
    });
    const expected = await request(plain)
      .get('/')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const served = await b.api
      .get('/api/products')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(served.body as Buffer, expected.body as Buffer)).toBe(0);
    expect(served.headers['content-type']).toBe(expected.headers['content-type']);
    expect(served.headers['content-length']).toBe(String((expected.body as Buffer).length));

    const etag = served.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    // The same bytes carry the same tag on the other instance.
    expect((await a.api.get('/api/products').expect(200)).headers.etag).toBe(etag);
    const notModified = await b.api.get('/api/products').set('If-None-Match', etag).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['x-frame-options']).toBe('DENY');
    await b.api.get('/api/products').set('If-None-Match', `"other", W/${etag}`).expect(304);
    await b.api.get('/api/products').set('If-None-Match', '"other"').expect(200);
    await b.api.get('/api/products').set('If-None-Match', etag).set('Cache-Control', 'no-cache').expect(200);
  });

  it('shows an admin edit made on one instance on the other within a second, with a new ETag', async () => {
    const before = await b.api.get('/api/products').expect(200);
    const snapshotBefore = await b.api.get('/seo/products/enamel-mug').expect(200);
    const productBefore = await b.api.get('/api/products/enamel-mug').expect(200);
    expect(names(before)).toContain('Enamel Mug');

    const started = Date.now();
    await admin.browser
      .patch(`/api/admin/products/${await productId('enamel-mug')}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ name: 'Enamel Mug, Blue' })
      .expect(200);
    const { res, took } = await until(b, '/api/products', (r) => names(r).includes('Enamel Mug, Blue'), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(took).toBeLessThan(1000);
    expect(res.headers.etag).not.toBe(before.headers.etag);
    // The old tag no longer answers 304.
    await b.api.get('/api/products').set('If-None-Match', before.headers.etag).expect(200);

    const product = await b.api.get('/api/products/enamel-mug').expect(200);
    expect(product.body.name).toBe('Enamel Mug, Blue');
    expect(product.headers.etag).not.toBe(productBefore.headers.etag);
    const snapshot = await b.api.get('/seo/products/enamel-mug').expect(200);
    expect(snapshot.text).toContain('Enamel Mug, Blue');
    expect(snapshot.headers['cache-control']).toBe('public, max-age=300');
    expect(snapshot.headers.etag).not.toBe(snapshotBefore.headers.etag);
    expect((await b.api.get('/seo/catalog').expect(200)).text).toContain('Enamel Mug, Blue');
  });

  it('shows a new product and a deactivated one on the other instance within a second', async () => {
    await b.api.get('/api/products/felt-coasters').expect(404);
    await admin.browser
      .post('/api/admin/products')
      .set('X-CSRF-Token', admin.csrf)
      .send({
        name: 'Felt Coasters',
        slug: 'felt-coasters',
        description: 'Four felt coasters.',
        price: { amount: 1250, currency: 'USD' },
        stock: 3,
      })
      .expect(201);
    await until(b, '/api/products?limit=100', (r) => names(r).includes('Felt Coasters'), 1000);
    await until(b, '/api/products/felt-coasters', (r) => r.status === 200, 1000);

    await admin.browser
      .patch(`/api/admin/products/${await productId('felt-coasters')}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ active: false })
      .expect(200);
    await until(b, '/api/products?limit=100', (r) => r.status === 200 && !names(r).includes('Felt Coasters'), 1000);
    await until(b, '/api/products/felt-coasters', (r) => r.status === 404, 1000);
    await b.api.get('/seo/products/felt-coasters').expect(404);
  });

  it('shows a product sold out by a checkout, and back in stock when the order expires, on the other instance within a second', async () => {
    await admin.browser
      .patch(`/api/admin/products/${await productId('risograph-poster')}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ stock: 1 })
      .expect(200);
    await until(b, '/api/products/risograph-poster', (r) => r.status === 200 && r.body.inStock === true, 1000);

    await placeOrder(a, { slug: 'risograph-poster', quantity: 1 });
    expect(await stockOf(a, 'risograph-poster')).toBe(0);
    await until(b, '/api/products/risograph-poster', (r) => r.status === 200 && r.body.inStock === false, 1000);

    a.clock.advanceMinutes(a.config.orderTtlMinutes + 1);
    await expireUnpaidOrders(a.dataSource, a.services.transitions, a.logger, a.clock.now());
    expect(await stockOf(a, 'risograph-poster')).toBe(1);
    await until(b, '/api/products/risograph-poster', (r) => r.status === 200 && r.body.inStock === true, 1000);
  });
});
