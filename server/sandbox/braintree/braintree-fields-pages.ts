import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { sandboxApp } from '../sandbox-app';
import { stylesheetRoutes } from '../sandbox-pages';
import { fieldsPageRoutes, type FieldsPagesContext } from './braintree-fields-page.routes';
import { tokenizeRoutes } from './braintree-tokenize.routes';

const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  next();
};

const notFound: RequestHandler = (_req, res) => {
  res.status(404).type('text/plain').send('Not found');
};

// Never echo or log the request: a body that failed to parse may hold card details.
const unreadable: ErrorRequestHandler = (err: { status?: number }, _req, res, _next) => {
  res
    .status(err.status && err.status < 500 ? err.status : 500)
    .json({ error: { code: 'bad_request', message: 'The request could not be read.' } });
};

/**
 * The sandbox's in-page fields, served on its own HTTPS origin like Braintree's iframes: the
 * card and PayPal page the store frames (`/fields`), its script (`/fields.js`) and the endpoint
 * that turns card details into a one-time nonce (`/tokenize`). Card details are posted to this
 * origin only; the store receives the nonce by `postMessage`.
 */
export function braintreeFieldsApp(context: FieldsPagesContext): Express {
  return sandboxApp(context, {
    before: [pageHeaders],
    routes: [stylesheetRoutes, fieldsPageRoutes, tokenizeRoutes],
    notFound,
    errors: unreadable,
  });
}
