import express, { type Request } from 'express';
import type Stripe from 'stripe';
import { COUNTRY_CODES } from '../../checkout/countries';
import type { Logger } from '../../logger';
import type { SandboxRoutes } from '../sandbox-app';
import { EMPTY_FORM, type BillingForm, type StripePageResponses } from './stripe-hosted-page-responses';
import type { SessionRecord, StripeLedger } from './stripe-ledger';
import { evaluateCard } from './stripe-test-cards';

/** What the hosted page's routes answer from. */
export interface HostedPageContext {
  readonly ledger: StripeLedger;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Called after a 4000000000000259 payment: the cardholder disputes it a moment later. */
  readonly scheduleDispute: (paymentIntentId: string) => void;
  readonly responses: StripePageResponses;
}

type Body = Record<string, unknown>;

function field(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

function readBillingForm(body: Body): BillingForm {
  return {
    email: field(body, 'email'),
    billingName: field(body, 'billingName'),
    billingAddressLine1: field(body, 'billingAddressLine1'),
    billingLocality: field(body, 'billingLocality'),
    billingPostalCode: field(body, 'billingPostalCode'),
    billingCountry: field(body, 'billingCountry').toUpperCase(),
  };
}

/** What is wrong with the form besides the card, as Stripe's page says it; null when nothing is. */
function billingFormError(session: Stripe.Checkout.Session, form: BillingForm): string | null {
  if (!session.customer_email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) return 'Your email address is invalid.';
  if (!form.billingName) return 'Enter the name on your card.';
  const addressIncomplete =
    !form.billingAddressLine1 ||
    !form.billingLocality ||
    !form.billingPostalCode ||
    !(COUNTRY_CODES as readonly string[]).includes(form.billingCountry);
  if (session.billing_address_collection === 'required' && addressIncomplete) return 'Your billing address is incomplete.';
  return null;
}

const recordOf = (ledger: StripeLedger, req: Request): SessionRecord => ledger.sessionRecord(String(req.params.id));

/**
 * `/c/pay/:sessionId`: the payment form of an open session, and its submission. Stripe's test
 * cards decide the outcome: a decline keeps the session open for another try; a success completes
 * it and sends the browser to the session's success URL.
 */
export const payPageRoutes: SandboxRoutes<HostedPageContext> = (router, context) => {
  const { ledger, logger, responses } = context;

  router.get('/c/pay/:id', (req, res) => {
    const record = recordOf(ledger, req);
    if (record.session.status !== 'open') return responses.closed(res, 200, record.session);
    responses.checkout(res, 200, record, EMPTY_FORM, null);
  });

  router.post('/c/pay/:id', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const record = recordOf(ledger, req);
    const { session } = record;
    if (session.status !== 'open') return responses.closed(res, session.status === 'expired' ? 410 : 409, session);
    const body = (req.body ?? {}) as Body;
    const form = readBillingForm(body);
    const formError = billingFormError(session, form);
    if (formError) return responses.checkout(res, 400, record, form, formError);

    const answer = evaluateCard(
      { number: field(body, 'cardNumber'), expiry: field(body, 'cardExpiry'), cvc: field(body, 'cardCvc') },
      context.now(),
    );
    if (answer.kind === 'invalid') return responses.checkout(res, 400, record, form, answer.message);
    const result = ledger.pay(session.id, {
      answer,
      cardholderName: form.billingName,
      address: {
        line1: form.billingAddressLine1,
        city: form.billingLocality,
        postalCode: form.billingPostalCode,
        country: form.billingCountry,
      },
    });
    logger.info({ sessionId: session.id, result: result.kind }, 'sandbox stripe checkout attempt');
    switch (result.kind) {
      case 'declined':
        return responses.checkout(res, 402, record, form, result.message);
      case 'closed':
        return responses.closed(res, 409, result.session);
      case 'paid':
        if (result.disputeAfterwards) context.scheduleDispute(result.paymentIntentId);
        res
          .set('Cache-Control', 'no-store')
          .redirect(303, (result.session.success_url ?? '/').replace('{CHECKOUT_SESSION_ID}', result.session.id));
    }
  });
};
