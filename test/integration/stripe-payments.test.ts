import { createServices } from '../../server/services';
import Stripe from 'stripe';
import { useTestStore } from '../support/test-store';
import { stockOf } from '../support/shopper';
import { eventually, orderEvents, orderRow, paymentsOf, placeOrder, StripeShopper } from '../support/payments';

const WEBHOOK_SECRET = 'whsec_padlock_integration_test';

describe('paying on the Stripe hosted page (sandbox)', () => {
  const store = useTestStore({ AVS_POLICY: 'flag', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, RECONCILE_AFTER_MINUTES: '10' });
  let shopper: StripeShopper;
  let stripe: Stripe;
  beforeAll(async () => {
    shopper = new StripeShopper(store);
    const api = store.sandboxes.stripe!.gatewayOptions().api!;
    stripe = new Stripe(store.config.stripe.secretKey, { host: api.host, port: api.port, protocol: api.protocol });
  });

  const sessionIdOf = async (orderId: number) => String((await paymentsOf(store, orderId))[0].checkout_ref);
  const stripeEvents = (orderId: number) =>
    store.dataSource.query("SELECT type, kind FROM gateway_events WHERE gateway = 'stripe' AND order_id = ? ORDER BY id", [orderId]);
  const paidTransitions = async (orderId: number) => (await orderEvents(store, orderId)).filter((e) => e.to_status === 'paid').length;

  it('4242: sent to the hosted page, paid there, confirmed by the callback; the return page shows the order with a link back to the blog', async () => {
    const { token, orderId, publicId } = await placeOrder(store);
    const url = await shopper.goToPaymentPage(token);
    expect(url).toMatch(new RegExp(`^${store.sandboxes.stripe!.pagesOrigin}/c/pay/cs_`));
    const paid = await shopper.pay(url, '4242424242424242');
    expect(paid.status).toBe(303);
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('paid'));
    expect(await stripeEvents(orderId)).toEqual([{ type: 'checkout.session.completed', kind: 'payment_succeeded' }]);

    expect(await shopper.returnToStore(String(paid.headers.location))).toBe(`/orders/${publicId}`);
    const page = await store.api.get(`/orders/${publicId}`).expect(200);
    expect(page.text).toContain('Paid');
    expect(page.text).toContain('href="http://localhost:8000/blog/shop"');
    expect(await paidTransitions(orderId)).toBe(1);
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({
      status: 'captured',
      avs_street: 'pass',
      avs_postal_code: 'pass',
      cvc_check: 'pass',
    });
  });

  it('the return page before the callback pays the order by asking Stripe; the late callback then changes nothing', async () => {
    const sandbox = store.sandboxes.stripe!;
    const { token, orderId, publicId } = await placeOrder(store);
    const url = await shopper.goToPaymentPage(token);
    sandbox.setCallbackTarget('https://127.0.0.1:9/webhooks/stripe');
    try {
      const paid = await shopper.pay(url, '4242424242424242');
      expect(await stripeEvents(orderId)).toEqual([]);
      expect(await shopper.returnToStore(String(paid.headers.location))).toBe(`/orders/${publicId}`);
      expect((await orderRow(store, orderId)).status).toBe('paid');
    } finally {
      store.sandboxes.connect(store.storeUrl, { ca: store.tls.cert });
    }
    // The callback Stripe could not deliver is replayed by reconciliation: stored, no second change.
    await store.services.reconciler.runOnce(new Date(Date.now() + 5 * 60_000));
    expect(await stripeEvents(orderId)).toEqual([{ type: 'checkout.session.completed', kind: 'payment_succeeded' }]);
    expect(await paidTransitions(orderId)).toBe(1);
  });

  it('a callback that never arrives: reconciliation asks Stripe and settles the order', async () => {
    const sandbox = store.sandboxes.stripe!;
    const { token, orderId } = await placeOrder(store);
    const url = await shopper.goToPaymentPage(token);
    sandbox.setCallbackTarget('https://127.0.0.1:9/webhooks/stripe');
    try {
      await shopper.pay(url, '4242424242424242');
      expect((await orderRow(store, orderId)).status).toBe('pending_payment');
      const report = await store.services.reconciler.runOnce(new Date(Date.now() + 11 * 60_000));
      expect(report).not.toBeNull();
      expect((await orderRow(store, orderId)).status).toBe('paid');
    } finally {
      store.sandboxes.connect(store.storeUrl, { ca: store.tls.cert });
    }
  });

  it('a declined card shows the error on the payment page; another card on the same page pays', async () => {
    const { token, orderId } = await placeOrder(store);
    const url = await shopper.goToPaymentPage(token);
    const declined = await shopper.pay(url, '4000000000000002');
    expect(declined.status).toBeGreaterThanOrEqual(400);
    expect(declined.html).toContain('Your card was declined.');
    expect((await orderRow(store, orderId)).status).toBe('pending_payment');
    // Coming back to the store's pay step and choosing the card again reuses the open page.
    expect(await shopper.goToPaymentPage(token)).toBe(url);
    expect((await shopper.pay(url, '4242424242424242')).status).toBe(303);
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('paid'));
  });

  it('an abandoned payment: when the reservation runs out the hosted page is closed, the order expires and the stock returns', async () => {
    const before = await stockOf(store, 'risograph-poster');
    const { token, orderId } = await placeOrder(store, { slug: 'risograph-poster', quantity: 2 });
    const url = await shopper.goToPaymentPage(token);
    expect(await stockOf(store, 'risograph-poster')).toBe(before - 2);

    const report = await store.services.reconciler.runOnce(new Date(Date.now() + 31 * 60_000));
    expect(report).toMatchObject({ cancelledPayments: 1, expiredOrders: 1 });
    expect((await orderRow(store, orderId)).status).toBe('expired');
    expect(await stockOf(store, 'risograph-poster')).toBe(before);
    expect((await paymentsOf(store, orderId))[0].status).toMatch(/expired|cancelled/);
    const late = await shopper.pay(url, '4242424242424242');
    expect(late.status).not.toBe(303);
  });

  it('runs reconciliation once per interval across instances (a database lease)', async () => {
    const later = new Date(Date.now() + 2 * 60 * 60_000);
    // A second instance's services on the same database.
    const other = createServices({
      config: store.config,
      dataSource: store.dataSource,
      logger: store.logger,
      gateways: store.gateways,
    }).reconciler;
    const [a, b] = await Promise.all([store.services.reconciler.runOnce(later), other.runOnce(later)]);
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
  });

  describe('signed callbacks', () => {
    async function paidSession(): Promise<{ orderId: number; session: Stripe.Checkout.Session }> {
      const { token, orderId } = await placeOrder(store);
      await shopper.pay(await shopper.goToPaymentPage(token), '4242424242424242');
      await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('paid'));
      return { orderId, session: await stripe.checkout.sessions.retrieve(await sessionIdOf(orderId)) };
    }
    const event = (id: string, type: string, object: unknown, created = Math.floor(Date.now() / 1000)) =>
      JSON.stringify({
        id,
        object: 'event',
        type,
        created,
        api_version: '2026-10-28.endive',
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object },
      });
    const send = (payload: string, header?: string) => {
      const req = store.api.post('/webhooks/stripe').set('Content-Type', 'application/json');
      return (header === undefined ? req : req.set('Stripe-Signature', header)).send(payload);
    };
    const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
      stripe.webhooks.generateTestHeaderString({
        payload,
        secret: options.secret ?? WEBHOOK_SECRET,
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      });
    const storedEvent = async (eventId: string) =>
      Number((await store.dataSource.query('SELECT COUNT(*) AS n FROM gateway_events WHERE event_id = ?', [eventId]))[0].n);

    it('refuses a missing, tampered, wrongly signed or stale signature, storing nothing', async () => {
      const { session } = await paidSession();
      const payload = event('evt_refused_1', 'checkout.session.completed', session);
      expect((await send(payload)).status).toBe(400);
      expect((await send(payload.replace('"paid"', '"unpaid"'), sign(payload))).status).toBe(401);
      expect((await send(payload, sign(payload, { secret: 'whsec_someone_else' }))).status).toBe(401);
      const stale = await send(payload, sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }));
      expect(stale.status).toBe(400);
      expect(stale.body.error.code).toBe('callback_stale');
      expect(await storedEvent('evt_refused_1')).toBe(0);
    });

    it('applies the same event delivered 50 times at once exactly once', async () => {
      const { token, orderId } = await placeOrder(store);
      const sandbox = store.sandboxes.stripe!;
      const url = await shopper.goToPaymentPage(token);
      sandbox.setCallbackTarget('https://127.0.0.1:9/webhooks/stripe');
      try {
        await shopper.pay(url, '4242424242424242');
      } finally {
        store.sandboxes.connect(store.storeUrl, { ca: store.tls.cert });
      }
      const session = await stripe.checkout.sessions.retrieve(await sessionIdOf(orderId));
      const payload = event('evt_fifty_copies', 'checkout.session.completed', session);
      const header = sign(payload);
      const answers = await Promise.all(Array.from({ length: 50 }, () => send(payload, header)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(answers.filter((a) => a.body.result === 'applied')).toHaveLength(1);
      expect(await storedEvent('evt_fifty_copies')).toBe(1);
      expect(await paidTransitions(orderId)).toBe(1);
      expect((await orderRow(store, orderId)).status).toBe('paid');
    });

    it('never moves a paid order back: a failure event after success changes nothing', async () => {
      const { orderId, session } = await paidSession();
      const payload = event('evt_failed_after_paid', 'checkout.session.async_payment_failed', { ...session, payment_status: 'unpaid' });
      expect((await send(payload, sign(payload))).status).toBe(200);
      expect((await orderRow(store, orderId)).status).toBe('paid');
      expect(await storedEvent('evt_failed_after_paid')).toBe(1);
    });

    it('answers 200 to event types it does not act on', async () => {
      const payload = event('evt_unrelated', 'customer.created', { id: 'cus_1', object: 'customer' });
      const res = await send(payload, sign(payload)).expect(200);
      expect(res.body.result).toBe('ignored');
    });

    it('flags a disputed order for review', async () => {
      const { orderId } = await paidSession();
      store.sandboxes.stripe!.createDispute(String((await paymentsOf(store, orderId))[0].payment_ref));
      await eventually(async () => expect((await orderRow(store, orderId)).review_reason).toBe('dispute_opened'));
    });
  });

  it('refunds partially then fully in USD, and refuses more than was captured', async () => {
    const { token, orderId } = await placeOrder(store, { slug: 'canvas-tote-bag' });
    await shopper.pay(await shopper.goToPaymentPage(token), '4242424242424242');
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('paid'));
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    await store.services.refunds.refundOrder(orderId, usd(700));
    expect((await orderRow(store, orderId)).status).toBe('partially_refunded');
    await expect(store.services.refunds.refundOrder(orderId, usd(2001))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'refund_exceeds_captured',
    });
    await store.services.refunds.refundOrder(orderId, usd(2000));
    expect((await orderRow(store, orderId)).status).toBe('refunded');
    await expect(store.services.refunds.refundOrder(orderId, usd(1))).rejects.toMatchObject({ kind: 'conflict' });
    // Stripe's charge.refunded callbacks report the same totals: nothing is counted twice.
    await eventually(async () => {
      const kinds = await store.dataSource.query(
        "SELECT COUNT(*) AS n FROM gateway_events WHERE order_id = ? AND kind = 'refund_succeeded'",
        [orderId],
      );
      expect(Number(kinds[0].n)).toBe(2);
    });
    expect(Number((await paymentsOf(store, orderId))[0].refunded_amount)).toBe(2700);
  });
});

describe('Stripe in a JPY store', () => {
  const store = useTestStore({ STORE_CURRENCY: 'JPY' });

  it('charges and refunds whole yen', async () => {
    const shopper = new StripeShopper(store);
    const { token, orderId } = await placeOrder(store);
    expect((await orderRow(store, orderId)).total).toBe(23);
    await shopper.pay(await shopper.goToPaymentPage(token), '4242424242424242');
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('paid'));
    expect(Number((await paymentsOf(store, orderId))[0].captured_amount)).toBe(23);
    await store.services.refunds.refundOrder(orderId, { amount: 5, currency: 'JPY' });
    await expect(store.services.refunds.refundOrder(orderId, { amount: 19, currency: 'JPY' })).rejects.toMatchObject({ kind: 'conflict' });
    await store.services.refunds.refundOrder(orderId, { amount: 18, currency: 'JPY' });
    expect((await orderRow(store, orderId)).status).toBe('refunded');
  });
});

const MISMATCH_CARDS = [
  ['4000000000000010', { avs_street: 'fail', avs_postal_code: 'fail' }],
  ['4000000000000028', { avs_street: 'fail', avs_postal_code: 'pass' }],
  ['4000000000000036', { avs_street: 'pass', avs_postal_code: 'fail' }],
  ['4000000000000101', { cvc_check: 'fail' }],
] as const;

describe.each([
  ['flag', 'paid', 'captured'],
  ['hold', 'on_hold', 'authorised'],
  ['reject', 'payment_failed', 'captured'],
] as const)('Stripe test cards with AVS_POLICY=%s', (policy, mismatchOrder, mismatchPayment) => {
  const store = useTestStore({ AVS_POLICY: policy });
  let shopper: StripeShopper;
  beforeAll(async () => {
    shopper = new StripeShopper(store);
  });

  it('4242 ends paid and captured', async () => {
    const { token, orderId } = await placeOrder(store);
    await shopper.pay(await shopper.goToPaymentPage(token), '4242424242424242');
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe('paid'));
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: 'captured', follow_up: null });
  });

  it('4000000000000002 is declined and the order still awaits payment', async () => {
    const { token, orderId } = await placeOrder(store);
    const page = await shopper.pay(await shopper.goToPaymentPage(token), '4000000000000002');
    expect(page.html).toContain('Your card was declined.');
    expect((await orderRow(store, orderId)).status).toBe('pending_payment');
  });

  it.each(MISMATCH_CARDS)(`%s ends ${mismatchOrder}`, async (card, checks) => {
    const before = await stockOf(store, 'enamel-mug');
    const { token, orderId } = await placeOrder(store);
    await shopper.pay(await shopper.goToPaymentPage(token), card);
    await eventually(async () => expect((await orderRow(store, orderId)).status).toBe(mismatchOrder));
    const [payment] = await paymentsOf(store, orderId);
    expect(payment).toMatchObject({ status: mismatchPayment, ...checks });
    if (policy === 'flag') expect((await orderRow(store, orderId)).review_reason).toBe('address_check_failed');
    if (policy === 'hold') expect((await orderRow(store, orderId)).review_reason).toBe('address_check_failed');
    if (policy === 'reject') {
      await eventually(async () => expect(Number((await paymentsOf(store, orderId))[0].refunded_amount)).toBe(2300));
      expect(await stockOf(store, 'enamel-mug')).toBe(before);
    }
  });
});
