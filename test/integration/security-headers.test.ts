import request from 'supertest';
import { adminBrowser, ensureAdmin, logInAdmin } from '../support/admin';
import { placeOrder } from '../support/payments';
import { cartWith, startCheckout, validCheckoutForm } from '../support/shopper';
import { useTestStore } from '../support/test-store';

// The headers each route class answers with (issue 11, part 2), over real HTTPS, on SQLite and on
// MariaDB: every answer of a class, refusals and errors included.

/** Features the store never uses: each must be switched off for the page and every frame on it. */
const FEATURES_OFF = [
  'camera',
  'microphone',
  'geolocation',
  'usb',
  'serial',
  'hid',
  'midi',
  'magnetometer',
  'gyroscope',
  'accelerometer',
  'payment',
  'browsing-topics',
  'interest-cohort',
  'display-capture',
  'publickey-credentials-get',
];

type Answer = Pick<request.Response, 'status' | 'headers'>;

/** The Content-Security-Policy directives of an answer, by name. */
function cspOf(res: Answer): Map<string, string> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1).join(' ')]),
  );
}

/** What every answer carries, whatever its class or status. */
function expectBaseline(res: Answer): void {
  expect(res.headers['x-frame-options']).toBe('DENY');
  const policy = new Map(
    String(res.headers['permissions-policy'] ?? '')
      .split(',')
      .map((entry) => entry.trim().split('=') as [string, string]),
  );
  for (const feature of FEATURES_OFF) expect([feature, policy.get(feature)]).toEqual([feature, '()']);
  expect(cspOf(res).get('frame-ancestors')).toBe("'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
}

/** A page of the store: its own strict policy, never framed. */
function expectPagePolicy(res: Answer): void {
  expectBaseline(res);
  const csp = cspOf(res);
  expect(csp.get('default-src')).toBe("'self'");
  expect(csp.get('object-src')).toBe("'none'");
}

function expectNoStore(res: Answer): void {
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('security headers per route class', () => {
  const store = useTestStore();
  let token: string;
  let publicId: string;

  beforeAll(async () => {
    token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
    publicId = (await placeOrder(store)).publicId;
  });

  describe('payment pages (/checkout, /orders): page policy with the gateways, never stored', () => {
    it('the checkout form, the pay step and the order page', async () => {
      const form = await store.api.get(`/checkout/${token}`).expect(200).expect('Content-Type', /html/);
      const placed = await placeOrder(store);
      const pay = await store.api.get(`/checkout/${placed.token}`).expect(200).expect('Content-Type', /html/);
      const order = await store.api.get(`/orders/${publicId}`).expect(200).expect('Content-Type', /html/);
      for (const res of [form, pay, order]) {
        expectPagePolicy(res);
        expectNoStore(res);
      }
      // The pay step hosts the sandbox Braintree fields frame: its origin is the one frame source.
      const fieldsOrigin = store.gateways.browserOrigins().frames[0];
      expect(fieldsOrigin).toMatch(/^https:\/\/localhost:\d+$/);
      expect(cspOf(pay).get('frame-src')).toContain(fieldsOrigin);
    });

    it('their refusals and errors: a card number in the form, a bad form, unknown tokens and paths, a malformed body', async () => {
      const answers = [
        await store.api
          .post(`/checkout/${token}`)
          .type('form')
          .send(validCheckoutForm({ shippingLine2: '4111 1111 1111 1111' }))
          .expect(400),
        await store.api
          .post(`/checkout/${token}`)
          .type('form')
          .send(validCheckoutForm({ email: 'not an address' }))
          .expect(400),
        await store.api.get('/checkout/no-such-token').expect(404),
        await store.api.get(`/checkout/${token}/no/such/page`).expect(404),
        await store.api.get('/orders/no-such-order').expect(404),
        await store.api
          .post(`/checkout/${token}`)
          .type('form')
          .send('x'.repeat(40 * 1024))
          .expect(413),
      ];
      for (const res of answers) {
        expectPagePolicy(res);
        expectNoStore(res);
      }
    });
  });

  describe('admin (/admin, /api/admin): page policy without gateways, never stored', () => {
    beforeAll(() => ensureAdmin(store));

    it('pages and API answers, signed in or not, refused or missing', async () => {
      const anonymous = adminBrowser(store);
      const signedIn = adminBrowser(store);
      const csrf = await logInAdmin(signedIn);
      const answers = [
        await anonymous.get('/admin/login').expect(200),
        await anonymous.get('/admin/orders').expect(303),
        await anonymous.get('/api/admin/me').expect(401),
        await signedIn.get('/admin').expect(200),
        await signedIn.get('/admin/no-such-page').expect(404),
        await signedIn.get('/api/admin/products').expect(200),
        await signedIn.post('/api/admin/products').set('X-CSRF-Token', csrf).send({ name: '4111111111111111' }).expect(400),
        await signedIn.post('/api/admin/products').set('X-CSRF-Token', csrf).set('Content-Type', 'application/json').send('{').expect(400),
      ];
      for (const res of answers) {
        expectPagePolicy(res);
        expectNoStore(res);
        expect(cspOf(res).get('frame-src')).toBe("'none'");
        expect(cspOf(res).get('script-src')).toBe("'self'");
      }
    });
  });

  describe('the cart and checkout API (/api/carts): capabilities, never stored', () => {
    it('created carts and checkouts, and their refusals', async () => {
      const cart = await store.api.post('/api/carts').send({}).expect(201);
      const answers = [
        cart,
        await store.api.get(`/api/carts/${cart.body.id}`).expect(200),
        await store.api
          .post(`/api/carts/${await cartWith(store, 'enamel-mug', 1)}/checkout`)
          .send({ returnUrl: 'http://localhost:8000/' })
          .expect(201),
        await store.api
          .post(`/api/carts/${cart.body.id}/checkout`)
          .send({ returnUrl: 'http://localhost:8000/?c=4111111111111111' })
          .expect(400),
        await store.api.post('/api/carts').set('Content-Type', 'application/json').send('{"a":').expect(400),
        await store.api.get('/api/carts/no-such-cart').expect(404),
      ];
      for (const res of answers) {
        expectBaseline(res);
        expectNoStore(res);
        expect(cspOf(res).get('default-src')).toBe("'none'");
      }
    });
  });

  describe('other store pages (/, /products): page policy without gateways, cacheable', () => {
    it('the storefront and a product page', async () => {
      const answers = [await store.api.get('/').expect(200), await store.api.get('/products/enamel-mug').expect(200)];
      for (const res of answers) {
        expectPagePolicy(res);
        expect(res.headers['cache-control'] ?? '').not.toContain('no-store');
        expect(cspOf(res).get('frame-src')).toBe("'none'");
        expect(cspOf(res).get('script-src')).toBe("'self'");
      }
    });
  });

  describe('everything else: the baseline, a policy that allows nothing, cacheable', () => {
    it('the catalog API, callbacks, static files, unknown routes, SEO snapshots', async () => {
      const answers = [
        await store.api.get('/api/products').expect(200),
        await store.api.get('/api/nope').expect(404),
        await store.api.post('/webhooks/stripe').send('{}').expect(400),
        await store.api.get('/embed.js').expect(200),
        await store.api.get('/images/mug.svg').expect(200),
        await store.api.get('/assets/no-such-file.css').expect(404),
        await store.api.get('/no/such/page').expect(404),
        await store.api.get('/seo/catalog').expect(200),
      ];
      for (const res of answers) {
        expectBaseline(res);
        expect(cspOf(res).get('default-src')).toBe("'none'");
        expect(res.headers['cache-control'] ?? '').not.toContain('no-store');
        expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      }
    });
  });

  describe('transport', () => {
    it('HSTS on every answer over TLS, errors too', async () => {
      for (const res of [
        await store.api.get('/').expect(200),
        await store.api.get('/orders/nope').expect(404),
        await store.api.get('/api/nope').expect(404),
      ]) {
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
      }
    });

    it('the plain listener: redirects and the health check carry the baseline, never HSTS', async () => {
      // supertest serves the app itself over plain HTTP, as the redirect listener does.
      const plain = request(store.app);
      const answers = [await plain.get(`/checkout/${token}`).expect(308), await plain.get('/healthz').expect(200)];
      for (const res of answers) {
        expectBaseline(res);
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });
  });
});
