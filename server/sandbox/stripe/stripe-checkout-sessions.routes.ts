import type Stripe from 'stripe';
import type { StripeLedger } from './stripe-ledger';
import { bodyOf, expandable, paymentIntentView, queryOf, type StripeApiRoutes } from './stripe-api-routes';
import { expandParam, rejectUnknown } from './stripe-request-params';
import { parseSessionCreate } from './stripe-session-params';

/** A Checkout Session as the API shows it, its PaymentIntent (and that one's latest charge) expanded when asked. */
function sessionView(ledger: StripeLedger, session: Stripe.Checkout.Session, expand: string[]): Stripe.Checkout.Session {
  expandable(expand, ['payment_intent', 'payment_intent.latest_charge']);
  const view = structuredClone(session);
  if (expand.length > 0 && typeof session.payment_intent === 'string') {
    view.payment_intent = paymentIntentView(
      ledger,
      ledger.paymentIntent(session.payment_intent),
      expand.includes('payment_intent.latest_charge'),
    );
  }
  return view;
}

/** `/v1/checkout/sessions`: create, retrieve and expire a hosted payment page. */
export const checkoutSessionRoutes: StripeApiRoutes = (router, { ledger, now }) => {
  router.post('/v1/checkout/sessions', (req, res) => {
    const create = parseSessionCreate(bodyOf(req), Math.floor(now().getTime() / 1000));
    res.json(sessionView(ledger, ledger.createSession(create), expandParam(bodyOf(req).expand)));
  });
  router.get('/v1/checkout/sessions/:id', (req, res) => {
    rejectUnknown(queryOf(req), ['expand']);
    res.json(sessionView(ledger, ledger.sessionRecord(req.params.id).session, expandParam(queryOf(req).expand)));
  });
  router.post('/v1/checkout/sessions/:id/expire', (req, res) => {
    rejectUnknown(bodyOf(req), ['expand']);
    res.json(sessionView(ledger, ledger.expireSession(req.params.id), expandParam(bodyOf(req).expand)));
  });
};
