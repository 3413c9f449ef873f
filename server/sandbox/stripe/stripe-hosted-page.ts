import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import { countryOptions, COUNTRY_CODES } from '../../checkout/countries';
import type { Logger } from '../../logger';
import { formatMoney } from '../../money';
import { fromStripeAmount } from '../../payments/stripe/stripe-money';
import { SandboxPages, sandboxStylesheet } from '../sandbox-pages';
import { StripeApiError } from './stripe-api-error';
import type { StripeLedger, SessionRecord } from './stripe-ledger';
import { evaluateCard } from './stripe-test-cards';

/** What the shopper typed besides the card (kept to refill the form after an error; the card never is). */
interface BillingForm {
  email: string;
  billingName: string;
  billingAddressLine1: string;
  billingLocality: string;
  billingPostalCode: string;
  billingCountry: string;
}

const EMPTY_FORM: BillingForm = { email: '', billingName: '', billingAddressLine1: '', billingLocality: '', billingPostalCode: '', billingCountry: '' };

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

/** Origins the page's form may lead to: itself, then the store's return and cancel pages (form-action also governs the redirect after the POST). */
function contentSecurityPolicy(session: Stripe.Checkout.Session | null): string {
  const origins = new Set<string>();
  for (const url of [session?.success_url, session?.cancel_url]) {
    if (!url) continue;
    try {
      origins.add(new URL(url.replace('{CHECKOUT_SESSION_ID}', 'x')).origin);
    } catch {
      // A URL the API accepted always parses; nothing to allow otherwise.
    }
  }
  return [
    "default-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "script-src 'none'",
    `form-action 'self'${[...origins].map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function money(amount: number, currency: string): string {
  return formatMoney(fromStripeAmount(amount, currency));
}

/**
 * The sandbox's hosted Checkout page (`/c/pay/:sessionId` on the HTTPS pages origin): the order
 * summary, the shopper's email, a card form and the billing address; Stripe's test cards decide
 * the outcome. A decline keeps the session open for another try; a success completes it and
 * sends the browser to the session's success URL. The card number and CVC are read once to
 * answer and never stored (beyond brand and last four digits), logged or echoed back.
 */
export function stripeHostedPages(options: {
  readonly ledger: StripeLedger;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Called after a 4000000000000259 payment: the cardholder disputes it a moment later. */
  readonly scheduleDispute: (paymentIntentId: string) => void;
}): express.Express {
  const { ledger, logger } = options;
  const pages = new SandboxPages('Stripe');
  const app = express();
  app.disable('x-powered-by');
  app.get('/sandbox.css', sandboxStylesheet);

  const send = (res: Response, status: number, session: Stripe.Checkout.Session | null, html: string) => {
    res
      .status(status)
      .set({
        'Content-Security-Policy': contentSecurityPolicy(session),
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'same-origin',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
      })
      .type('html')
      .send(html);
  };

  const renderClosed = (res: Response, status: number, session: Stripe.Checkout.Session) => {
    const complete = session.status === 'complete';
    const html = pages.render('stripe-session-closed', complete ? 'Payment complete' : 'Session expired', {
      status: session.status,
      heading: complete ? 'This payment is complete' : 'This checkout session has expired',
      message: complete ? 'Your payment was received; nothing more to do here.' : 'It can no longer be paid. Go back to the store to start again.',
      link: complete ? session.success_url?.replace('{CHECKOUT_SESSION_ID}', session.id) : session.cancel_url,
      linkText: complete ? 'Return to the store' : '← Back to the store',
    });
    send(res, status, session, html);
  };

  const renderCheckout = (res: Response, status: number, record: SessionRecord, form: BillingForm, error: string | null) => {
    const { session } = record;
    const currency = session.currency ?? 'usd';
    const total = money(session.amount_total ?? 0, currency);
    const html = pages.render('stripe-checkout', `Pay ${total}`, {
      sessionId: session.id,
      merchant: 'Padlock Store (sandbox merchant)',
      total,
      lines: record.lines.map((l) => ({ name: l.name, quantity: l.quantity, amount: money(l.unitAmount * l.quantity, currency) })),
      email: session.customer_email,
      addressRequired: session.billing_address_collection === 'required',
      countries: countryOptions(),
      cancelUrl: session.cancel_url,
      form,
      error,
    });
    send(res, status, session, html);
  };

  const recordOf = (req: Request): SessionRecord => ledger.sessionRecord(String(req.params.id));

  app.get('/c/pay/:id', (req, res) => {
    const record = recordOf(req);
    if (record.session.status !== 'open') return renderClosed(res, 200, record.session);
    renderCheckout(res, 200, record, EMPTY_FORM, null);
  });

  app.post('/c/pay/:id', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const record = recordOf(req);
    const { session } = record;
    if (session.status !== 'open') return renderClosed(res, session.status === 'expired' ? 410 : 409, session);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form: BillingForm = {
      email: field(body, 'email'),
      billingName: field(body, 'billingName'),
      billingAddressLine1: field(body, 'billingAddressLine1'),
      billingLocality: field(body, 'billingLocality'),
      billingPostalCode: field(body, 'billingPostalCode'),
      billingCountry: field(body, 'billingCountry').toUpperCase(),
    };
    if (!session.customer_email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) return renderCheckout(res, 400, record, form, 'Your email address is invalid.');
    if (!form.billingName) return renderCheckout(res, 400, record, form, 'Enter the name on your card.');
    const addressIncomplete = !form.billingAddressLine1 || !form.billingLocality || !form.billingPostalCode || !(COUNTRY_CODES as readonly string[]).includes(form.billingCountry);
    if (session.billing_address_collection === 'required' && addressIncomplete) {
      return renderCheckout(res, 400, record, form, 'Your billing address is incomplete.');
    }

    const answer = evaluateCard({ number: field(body, 'cardNumber'), expiry: field(body, 'cardExpiry'), cvc: field(body, 'cardCvc') }, options.now());
    if (answer.kind === 'invalid') return renderCheckout(res, 400, record, form, answer.message);
    const result = ledger.pay(session.id, {
      answer,
      cardholderName: form.billingName,
      address: { line1: form.billingAddressLine1, city: form.billingLocality, postalCode: form.billingPostalCode, country: form.billingCountry },
    });
    logger.info({ sessionId: session.id, result: result.kind }, 'sandbox stripe checkout attempt');
    switch (result.kind) {
      case 'declined':
        return renderCheckout(res, 402, record, form, result.message);
      case 'closed':
        return renderClosed(res, 409, result.session);
      case 'paid':
        if (result.disputeAfterwards) options.scheduleDispute(result.paymentIntentId);
        res.set('Cache-Control', 'no-store').redirect(303, (result.session.success_url ?? '/').replace('{CHECKOUT_SESSION_ID}', result.session.id));
    }
  });

  app.use((_req, res) => {
    send(res, 404, null, pages.render('stripe-session-closed', 'Not found', { status: 'missing', heading: 'Something went wrong', message: 'This page does not exist.', link: null, linkText: '' }));
  });
  const errors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (err instanceof StripeApiError && err.status === 404) {
      send(res, 404, null, pages.render('stripe-session-closed', 'Not found', { status: 'missing', heading: 'Something went wrong', message: 'This checkout session does not exist.', link: null, linkText: '' }));
      return;
    }
    // Only the message: a parser error could carry the request body, which may hold a card number.
    logger.error({ error: err instanceof Error ? err.message : String(err) }, 'sandbox stripe page error');
    send(res, 500, null, pages.render('stripe-session-closed', 'Error', { status: 'error', heading: 'Something went wrong', message: 'Try again in a moment.', link: null, linkText: '' }));
  };
  app.use(errors);
  return app;
}
