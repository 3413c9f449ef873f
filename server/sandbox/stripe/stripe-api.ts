import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { STRIPE_API_VERSION } from '../../payments/stripe/stripe-client';
import { sandboxApp } from '../sandbox-app';
import { authenticate } from './stripe-api-auth';
import { StripeApiError } from './stripe-api-error';
import type { StripeApiContext } from './stripe-api-routes';
import { checkoutSessionRoutes } from './stripe-checkout-sessions.routes';
import { eventRoutes } from './stripe-events.routes';
import { idempotency, rawBodies } from './stripe-idempotency';
import { paymentIntentRoutes } from './stripe-payment-intents.routes';
import { refundRoutes } from './stripe-refunds.routes';
import { newStripeId } from './stripe-sandbox-ids';

const responseHeaders: RequestHandler = (_req, res, next) => {
  res.set({ 'Request-Id': newStripeId('req'), 'Stripe-Version': STRIPE_API_VERSION, 'Cache-Control': 'no-cache, no-store' });
  next();
};

const unrecognizedUrl: RequestHandler = (req, res) => {
  const error = new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
  res.status(404).json(error.toResponse());
};

function apiErrors(context: StripeApiContext): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof StripeApiError) {
      res.status(err.status).json(err.toResponse());
      return;
    }
    const status =
      typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status < 500 ? err.status : 500;
    if (status === 500) context.logger.error({ err, path: req.path }, 'sandbox stripe api error');
    res.status(status).json(
      new StripeApiError(status, {
        type: status === 500 ? 'api_error' : 'invalid_request_error',
        message: status === 500 ? 'An unknown error occurred' : 'Invalid request',
      }).toResponse(),
    );
  };
}

/**
 * The sandbox's Stripe API (plain HTTP on loopback, for stripe-node pointed at it with
 * host/port/protocol): form-encoded requests in Stripe's bracket notation, the secret key as a
 * Bearer token, idempotency keys honoured, JSON objects typed as the SDK's own, and errors shaped
 * so that the SDK raises the same error classes as against api.stripe.com.
 */
export function stripeApi(context: StripeApiContext): Express {
  return sandboxApp(context, {
    settings: { 'query parser': 'extended' },
    before: [
      responseHeaders,
      authenticate(context.secretKey),
      express.urlencoded({ extended: true, limit: '256kb', verify: (req, _res, buf) => rawBodies.set(req as Request, Buffer.from(buf)) }),
      idempotency(),
    ],
    routes: [checkoutSessionRoutes, paymentIntentRoutes, refundRoutes, eventRoutes],
    notFound: unrecognizedUrl,
    errors: apiErrors(context),
  });
}
