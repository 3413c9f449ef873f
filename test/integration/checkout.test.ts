import { useTestStore } from '../support/test-store';
import { cartWith, startCheckout, stockOf, validCheckoutForm } from '../support/shopper';

describe('checkout', () => {
  const store = useTestStore({ ORDER_TTL_MINUTES: '30' });

  async function ordersOf(token: string) {
    return store.dataSource.query('SELECT o.* FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?', [token]);
  }

  describe('POST /api/carts/:id/checkout', () => {
    it('returns an https checkout URL on the store origin', async () => {
      const cartId = await cartWith(store, 'enamel-mug', 1);
      const res = await store.api.post(`/api/carts/${cartId}/checkout`).send({ returnUrl: 'http://localhost:8000/shop?x=1' }).expect(201);
      expect(res.body.checkoutUrl).toMatch(new RegExp(`^${store.config.publicUrl}/checkout/[A-Za-z0-9_-]{43}$`));
    });

    it('refuses a returnUrl outside the allowed embed origins', async () => {
      const cartId = await cartWith(store, 'enamel-mug', 1);
      const res = await store.api.post(`/api/carts/${cartId}/checkout`).send({ returnUrl: 'https://evil.example/phish' }).expect(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'returnUrl' })]);
      await store.api.post(`/api/carts/${cartId}/checkout`).send({ returnUrl: 'javascript:alert(1)' }).expect(400);
      await store.api.post(`/api/carts/${cartId}/checkout`).send({}).expect(400);
    });

    it('refuses an empty cart with 409', async () => {
      const cart = await store.api.post('/api/carts').send({}).expect(201);
      const res = await store.api.post(`/api/carts/${cart.body.id}/checkout`).send({ returnUrl: 'http://localhost:8000/' }).expect(409);
      expect(res.body.error.code).toBe('cart_empty');
    });
  });

  describe('the checkout page', () => {
    it('is served under a strict Content-Security-Policy, with HSTS, never framed', async () => {
      const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
      const res = await store.api.get(`/checkout/${token}`).expect(200).expect('Content-Type', /html/);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    });

    it('asks for email, shipping and billing address and shipping method, each field labelled', async () => {
      const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 2));
      const res = await store.api.get(`/checkout/${token}`).expect(200);
      for (const field of [
        'email',
        'shippingName',
        'shippingLine1',
        'shippingCity',
        'shippingPostalCode',
        'shippingCountry',
        'billingName',
        'billingLine1',
        'billingPostalCode',
        'billingCountry',
      ]) {
        expect(res.text).toContain(`<label for="${field}">`);
        expect(res.text).toContain(`id="${field}" name="${field}"`);
      }
      expect(res.text).toContain('name="shippingMethod" type="radio" value="express"');
      expect(res.text).toContain('$36.00');
      expect(res.text).toContain('data-secure-badge hidden');
    });

    it('escapes shop data on the page', async () => {
      await store.dataSource.query(
        "INSERT INTO products (slug, name, description, price, currency, stock, active, position) VALUES ('xss', '<img src=x onerror=alert(1)>', 'd', 100, 'USD', 5, 1, 99)",
      );
      const token = await startCheckout(store, await cartWith(store, 'xss', 1));
      const res = await store.api.get(`/checkout/${token}`).expect(200);
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });

    it('shows each invalid field next to its input, keeps what was typed, and places no order', async () => {
      const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
      const form = validCheckoutForm({
        email: 'not-an-email',
        shippingPostalCode: '',
        billingSameAsShipping: '',
        billingName: 'Ada <b>L</b>',
      });
      const res = await store.api.post(`/checkout/${token}`).type('form').send(form).expect(400);
      expect(res.text).toContain('id="email-error"');
      expect(res.text).toContain('Email must be a valid email');
      expect(res.text).toContain('id="shippingPostalCode-error"');
      expect(res.text).toContain('id="billingLine1-error"');
      expect(res.text).toContain('value="Ada &lt;b&gt;L&lt;/b&gt;"');
      expect(res.text).toContain('value="12 Analytical Row"');
      expect(await ordersOf(token)).toHaveLength(0);
    });

    it('refuses unknown form fields', async () => {
      const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
      const res = await store.api
        .post(`/checkout/${token}`)
        .type('form')
        .send(validCheckoutForm({ total: '1' }))
        .expect(400);
      expect(res.text).toContain('did not ask for');
      expect(await ordersOf(token)).toHaveLength(0);
    });

    it('places the order in pending_payment with stock reserved, then shows the summary and pay step', async () => {
      const before = await stockOf(store, 'risograph-poster');
      const token = await startCheckout(store, await cartWith(store, 'risograph-poster', 2));
      await store.api
        .post(`/checkout/${token}`)
        .type('form')
        .send(validCheckoutForm({ shippingMethod: 'express' }))
        .expect(303)
        .expect('Location', `/checkout/${token}`);
      expect(await stockOf(store, 'risograph-poster')).toBe(before - 2);

      const [order] = await ordersOf(token);
      expect(order).toMatchObject({ status: 'pending_payment', email: 'ada@example.com', currency: 'USD', shipping_method: 'express' });
      expect(Number(order.subtotal)).toBe(6000);
      expect(Number(order.shipping_amount)).toBe(1500);
      expect(Number(order.total)).toBe(7500);
      const billing = await store.dataSource.query('SELECT * FROM addresses WHERE id = ?', [order.billing_address_id]);
      expect(billing[0]).toMatchObject({ line1: '12 Analytical Row', postal_code: 'N1 9GU', country: 'GB' });
      const events = await store.dataSource.query('SELECT from_status, to_status FROM order_events WHERE order_id = ?', [order.id]);
      expect(events).toEqual([{ from_status: null, to_status: 'pending_payment' }]);

      const page = await store.api.get(`/checkout/${token}`).expect(200);
      expect(page.text).toContain('data-pay-step');
      expect(page.text).toContain('Awaiting payment');
      expect(page.text).toContain('$75.00');
      expect(page.text).toContain('http://localhost:8000/blog/shop');
    });

    it('places one order when the form is submitted twice', async () => {
      const token = await startCheckout(store, await cartWith(store, 'brass-bookmark', 1));
      const before = await stockOf(store, 'brass-bookmark');
      await Promise.all([
        store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm()),
        store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm()),
      ]);
      await store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm()).expect(303);
      expect(await ordersOf(token)).toHaveLength(1);
      expect(await stockOf(store, 'brass-bookmark')).toBe(before - 1);
      const all = await store.dataSource.query(
        'SELECT COUNT(*) AS n FROM orders WHERE id NOT IN (SELECT order_id FROM checkouts WHERE order_id IS NOT NULL)',
      );
      expect(Number(all[0].n)).toBe(0);
    });

    it('refuses a card number typed into the form, keeps the rest, and stores and logs nothing of it', async () => {
      const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
      const res = await store.api
        .post(`/checkout/${token}`)
        .type('form')
        .send(validCheckoutForm({ shippingLine2: '4242 4242 4242 4242' }))
        .expect(400);
      expect(res.text).toContain('Card details are never sent to the store');
      expect(res.text).toContain('id="shippingLine2-error"');
      expect(res.text).toContain('value="12 Analytical Row"');
      expect(res.text).not.toContain('4242 4242');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(await ordersOf(token)).toHaveLength(0);
      expect(store.logLines.join('\n')).not.toMatch(/4242.?4242/);
    });

    it('answers 404 for an unknown checkout token, as a page', async () => {
      const res = await store.api.get(`/checkout/${'x'.repeat(43)}`).expect(404);
      expect(res.text).toContain('Page not found');
      expect(res.headers['content-type']).toMatch(/html/);
    });

    it('refuses to oversell when stock ran out after the cart was filled (409, shown on the form)', async () => {
      const first = await startCheckout(store, await cartWith(store, 'organic-t-shirt', 3));
      const second = await startCheckout(store, await cartWith(store, 'organic-t-shirt', 1));
      await store.api.post(`/checkout/${first}`).type('form').send(validCheckoutForm()).expect(303);
      const res = await store.api.post(`/checkout/${second}`).type('form').send(validCheckoutForm()).expect(409);
      expect(res.text).toContain('Organic T-Shirt is no longer in stock');
      expect(await ordersOf(second)).toHaveLength(0);
      expect(await stockOf(store, 'organic-t-shirt')).toBe(0);
    });
  });

  describe('expiry of unpaid orders', () => {
    it('expires orders after ORDER_TTL_MINUTES and releases their stock, once', async () => {
      const { expireUnpaidOrders } = await import('../../server/orders/order-expiry');
      const before = await stockOf(store, 'fineliner-pen-set');
      const token = await startCheckout(store, await cartWith(store, 'fineliner-pen-set', 4));
      await store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm()).expect(303);
      expect(await stockOf(store, 'fineliner-pen-set')).toBe(before - 4);

      expect(await expireUnpaidOrders(store.dataSource, store.services.transitions, store.logger, new Date(Date.now() + 29 * 60_000))).toBe(
        0,
      );
      const later = new Date(Date.now() + 31 * 60_000);
      const results = await Promise.all([
        expireUnpaidOrders(store.dataSource, store.services.transitions, store.logger, later),
        expireUnpaidOrders(store.dataSource, store.services.transitions, store.logger, later),
      ]);
      expect(results.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      expect(await stockOf(store, 'fineliner-pen-set')).toBe(before);
      const [order] = await ordersOf(token);
      expect(order.status).toBe('expired');
      const page = await store.api.get(`/checkout/${token}`).expect(200);
      expect(page.text).toContain('Expired');
      expect(page.text).not.toContain('data-no-payment-methods');
    });
  });
});
