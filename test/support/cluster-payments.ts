import { createHmac, randomBytes } from 'node:crypto';
import type request from 'supertest';
import type { StoreCluster } from './store-cluster';
import { StripeCheckoutBrowser } from './stripe-checkout-browser';

/**
 * Pays an order the way a shopper does: the store (through HAProxy) sends the shopper to the
 * shared Stripe sandbox's hosted page, where a test card is paid. Resolves to the page's answer
 * (303 back to the store when the gateway accepted the payment).
 */
export async function payOnHostedPage(cluster: StoreCluster, agent: request.Agent, checkoutToken: string): Promise<{ status: number }> {
  const started = await agent.post(`/checkout/${checkoutToken}/pay/stripe`).type('form').send({});
  if (started.status !== 303) throw new Error(`starting the Stripe payment answered ${started.status}: ${started.text.slice(0, 200)}`);
  return new StripeCheckoutBrowser(cluster.tls.cert).pay(started.headers.location, { cardNumber: '4242424242424242' });
}

/** A Stripe-Signature header for `payload`, computed as Stripe does. */
export function stripeSignature(payload: string, secret: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
}

/** An order with a captured Stripe payment, and the PaymentIntent id of that payment. */
export interface PaidOrder {
  readonly orderId: number;
  readonly total: number;
  readonly currency: string;
  readonly paymentIntent: string;
}

/**
 * Fixture: the order a checkout placed, made paid with a captured Stripe payment put in place
 * directly (quicker than paying on the hosted page, for tests about what follows a payment); the
 * refund callbacks the tests send about it need no gateway call.
 */
export async function markPaid(cluster: StoreCluster, checkoutToken: string): Promise<PaidOrder> {
  const [[order]] = (await cluster.db.query(
    'SELECT o.id, o.total, o.currency FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?',
    [checkoutToken],
  )) as unknown as [[{ id: number; total: number; currency: string }]];
  const paymentIntent = `pi_${randomBytes(12).toString('hex')}`;
  await cluster.db.query(
    `INSERT INTO payments (order_id, gateway, attempt_key, status, payment_ref, currency, amount, captured_amount, refunded_amount, created_at, updated_at)
     VALUES (?, 'stripe', ?, 'captured', ?, ?, ?, ?, 0, NOW(), NOW())`,
    [order.id, randomBytes(16).toString('hex'), paymentIntent, order.currency, order.total, order.total],
  );
  await cluster.db.query("UPDATE orders SET status = 'paid' WHERE id = ?", [order.id]);
  return { orderId: Number(order.id), total: Number(order.total), currency: order.currency, paymentIntent };
}

/** A signed `charge.refunded` event (the whole payment refunded): its id and how to deliver a copy. */
export function refundEvent(cluster: StoreCluster, paid: PaidOrder): { id: string; deliver: (agent: request.Agent) => request.Test } {
  const event = {
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    type: 'charge.refunded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `ch_${randomBytes(12).toString('hex')}`,
        object: 'charge',
        payment_intent: paid.paymentIntent,
        captured: true,
        amount: paid.total,
        amount_refunded: paid.total,
        currency: paid.currency.toLowerCase(),
      },
    },
  };
  const payload = JSON.stringify(event);
  const secret = cluster.sharedEnv.STRIPE_WEBHOOK_SECRET;
  return {
    id: event.id,
    deliver: (agent) =>
      agent
        .post('/webhooks/stripe')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', stripeSignature(payload, secret))
        .send(payload),
  };
}
