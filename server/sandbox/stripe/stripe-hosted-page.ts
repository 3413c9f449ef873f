import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { sandboxApp } from '../sandbox-app';
import { stylesheetRoutes } from '../sandbox-pages';
import { StripeApiError } from './stripe-api-error';
import { StripePageResponses } from './stripe-hosted-page-responses';
import { payPageRoutes, type HostedPageContext } from './stripe-pay-page.routes';

function pageErrors({ logger, responses }: HostedPageContext): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof StripeApiError && err.status === 404) {
      responses.problem(res, 404, 'This checkout session does not exist.');
      return;
    }
    // Only the message: a parser error could carry the request body, which may hold a card number.
    logger.error({ error: err instanceof Error ? err.message : String(err) }, 'sandbox stripe page error');
    responses.problem(res, 500, 'Try again in a moment.');
  };
}

/**
 * The sandbox's hosted Checkout page (`/c/pay/:sessionId` on the HTTPS pages origin): the order
 * summary, the shopper's email, a card form and the billing address; Stripe's test cards decide
 * the outcome. The card number and CVC are read once to answer and never stored (beyond brand
 * and last four digits), logged or echoed back.
 */
export function stripeHostedPages(options: Omit<HostedPageContext, 'responses'>): Express {
  const context: HostedPageContext = { ...options, responses: new StripePageResponses() };
  const notFound: RequestHandler = (_req, res) => context.responses.problem(res, 404, 'This page does not exist.');
  return sandboxApp(context, { routes: [stylesheetRoutes, payPageRoutes], notFound, errors: pageErrors(context) });
}
