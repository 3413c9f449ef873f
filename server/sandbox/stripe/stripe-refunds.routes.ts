import { bodyOf, expandable, type StripeApiRoutes } from './stripe-api-routes';
import { expandParam, integerParam, rejectUnknown, stringParam } from './stripe-request-params';

/** `POST /v1/refunds`: refunds all or part of a captured payment, by PaymentIntent or charge. */
export const refundRoutes: StripeApiRoutes = (router, { ledger }) => {
  router.post('/v1/refunds', (req, res) => {
    const params = bodyOf(req);
    rejectUnknown(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    expandable(expandParam(params.expand), []);
    const refund = ledger.refund(
      { paymentIntent: stringParam(params.payment_intent, 'payment_intent'), charge: stringParam(params.charge, 'charge') },
      integerParam(params.amount, 'amount'),
    );
    res.json(refund);
  });
};
