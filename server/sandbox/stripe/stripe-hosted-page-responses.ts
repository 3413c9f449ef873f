import type { Response } from 'express';
import type Stripe from 'stripe';
import { countryOptions } from '../../checkout/countries';
import { formatMoney } from '../../money';
import { fromStripeAmount } from '../../payments/stripe/stripe-money';
import { SandboxPages } from '../sandbox-pages';
import type { SessionRecord } from './stripe-ledger';

/** What the shopper typed besides the card (kept to refill the form after an error; the card never is). */
export interface BillingForm {
  readonly email: string;
  readonly billingName: string;
  readonly billingAddressLine1: string;
  readonly billingLocality: string;
  readonly billingPostalCode: string;
  readonly billingCountry: string;
}

export const EMPTY_FORM: BillingForm = {
  email: '',
  billingName: '',
  billingAddressLine1: '',
  billingLocality: '',
  billingPostalCode: '',
  billingCountry: '',
};

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

/** The hosted page's answers: the checkout form, a closed session, or a problem, each with the page's headers. */
export class StripePageResponses {
  private readonly pages = new SandboxPages('Stripe');

  /** The payment form for an open session, with the shopper's entries and an error when there is one. */
  checkout(res: Response, status: number, record: SessionRecord, form: BillingForm, error: string | null): void {
    const { session } = record;
    const currency = session.currency ?? 'usd';
    const total = money(session.amount_total ?? 0, currency);
    const html = this.pages.render('stripe-checkout', `Pay ${total}`, {
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
    this.send(res, status, session, html);
  }

  /** A completed or expired session: nothing to pay, a link back to the store. */
  closed(res: Response, status: number, session: Stripe.Checkout.Session): void {
    const complete = session.status === 'complete';
    const html = this.pages.render('stripe-session-closed', complete ? 'Payment complete' : 'Session expired', {
      status: session.status,
      heading: complete ? 'This payment is complete' : 'This checkout session has expired',
      message: complete
        ? 'Your payment was received; nothing more to do here.'
        : 'It can no longer be paid. Go back to the store to start again.',
      link: complete ? session.success_url?.replace('{CHECKOUT_SESSION_ID}', session.id) : session.cancel_url,
      linkText: complete ? 'Return to the store' : '← Back to the store',
    });
    this.send(res, status, session, html);
  }

  /** A page that does not exist (404, `missing`) or a failure (500, `error`). */
  problem(res: Response, status: 404 | 500, message: string): void {
    const missing = status === 404;
    const html = this.pages.render('stripe-session-closed', missing ? 'Not found' : 'Error', {
      status: missing ? 'missing' : 'error',
      heading: 'Something went wrong',
      message,
      link: null,
      linkText: '',
    });
    this.send(res, status, null, html);
  }

  private send(res: Response, status: number, session: Stripe.Checkout.Session | null, html: string): void {
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
  }
}
