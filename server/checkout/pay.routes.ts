import { Router } from 'express';
import Joi from 'joi';
import { DomainError } from '../domain-error';
import { validate } from '../validation';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { awaitsPayment, mayTake } from '../orders/order-state';
import type { PaymentFollowUps } from '../payments/payment-follow-ups';
import type { PaymentStarts } from '../payments/payment-starts';
import type { CheckoutService } from './checkout.service';

const nonceBody = Joi.object<{ nonce: string }>({
  nonce: Joi.string()
    .max(4096)
    .pattern(/^[A-Za-z0-9_\-.:]+$/)
    .required()
    .messages({
      'any.required': 'The payment details did not arrive; please try again',
      'string.empty': 'The payment details did not arrive; please try again',
    }),
});
const returnQuery = Joi.object<{ gateway?: string }>({ gateway: Joi.string().max(32) });

/**
 * The pay step's actions: `POST /checkout/:token/pay/:gateway` (to a hosted page, or charging
 * a nonce from in-page fields) and `GET /checkout/:token/return`, where a gateway sends the
 * shopper back. The return never trusts its URL: it asks the gateway where the payment stands.
 */
export function payRoutes(
  checkouts: CheckoutService,
  payments: { starts: PaymentStarts; followUps: PaymentFollowUps },
  gateways: GatewayRegistry,
  publicUrl: string,
  clock: () => Date,
): Router {
  const router = Router();

  async function orderFor(token: string) {
    const checkout = await checkouts.find(token);
    const order = await checkouts.orderOf(checkout);
    return { checkout, order };
  }

  router.post('/:token/pay/:gateway', async (req, res) => {
    const { checkout, order } = await orderFor(req.params.token);
    if (!order) return res.redirect(303, `/checkout/${checkout.id}`);
    // Paid meanwhile (another tab, a late callback) or out of time: the pages say which.
    if (!mayTake('pay', { status: order.status, expiresAt: order.expiresAt, now: clock() }).allowed) {
      return res.redirect(303, awaitsPayment(order.status) ? `/checkout/${checkout.id}` : `/orders/${order.publicId}`);
    }
    const gateway = gateways.get(req.params.gateway);
    if (gateway.flow === 'hosted_page') {
      validate(Joi.object({}), req.body);
      try {
        const redirectUrl = await payments.starts.startHostedPayment(order.id, gateway.id, {
          returnUrl: `${publicUrl}/checkout/${checkout.id}/return?gateway=${gateway.id}`,
          cancelUrl: `${publicUrl}/checkout/${checkout.id}`,
        });
        return res.redirect(303, redirectUrl);
      } catch (err) {
        // The shopper's earlier payment page turned out to be paid while checking it.
        if (err instanceof DomainError && err.code === 'order_not_payable') return res.redirect(303, `/orders/${order.publicId}`);
        throw err;
      }
    }
    const { nonce } = validate(nonceBody, req.body, 'payment');
    const outcome = await payments.starts.chargeNonce(order.id, gateway.id, nonce);
    // A decline shows on the pay step with the gateway's message; anything else on the order page.
    res.redirect(303, outcome.status === 'declined' ? `/checkout/${checkout.id}` : `/orders/${order.publicId}`);
  });

  router.get('/:token/return', async (req, res) => {
    const { gateway } = validate(returnQuery, req.query, 'query');
    const { checkout, order } = await orderFor(req.params.token);
    if (!order) return res.redirect(303, `/checkout/${checkout.id}`);
    const payment = await payments.followUps.latestPayment(order.id, gateway && gateways.has(gateway) ? gateway : undefined);
    const outcome = payment ? await payments.followUps.refresh(payment) : null;
    const backToPayStep = outcome !== null && ['declined', 'expired', 'cancelled'].includes(outcome.status);
    res.redirect(303, backToPayStep ? `/checkout/${checkout.id}` : `/orders/${order.publicId}`);
  });

  return router;
}
