import braintree from 'braintree';
import { orderNumber } from '../../server/orders/order-presentation';
import { Order } from '../../server/orders/order.entity';
import { createBraintreeGateway } from '../../server/payments/braintree/braintree.gateway';
import { Payment } from '../../server/payments/payment.entity';
import { paymentRequest } from '../../server/payments/payment-request';
import { randomToken } from '../../server/random-token';
import { useTestStore } from '../support/test-store';
import { stockOf } from '../support/shopper';
import {
  BRAINTREE_AVS_POSTAL_MISMATCH,
  braintreeSdk,
  eventually,
  orderEvents,
  orderRow,
  paymentsOf,
  placeOrder,
} from '../support/payments';

describe('paying with Braintree in-page fields (sandbox)', () => {
  const store = useTestStore({ AVS_POLICY: 'flag' });

  const pay = (token: string, nonce: string) => store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce });

  it('shows the gateway fields on the pay step, framed from the sandbox origin and allowed by the CSP', async () => {
    const { token } = await placeOrder(store);
    const page = await store.api.get(`/checkout/${token}`).expect(200);
    expect(page.text).toContain('data-braintree-pay');
    expect(page.text).toMatch(/data-client-token="[^"]+"/);
    const fieldsUrl = /data-fields-url="([^"]+)"/.exec(page.text)![1];
    expect(page.headers['content-security-policy']).toContain(`frame-src ${new URL(fieldsUrl).origin}`);
    expect(page.text).toContain('Card or PayPal (Braintree)');
    expect(page.text).toContain('Card (secure payment page)');
  });

  it('charges fake-valid-nonce with the billing address: the order is paid and the cart emptied', async () => {
    const { token, orderId, publicId } = await placeOrder(store);
    await pay(token, 'fake-valid-nonce').expect(303).expect('Location', `/orders/${publicId}`);
    expect(await orderRow(store, orderId)).toMatchObject({ status: 'paid', review_reason: null });
    const [payment] = await paymentsOf(store, orderId);
    expect(payment).toMatchObject({ gateway: 'braintree', status: 'captured', avs_street: 'pass', avs_postal_code: 'pass' });
    expect(Number(payment.captured_amount)).toBe(2300);
    const page = await store.api.get(`/orders/${publicId}`).expect(200);
    expect(page.text).toContain('Paid');
    expect(page.text).toContain('http://localhost:8000/blog/shop');
    const [cart] = await store.dataSource.query(
      'SELECT COUNT(*) AS n FROM cart_items ci JOIN checkouts c ON c.cart_id = ci.cart_id WHERE c.id = ?',
      [token],
    );
    expect(Number(cart.n)).toBe(0);
  });

  it('charges a PayPal one-time nonce', async () => {
    const { token, orderId } = await placeOrder(store);
    await pay(token, 'fake-paypal-one-time-nonce').expect(303);
    expect((await orderRow(store, orderId)).status).toBe('paid');
  });

  it('shows a decline on the pay step and lets the shopper try again', async () => {
    const { token, orderId, publicId } = await placeOrder(store);
    await pay(token, 'fake-processor-declined-visa-nonce').expect(303).expect('Location', `/checkout/${token}`);
    expect((await orderRow(store, orderId)).status).toBe('pending_payment');
    const page = await store.api.get(`/checkout/${token}`).expect(200);
    expect(page.text).toContain('data-payment-declined');
    expect(page.text).toMatch(/Do Not Honor|declined/i);
    await pay(token, 'fake-valid-nonce').expect(303).expect('Location', `/orders/${publicId}`);
    expect((await orderRow(store, orderId)).status).toBe('paid');
    expect((await paymentsOf(store, orderId)).map((p) => p.status)).toEqual(['declined', 'captured']);
  });

  it('refuses a missing nonce with a clear 400', async () => {
    const { token } = await placeOrder(store);
    const res = await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({}).expect(400);
    expect(res.text).toContain('The payment details did not arrive');
  });

  it('policy flag: a failed postal-code check pays the order and flags it for review', async () => {
    const { token, orderId } = await placeOrder(store, { form: BRAINTREE_AVS_POSTAL_MISMATCH });
    await pay(token, 'fake-valid-nonce').expect(303);
    expect(await orderRow(store, orderId)).toMatchObject({ status: 'paid', review_reason: 'address_check_failed' });
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ avs_postal_code: 'fail' });
  });

  it('applies transaction_settled once, and never moves a paid order back on settlement_declined', async () => {
    const { token, orderId } = await placeOrder(store);
    await pay(token, 'fake-valid-nonce').expect(303);
    const [payment] = await paymentsOf(store, orderId);
    const ref = String(payment.payment_ref);
    await eventually(async () => {
      const events = await store.dataSource.query("SELECT kind FROM gateway_events WHERE gateway = 'braintree' AND ref = ?", [ref]);
      expect(events).toEqual([{ kind: 'payment_succeeded' }]);
    });
    const sample = await braintreeSdk(store).webhookTesting.sampleNotification('transaction_settlement_declined', ref);
    await store.api.post('/webhooks/braintree').type('form').send(sample).expect(200);
    expect((await orderRow(store, orderId)).status).toBe('paid');
    expect(await orderEvents(store, orderId)).toEqual([
      { from_status: null, to_status: 'pending_payment' },
      { from_status: 'pending_payment', to_status: 'paid' },
    ]);
  });

  it('refuses unsigned, tampered and wrongly signed notifications, changing nothing', async () => {
    const before = await store.dataSource.query('SELECT COUNT(*) AS n FROM gateway_events');
    const sample = await braintreeSdk(store).webhookTesting.sampleNotification('transaction_settled', 'txn1');
    await store.api.post('/webhooks/braintree').type('form').send({ bt_payload: sample.bt_payload }).expect(400);
    await store.api
      .post('/webhooks/braintree')
      .type('form')
      .send({ bt_signature: sample.bt_signature, bt_payload: Buffer.from('<notification/>').toString('base64') })
      .expect(401);
    await store.api
      .post('/webhooks/braintree')
      .type('form')
      .send({ ...sample, bt_signature: sample.bt_signature.replace(/\|.*/, '|0123456789abcdef0123456789abcdef01234567') })
      .expect(401);
    const after = await store.dataSource.query('SELECT COUNT(*) AS n FROM gateway_events');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it('flags an order for review when a dispute opens', async () => {
    const { token, orderId } = await placeOrder(store);
    await pay(token, 'fake-valid-nonce').expect(303);
    const ref = String((await paymentsOf(store, orderId))[0].payment_ref);
    store.sandboxes.braintree!.settleNow(ref);
    store.sandboxes.braintree!.openDispute(ref);
    await eventually(async () => expect((await orderRow(store, orderId)).review_reason).toBe('dispute_opened'));
    expect((await orderRow(store, orderId)).status).toBe('paid');
  });

  it('refunds partially then fully after settlement, and refuses more than was captured', async () => {
    const { token, orderId } = await placeOrder(store);
    await pay(token, 'fake-valid-nonce').expect(303);
    const ref = String((await paymentsOf(store, orderId))[0].payment_ref);
    store.sandboxes.braintree!.settleNow(ref);
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    await store.services.refunds.refundOrder(orderId, usd(1000));
    expect((await orderRow(store, orderId)).status).toBe('partially_refunded');
    await expect(store.services.refunds.refundOrder(orderId, usd(1301))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'refund_exceeds_captured',
    });
    await store.services.refunds.refundOrder(orderId, usd(1300));
    expect((await orderRow(store, orderId)).status).toBe('refunded');
    const [payment] = await paymentsOf(store, orderId);
    expect(Number(payment.refunded_amount)).toBe(2300);
  });

  describe('an attempt the store died before recording (killed after Braintree answered the sale)', () => {
    /** What the store commits before charging: an attempt in `created`, without a reference. */
    async function unrecordedAttempt(orderId: number): Promise<Payment> {
      const order = await store.dataSource.getRepository(Order).findOneByOrFail({ id: orderId });
      return store.dataSource.getRepository(Payment).save({
        orderId,
        gateway: 'braintree',
        attemptKey: randomToken(),
        status: 'created',
        currency: order.currency,
        amount: order.total,
      });
    }

    /** The sale that attempt made, through the store's own request builder, on the store's Braintree sandbox. */
    async function chargeAtBraintree(orderId: number): Promise<void> {
      const order = await store.dataSource
        .getRepository(Order)
        .findOneOrFail({ where: { id: orderId }, relations: { lines: true, billingAddress: true } });
      const gateway = createBraintreeGateway(store.sandboxes.braintree!.gatewayOptions());
      const outcome = await gateway.chargeNonce!(paymentRequest.chargeNonce(order, false, 'fake-valid-nonce', randomToken()));
      expect(outcome.status).toBe('captured');
    }

    async function salesOf(orderId: number): Promise<braintree.Transaction[]> {
      const sdk = new braintree.BraintreeGateway(store.sandboxes.braintree!.gatewayOptions());
      const found: braintree.Transaction[] = [];
      for await (const t of sdk.transaction.search((search) => search.orderId().is(orderNumber(orderId))))
        found.push(t as braintree.Transaction);
      return found;
    }

    // One reconciliation run per test, each later than the last (runs are leased per interval).
    it('reconciliation finds the charge by the order it was for and pays the order with it, once', async () => {
      const { orderId } = await placeOrder(store);
      const attempt = await unrecordedAttempt(orderId);
      await chargeAtBraintree(orderId);

      await store.services.reconciler.runOnce(new Date(Date.now() + 11 * 60_000));
      const sales = await salesOf(orderId);
      expect(sales).toHaveLength(1);
      expect(await orderRow(store, orderId)).toMatchObject({ status: 'paid' });
      expect(await paymentsOf(store, orderId)).toEqual([
        expect.objectContaining({ id: attempt.id, status: 'captured', payment_ref: sales[0].id, follow_up: null }),
      ]);
      expect(await orderEvents(store, orderId)).toEqual([
        { from_status: null, to_status: 'pending_payment' },
        { from_status: 'pending_payment', to_status: 'paid' },
      ]);
    });

    it('two dead attempts of one order (the shopper retried, the store died again): one is paid with the charge, the other cancelled, nothing given back', async () => {
      const { orderId } = await placeOrder(store);
      const first = await unrecordedAttempt(orderId);
      await chargeAtBraintree(orderId);
      const second = await unrecordedAttempt(orderId);
      await chargeAtBraintree(orderId); // the retry finds the first sale instead of making a second

      await store.services.reconciler.runOnce(new Date(Date.now() + 21 * 60_000));
      const sales = await salesOf(orderId);
      expect(sales.map((t) => [t.type, t.status])).toEqual([['sale', 'submitted_for_settlement']]);
      expect((await orderRow(store, orderId)).status).toBe('paid');
      const payments = await paymentsOf(store, orderId);
      expect(payments.map((p) => [p.id, p.status, p.payment_ref, p.follow_up])).toEqual([
        [first.id, 'captured', sales[0].id, null],
        [second.id, 'cancelled', null, null],
      ]);
      expect(await store.dataSource.query('SELECT id FROM refunds WHERE payment_id IN (?, ?)', [first.id, second.id])).toEqual([]);
    });

    it('with no charge at Braintree the attempt is cancelled and the unpaid order expires, its stock back', async () => {
      const before = await stockOf(store, 'risograph-poster');
      const { orderId } = await placeOrder(store, { slug: 'risograph-poster' });
      await unrecordedAttempt(orderId);

      const report = await store.services.reconciler.runOnce(new Date(Date.now() + 31 * 60_000));
      expect(report).toMatchObject({ cancelledPayments: expect.any(Number) });
      expect(await salesOf(orderId)).toEqual([]);
      expect((await paymentsOf(store, orderId)).map((p) => p.status)).toEqual(['cancelled']);
      expect((await orderRow(store, orderId)).status).toBe('expired');
      expect(await stockOf(store, 'risograph-poster')).toBe(before);
    });
  });
});

describe.each([
  ['flag', 'paid', 'captured'],
  ['hold', 'on_hold', 'authorised'],
  ['reject', 'payment_failed', 'cancelled'],
])('Braintree with AVS_POLICY=%s and a failed postal-code check', (policy, orderStatus, paymentStatus) => {
  const store = useTestStore({ AVS_POLICY: policy });

  it(`ends with the order ${orderStatus} and the payment ${paymentStatus}`, async () => {
    const before = await stockOf(store, 'enamel-mug');
    const { token, orderId, publicId } = await placeOrder(store, { form: BRAINTREE_AVS_POSTAL_MISMATCH });
    await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce: 'fake-valid-nonce' }).expect(303);
    expect((await orderRow(store, orderId)).status).toBe(orderStatus);
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: paymentStatus, avs_postal_code: 'fail' });
    if (policy === 'reject') {
      expect(await stockOf(store, 'enamel-mug')).toBe(before);
      const page = await store.api.get(`/orders/${publicId}`).expect(200);
      expect(page.text).toContain('Payment failed');
      const pay = await store.api.get(`/checkout/${token}`).expect(200);
      expect(pay.text).toContain('check your billing address');
    }
  });

  it.each(['fake-valid-nonce', 'fake-paypal-one-time-nonce'])(
    '%s with passing checks is captured at once and pays the order',
    async (nonce) => {
      const { token, orderId } = await placeOrder(store);
      await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce }).expect(303);
      expect((await orderRow(store, orderId)).status).toBe('paid');
      expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: 'captured', follow_up: null });
    },
  );

  it('fake-processor-declined-visa-nonce is declined and the order still awaits payment', async () => {
    const { token, orderId } = await placeOrder(store);
    await store.api
      .post(`/checkout/${token}/pay/braintree`)
      .type('form')
      .send({ nonce: 'fake-processor-declined-visa-nonce' })
      .expect(303)
      .expect('Location', `/checkout/${token}`);
    expect((await orderRow(store, orderId)).status).toBe('pending_payment');
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ status: 'declined' });
  });

  it(`a failed street check (street number 200) also ends ${orderStatus}`, async () => {
    const { token, orderId } = await placeOrder(store, {
      form: { ...BRAINTREE_AVS_POSTAL_MISMATCH, billingLine1: '200 Main Street', billingPostalCode: '94107' },
    });
    await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce: 'fake-valid-nonce' }).expect(303);
    expect((await orderRow(store, orderId)).status).toBe(orderStatus);
    expect((await paymentsOf(store, orderId))[0]).toMatchObject({ avs_street: 'fail', avs_postal_code: 'pass' });
  });
});
