import { bodyOf, expandsLatestCharge, paymentIntentView, queryOf, type StripeApiRoutes } from './stripe-api-routes';
import { enumParam, integerParam, rejectUnknown } from './stripe-request-params';

const CANCELLATION_REASONS = ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** `/v1/payment_intents`: retrieve, capture (all or part of an authorisation) and cancel. */
export const paymentIntentRoutes: StripeApiRoutes = (router, { ledger }) => {
  router.get('/v1/payment_intents/:id', (req, res) => {
    rejectUnknown(queryOf(req), ['expand', 'client_secret']);
    res.json(paymentIntentView(ledger, ledger.paymentIntent(req.params.id), expandsLatestCharge(queryOf(req))));
  });
  router.post('/v1/payment_intents/:id/capture', (req, res) => {
    rejectUnknown(bodyOf(req), ['amount_to_capture', 'expand']);
    const withCharge = expandsLatestCharge(bodyOf(req));
    res.json(
      paymentIntentView(
        ledger,
        ledger.capture(req.params.id, integerParam(bodyOf(req).amount_to_capture, 'amount_to_capture')),
        withCharge,
      ),
    );
  });
  router.post('/v1/payment_intents/:id/cancel', (req, res) => {
    rejectUnknown(bodyOf(req), ['cancellation_reason', 'expand']);
    const withCharge = expandsLatestCharge(bodyOf(req));
    const reason = enumParam(bodyOf(req).cancellation_reason, 'cancellation_reason', CANCELLATION_REASONS);
    res.json(paymentIntentView(ledger, ledger.cancel(req.params.id, reason), withCharge));
  });
};
