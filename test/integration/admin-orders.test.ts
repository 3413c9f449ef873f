import type request from 'supertest';
import { adminBrowser, ensureAdmin, formCsrf, logInAdmin } from '../support/admin';
import { BRAINTREE_AVS_POSTAL_MISMATCH, eventually, orderRow, paymentsOf, placeOrder, StripeShopper } from '../support/payments';
import { stockOf } from '../support/shopper';
import { useTestStore } from '../support/test-store';

// The admin's orders: list with filters, the order page with its payment timeline, and every
// action through the real payments code and the Braintree sandbox (AVS_POLICY=hold), on SQLite
// and on MariaDB.

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('admin orders', () => {
  const store = useTestStore({ AVS_POLICY: 'hold' });
  let browser: request.Agent;
  let csrf: string;

  /** A Braintree order with the postal-code check failing: held for the admin. */
  async function heldOrder(email = 'held@example.com'): Promise<number> {
    const { token, orderId } = await placeOrder(store, { form: { ...BRAINTREE_AVS_POSTAL_MISMATCH, email } });
    await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce: 'fake-valid-nonce' }).expect(303);
    expect((await orderRow(store, orderId)).status).toBe('on_hold');
    return orderId;
  }

  /** A Braintree order paid at once, settled so that it can be refunded. */
  async function paidOrder(email = 'paid@example.com', settle = true): Promise<number> {
    const { token, orderId } = await placeOrder(store, { form: { email } });
    await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce: 'fake-valid-nonce' }).expect(303);
    if (settle) store.sandboxes.braintree!.settleNow(String((await paymentsOf(store, orderId))[0].payment_ref));
    return orderId;
  }

  const act = (orderId: number, action: string, form: Record<string, string> = {}) =>
    browser
      .post(`/admin/orders/${orderId}/${action}`)
      .type('form')
      .send({ _csrf: csrf, ...form });

  beforeAll(async () => {
    await ensureAdmin(store);
    browser = adminBrowser(store);
    csrf = await logInAdmin(browser);
  });

  describe('the list', () => {
    let held: number;
    let paid: number;
    let pending: number;

    beforeAll(async () => {
      pending = (await placeOrder(store, { form: { email: 'pending@example.com' } })).orderId;
      paid = await paidOrder('Grace.Hopper@example.com');
      held = await heldOrder();
    });

    it('shows the newest orders first, with number, email, status and total', async () => {
      const page = await browser.get('/admin/orders').expect(200);
      const numbers = [...page.text.matchAll(/data-order="(PS-\d{6})"/g)].map((m) => m[1]);
      expect(numbers.slice(0, 3)).toEqual([held, paid, pending].map((id) => `PS-${String(id).padStart(6, '0')}`));
      expect(page.text).toContain('grace.hopper@example.com');
      expect(page.text).toContain('Address check failed');
    });

    it('the start page points to the orders waiting for a decision', async () => {
      const home = await browser.get('/admin').expect(200);
      expect(home.text).toContain('<a href="/admin/orders?status=on_hold">1 on hold</a>');
      expect(home.text).not.toContain('flagged</a>');
    });

    it.each([
      ['status=on_hold', () => [held]],
      ['status=flagged', () => [held]],
      ['status=pending_payment', () => [pending]],
      ['q=grace.hopper', () => [paid]],
      ['q=GRACE', () => [paid]],
    ])('filters by %s', async (query, expected) => {
      const res = await browser.get(`/api/admin/orders?${query}`).expect(200);
      expect(res.body.orders.map((o: { id: number }) => o.id)).toEqual(expected());
    });

    it('finds an order by its number, with or without the PS- prefix and zeros', async () => {
      for (const q of [`PS-${String(paid).padStart(6, '0')}`, String(paid), `ps-${paid}`]) {
        const res = await browser.get(`/api/admin/orders?q=${encodeURIComponent(q)}`).expect(200);
        expect(res.body.orders.map((o: { id: number }) => o.id)).toContain(paid);
      }
    });

    it('filters by date range (inclusive days, UTC)', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const inRange = await browser.get(`/api/admin/orders?from=${today}&to=${today}`).expect(200);
      expect(inRange.body.total).toBeGreaterThanOrEqual(3);
      const before = await browser.get('/api/admin/orders?to=2020-01-01').expect(200);
      expect(before.body.total).toBe(0);
    });

    it('refuses a malformed filter with 400 and says which', async () => {
      const res = await browser.get('/api/admin/orders?status=lost').expect(400);
      expect(res.body.error.message).toMatch(/"status" must be one of/);
      const bad = await browser.get('/api/admin/orders?from=2026-13-45').expect(400);
      expect(bad.body.error.message).toMatch(/"from" is not a real date/);
      const page = await browser.get('/admin/orders?from=yesterday').expect(400);
      expect(page.text).toContain('must be a date like 2026-11-25');
      await browser.get('/api/admin/orders?sort=asc').expect(400);
    });

    it('paginates, 25 to a page, without overlap', async () => {
      for (let i = 0; i < 24; i++) await placeOrder(store, { slug: 'sticker-pack', form: { email: `bulk${i}@example.com` } });
      const first = await browser.get('/api/admin/orders?page=1').expect(200);
      const second = await browser.get('/api/admin/orders?page=2').expect(200);
      expect(first.body.orders).toHaveLength(25);
      expect(first.body.pages).toBe(2);
      const ids = [...first.body.orders, ...second.body.orders].map((o: { id: number }) => o.id);
      expect(new Set(ids).size).toBe(first.body.total);
      const html = await browser.get('/admin/orders?q=bulk').expect(200);
      expect(html.text).toContain('24 orders');
    });
  });

  describe('a held order (address check failed)', () => {
    let orderId: number;
    beforeAll(async () => {
      orderId = await heldOrder('review@example.com');
    });

    it('shows lines, totals, addresses, the gateway reference and the address check in plain words', async () => {
      const page = await browser.get(`/admin/orders/${orderId}`).expect(200);
      expect(page.text).toContain('On hold');
      expect(page.text).toContain('Enamel Mug');
      expect(page.text).toContain('review@example.com');
      expect(page.text).toContain('20000'); // billing postal code
      expect(page.text).toMatch(/Braintree<\/strong> · authorised · reference <code>[^<]+<\/code>/);
      expect(page.text).toContain('Address check: Street address matched, postal code did not match');
      expect(page.text).toContain('Capture payment');
      expect(page.text).toContain('Void payment and cancel order');
      expect(page.text).not.toContain('Mark shipped');
    });

    it('capturing it pays the order, shows the result and lands on the timeline', async () => {
      const res = await act(orderId, 'capture').expect(303);
      expect(res.headers.location).toBe(`/admin/orders/${orderId}?done=capture`);
      expect((await orderRow(store, orderId)).status).toBe('paid');
      expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: 'captured' });
      const page = await browser.get(res.headers.location).expect(200);
      expect(page.text).toContain('Payment captured.');
      const timeline = page.text.slice(page.text.indexOf('data-timeline'));
      expect(timeline).toMatch(
        /Pending payment → On hold[\s\S]*On hold → Paid[\s\S]*admin@shop\.test: capture \(success\)[\s\S]*Captured \$23\.00; the order is paid\./,
      );
    });

    it('a second capture is refused (409) and changes nothing', async () => {
      const res = await act(orderId, 'capture').expect(409);
      expect(res.text).toContain('Only a held order');
      expect((await orderRow(store, orderId)).status).toBe('paid');
    });
  });

  it('a Stripe payment held for its postal code is captured, then partly refunded, through Stripe', async () => {
    const shopper = new StripeShopper(store);
    const { token, orderId } = await placeOrder(store, { form: { email: 'stripe-held@example.com' } });
    const paid = await shopper.pay(await shopper.goToPaymentPage(token), '4000000000000036');
    await shopper.returnToStore(String(paid.headers.location));
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('on_hold'));
    const detail = await browser.get(`/api/admin/orders/${orderId}`).expect(200);
    expect(detail.body.payments[0]).toMatchObject({
      gateway: 'Stripe',
      status: 'authorised',
      addressCheck: expect.stringContaining('postal code did not match'),
    });

    await browser.post(`/api/admin/orders/${orderId}/capture`).set('X-CSRF-Token', csrf).send({}).expect(200);
    expect((await orderRow(store, orderId)).status).toBe('paid');
    const refund = await browser
      .post(`/api/admin/orders/${orderId}/refund`)
      .set('X-CSRF-Token', csrf)
      .send({ amount: usd(300) })
      .expect(200);
    expect(refund.body.order).toMatchObject({ status: 'partially_refunded', refundable: 2000 });
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: 'captured' });
  });

  it('voiding a held order cancels it and gives its stock back', async () => {
    const before = await stockOf(store, 'enamel-mug');
    const orderId = await heldOrder();
    expect(await stockOf(store, 'enamel-mug')).toBe(before - 1);
    await act(orderId, 'void').expect(303);
    expect((await orderRow(store, orderId)).status).toBe('cancelled');
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: 'cancelled' });
    expect(await stockOf(store, 'enamel-mug')).toBe(before);
  });

  it('cancels an unpaid order; a paid one cannot be cancelled', async () => {
    const { orderId } = await placeOrder(store);
    await act(orderId, 'cancel').expect(303);
    expect((await orderRow(store, orderId)).status).toBe('cancelled');
    const paid = await paidOrder();
    const res = await act(paid, 'cancel').expect(409);
    expect(res.text).toContain('Only an order awaiting payment can be cancelled');
  });

  describe('refunds', () => {
    it('refunds part, then the rest; never more than was captured', async () => {
      const orderId = await paidOrder();
      await act(orderId, 'refund', { amount: '10.00' }).expect(303);
      expect((await orderRow(store, orderId)).status).toBe('partially_refunded');
      const tooMuch = await act(orderId, 'refund', { amount: '13.01' }).expect(409);
      expect(tooMuch.text).toContain('can still be refunded');
      expect(tooMuch.text).toContain('value="13.01"');
      await act(orderId, 'refund', { amount: '13' }).expect(303);
      expect((await orderRow(store, orderId)).status).toBe('refunded');
      expect(Number((await paymentsOf(store, orderId))[0].refunded_amount)).toBe(2300);
    });

    it('a malformed amount is refused with 400 next to the field', async () => {
      const orderId = await paidOrder();
      for (const amount of ['', 'ten', '1.234', '-5', '0']) {
        const res = await act(orderId, 'refund', { amount }).expect(400);
        expect(res.text).toContain('aria-invalid="true"');
      }
      expect(Number((await paymentsOf(store, orderId))[0].refunded_amount)).toBe(0);
    });

    it('a refund the gateway refuses shows the gateway’s message and changes nothing', async () => {
      const orderId = await paidOrder('unsettled@example.com', false);
      const res = await act(orderId, 'refund', { amount: '5.00' }).expect(422);
      expect(res.text).toMatch(/The gateway refused the refund: [^<]+/);
      expect((await orderRow(store, orderId)).status).toBe('paid');
      expect(Number((await paymentsOf(store, orderId))[0].refunded_amount)).toBe(0);
      const audit: { outcome: string; detail: string }[] = await store.dataSource.query(
        "SELECT outcome, detail FROM admin_audit_log WHERE target = ? AND action = 'order.refund'",
        [`order ${orderId}`],
      );
      expect(audit).toEqual([{ outcome: 'failure', detail: expect.stringMatching(/^The gateway refused the refund/) }]);
    });

    it('through the API, in minor units; a larger refund than captured is refused (409)', async () => {
      const orderId = await paidOrder();
      const over = await browser
        .post(`/api/admin/orders/${orderId}/refund`)
        .set('X-CSRF-Token', csrf)
        .send({ amount: usd(2301) })
        .expect(409);
      expect(over.body.error.code).toBe('refund_exceeds_captured');
      const wrongCurrency = await browser
        .post(`/api/admin/orders/${orderId}/refund`)
        .set('X-CSRF-Token', csrf)
        .send({ amount: { amount: 100, currency: 'EUR' } })
        .expect(400);
      expect(wrongCurrency.body.error.message).toContain('This order is in USD');
      const ok = await browser
        .post(`/api/admin/orders/${orderId}/refund`)
        .set('X-CSRF-Token', csrf)
        .send({ amount: usd(500) })
        .expect(200);
      expect(ok.body.message).toBe('Refunded $5.00.');
      expect(ok.body.order).toMatchObject({ status: 'partially_refunded', refundable: 1800 });
    });
  });

  it('marks a paid order shipped with a tracking note; the timeline and the order keep it', async () => {
    // Not settled: the sandbox's settlement callback would arrive at a time of its own choosing.
    const orderId = await paidOrder('ship@example.com', false);
    await act(orderId, 'ship', { trackingNote: 'Royal Mail RM123456789GB' }).expect(303);
    const res = await browser.get(`/api/admin/orders/${orderId}`).expect(200);
    expect(res.body).toMatchObject({ status: 'shipped', trackingNote: 'Royal Mail RM123456789GB' });
    expect(res.body.timeline.slice(-2)).toMatchObject([
      { kind: 'status', title: 'Paid → Shipped', detail: 'Shipped: Royal Mail RM123456789GB' },
      { kind: 'admin', title: 'admin@shop.test: ship (success)', detail: 'Marked shipped (Royal Mail RM123456789GB).' },
    ]);
    await act(orderId, 'ship', { trackingNote: 'again' }).expect(409);
  });

  it('re-syncs an order with the gateway', async () => {
    const orderId = await paidOrder();
    const res = await browser.post(`/api/admin/orders/${orderId}/resync`).set('X-CSRF-Token', csrf).send({}).expect(200);
    expect(res.body.message).toBe('The gateway says the payment is captured; the order is paid.');
  });

  describe('refusals', () => {
    it('every order route refuses an anonymous request', async () => {
      const anonymous = adminBrowser(store);
      await anonymous.get('/admin/orders').expect(303);
      await anonymous.get('/admin/orders/1').expect(303);
      await anonymous.post('/admin/orders/1/capture').type('form').send({}).expect(303);
      await anonymous.get('/api/admin/orders').expect(401);
      await anonymous.get('/api/admin/orders/1').expect(401);
      await anonymous
        .post('/api/admin/orders/1/refund')
        .send({ amount: usd(1) })
        .expect(401);
    });

    it('an action without the CSRF token is refused with 403 and changes nothing', async () => {
      const orderId = await heldOrder();
      await browser.post(`/admin/orders/${orderId}/capture`).type('form').send({}).expect(403);
      await browser.post(`/api/admin/orders/${orderId}/void`).send({}).expect(403);
      expect((await orderRow(store, orderId)).status).toBe('on_hold');
      const page = await browser.get(`/admin/orders/${orderId}`).expect(200);
      expect(formCsrf(page.text)).toBe(csrf);
    });

    it('unknown orders, actions and fields get clear errors', async () => {
      await browser.get('/admin/orders/999999').expect(404);
      await browser.get('/api/admin/orders/abc').expect(400);
      await browser.post('/api/admin/orders/1/explode').set('X-CSRF-Token', csrf).send({}).expect(400);
      const extra = await browser.post('/api/admin/orders/1/resync').set('X-CSRF-Token', csrf).send({ force: true }).expect(400);
      expect(extra.body.error.message).toMatch(/"force" is not allowed/);
    });
  });
});
