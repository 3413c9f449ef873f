import type request from 'supertest';
import { Order } from '../../server/orders/order.entity';
import { allowedActions, ORDER_STATUSES, type OrderAction } from '../../server/orders/order-state';
import { Payment } from '../../server/payments/payment.entity';
import { randomToken } from '../../server/random-token';
import { adminBrowser, ensureAdmin, logInAdmin } from '../support/admin';
import { placeOrder } from '../support/payments';
import { useTestStore } from '../support/test-store';

// The order page offers an admin exactly the actions the order state machine allows: every
// status, with and without a payment at a gateway and with and without money left to refund.

/** The actions an admin takes from the order page (the others are the shopper's and the jobs'). */
const ADMIN_ACTIONS: readonly OrderAction[] = ['capture', 'void', 'cancel', 'refund', 'ship', 'resync'];

type PaymentShape = 'none' | 'captured' | 'refunded in full';

describe('the admin order page offers what the state machine allows', () => {
  const store = useTestStore();
  let browser: request.Agent;

  beforeAll(async () => {
    await ensureAdmin(store);
    browser = adminBrowser(store);
    await logInAdmin(browser);
  });

  async function orderWith(payment: PaymentShape): Promise<Order> {
    const { orderId } = await placeOrder(store);
    const order = await store.dataSource.getRepository(Order).findOneByOrFail({ id: orderId });
    if (payment !== 'none') {
      await store.dataSource.getRepository(Payment).save({
        orderId,
        gateway: 'stripe',
        attemptKey: randomToken(),
        status: 'captured',
        currency: order.currency,
        amount: order.total,
        capturedAmount: order.total,
        refundedAmount: payment === 'captured' ? 0 : order.total,
        paymentRef: `pi_${randomToken().slice(0, 16)}`,
      });
    }
    return order;
  }

  /** The actions whose forms the order page shows. */
  async function shownActions(orderId: number): Promise<string[]> {
    const page = await browser.get(`/admin/orders/${orderId}`).expect(200);
    return [...page.text.matchAll(new RegExp(`action="/admin/orders/${orderId}/([a-z]+)"`, 'g'))].map((m) => m[1]);
  }

  it.each<PaymentShape>(['none', 'captured', 'refunded in full'])('with payment: %s', async (payment) => {
    const order = await orderWith(payment);
    const seen: Record<string, string[]> = {};
    const expected: Record<string, string[]> = {};
    for (const status of ORDER_STATUSES) {
      await store.dataSource.getRepository(Order).update({ id: order.id }, { status });
      seen[status] = await shownActions(order.id);
      const facts = {
        status: status,
        expiresAt: order.expiresAt,
        now: store.clock.now(),
        refundable: payment === 'captured' ? order.total : 0,
        hasPaymentAtGateway: payment !== 'none',
      };
      expected[status] = allowedActions(facts).filter((a) => ADMIN_ACTIONS.includes(a));
    }
    expect(seen).toEqual(expected);
    // The matrix is not empty: the page offers something somewhere, and not everything everywhere.
    const offered = new Set(Object.values(seen).flat());
    expect(offered.size).toBeGreaterThan(payment === 'none' ? 1 : 3);
  });
});
