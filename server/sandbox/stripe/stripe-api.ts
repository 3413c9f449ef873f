import { timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type Stripe from 'stripe';
import type { Logger } from '../../logger';
import { STRIPE_API_VERSION } from '../../payments/stripe/stripe-client';
import { invalidRequest, StripeApiError } from './stripe-api-error';
import type { StripeEventLog } from './stripe-event-log';
import { idempotency, rawBodies } from './stripe-idempotency';
import type { StripeLedger } from './stripe-ledger';
import { booleanParam, enumParam, expandParam, integerParam, listParam, objectParam, rejectUnknown, stringParam, type Params } from './stripe-request-params';
import { newStripeId } from './stripe-sandbox-ids';
import { parseSessionCreate } from './stripe-session-params';

function apiKeyOf(req: Request): string | null {
  const header = req.get('Authorization');
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  return basic ? Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':')[0] ?? null : null;
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** 401 as Stripe answers a missing or wrong secret key (the SDK raises StripeAuthenticationError). */
function authenticate(secretKey: string): RequestHandler {
  return (req, res, next) => {
    const key = apiKeyOf(req);
    if (key && sameKey(key, secretKey)) return next();
    const message = key
      ? `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
      : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
    res.status(401).json(new StripeApiError(401, { type: 'invalid_request_error', message }).toResponse());
  };
}

const expandable = (paths: string[], allowed: readonly string[]) => {
  for (const path of paths) {
    if (!allowed.includes(path)) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
  }
};

/**
 * The sandbox's Stripe API (plain HTTP on loopback, for stripe-node pointed at it with
 * host/port/protocol): form-encoded requests in Stripe's bracket notation, the secret key as a
 * Bearer token, idempotency keys honoured, JSON objects typed as the SDK's own, and errors shaped
 * so that the SDK raises the same error classes as against api.stripe.com.
 */
export function stripeApi(options: { secretKey: string; ledger: StripeLedger; events: StripeEventLog; logger: Logger; now: () => Date }): express.Express {
  const { ledger, events } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use((_req, res, next) => {
    res.set({ 'Request-Id': newStripeId('req'), 'Stripe-Version': STRIPE_API_VERSION, 'Cache-Control': 'no-cache, no-store' });
    next();
  });
  app.use(authenticate(options.secretKey));
  app.use(express.urlencoded({ extended: true, limit: '256kb', verify: (req, _res, buf) => rawBodies.set(req as Request, Buffer.from(buf)) }));
  app.use(idempotency());

  const body = (req: Request): Params => (req.body ?? {}) as Params;
  const query = (req: Request): Params => req.query as Params;

  /** A PaymentIntent as the API shows it, its latest charge expanded when asked. */
  const paymentIntentView = (pi: Stripe.PaymentIntent, withCharge: boolean): Stripe.PaymentIntent => {
    const view = structuredClone(pi);
    if (withCharge && typeof pi.latest_charge === 'string') view.latest_charge = structuredClone(ledger.charge(pi.latest_charge));
    return view;
  };
  const sessionView = (session: Stripe.Checkout.Session, expand: string[]): Stripe.Checkout.Session => {
    expandable(expand, ['payment_intent', 'payment_intent.latest_charge']);
    const view = structuredClone(session);
    if (expand.length > 0 && typeof session.payment_intent === 'string') {
      view.payment_intent = paymentIntentView(ledger.paymentIntent(session.payment_intent), expand.includes('payment_intent.latest_charge'));
    }
    return view;
  };
  const piExpand = (params: Params) => {
    const expand = expandParam(params.expand);
    expandable(expand, ['latest_charge']);
    return expand.includes('latest_charge');
  };

  app.post('/v1/checkout/sessions', (req, res) => {
    const create = parseSessionCreate(body(req), Math.floor(options.now().getTime() / 1000));
    res.json(sessionView(ledger.createSession(create), expandParam(body(req).expand)));
  });
  app.get('/v1/checkout/sessions/:id', (req, res) => {
    rejectUnknown(query(req), ['expand']);
    res.json(sessionView(ledger.sessionRecord(req.params.id).session, expandParam(query(req).expand)));
  });
  app.post('/v1/checkout/sessions/:id/expire', (req, res) => {
    rejectUnknown(body(req), ['expand']);
    res.json(sessionView(ledger.expireSession(req.params.id), expandParam(body(req).expand)));
  });

  app.get('/v1/payment_intents/:id', (req, res) => {
    rejectUnknown(query(req), ['expand', 'client_secret']);
    res.json(paymentIntentView(ledger.paymentIntent(req.params.id), piExpand(query(req))));
  });
  app.post('/v1/payment_intents/:id/capture', (req, res) => {
    rejectUnknown(body(req), ['amount_to_capture', 'expand']);
    const withCharge = piExpand(body(req));
    res.json(paymentIntentView(ledger.capture(req.params.id, integerParam(body(req).amount_to_capture, 'amount_to_capture')), withCharge));
  });
  app.post('/v1/payment_intents/:id/cancel', (req, res) => {
    rejectUnknown(body(req), ['cancellation_reason', 'expand']);
    const withCharge = piExpand(body(req));
    const reason = enumParam(body(req).cancellation_reason, 'cancellation_reason', ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const);
    res.json(paymentIntentView(ledger.cancel(req.params.id, reason), withCharge));
  });

  app.post('/v1/refunds', (req, res) => {
    const params = body(req);
    rejectUnknown(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    expandable(expandParam(params.expand), []);
    const refund = ledger.refund(
      { paymentIntent: stringParam(params.payment_intent, 'payment_intent'), charge: stringParam(params.charge, 'charge') },
      integerParam(params.amount, 'amount'),
    );
    res.json(refund);
  });

  app.get('/v1/events', (req, res) => {
    const params = query(req);
    rejectUnknown(params, ['created', 'delivery_success', 'limit', 'starting_after', 'ending_before', 'type', 'types', 'expand']);
    const created = objectParam(params.created, 'created');
    const createdExact = created ? undefined : integerParam(params.created, 'created');
    const limit = integerParam(params.limit, 'limit') ?? 10;
    if (limit < 1 || limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100', { param: 'limit' });
    const type = stringParam(params.type, 'type');
    const types = listParam(params.types, 'types')?.map((t, i) => stringParam(t, `types[${i}]`, true));
    const page = events.list({
      types: types ?? (type ? [type] : undefined),
      created: created
        ? { gt: integerParam(created.gt, 'created[gt]'), gte: integerParam(created.gte, 'created[gte]'), lt: integerParam(created.lt, 'created[lt]'), lte: integerParam(created.lte, 'created[lte]') }
        : createdExact !== undefined
          ? { gte: createdExact, lte: createdExact }
          : undefined,
      deliverySuccess: booleanParam(params.delivery_success, 'delivery_success'),
      limit,
      startingAfter: stringParam(params.starting_after, 'starting_after'),
      endingBefore: stringParam(params.ending_before, 'ending_before'),
    });
    const list: Stripe.ApiList<Stripe.Event> = { object: 'list', data: page.data, has_more: page.hasMore, url: '/v1/events' };
    res.json(list);
  });
  app.get('/v1/events/:id', (req, res) => {
    const event = events.find(req.params.id);
    if (!event) throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such event: '${req.params.id}'` });
    res.json(event);
  });

  app.use((req, res) => {
    const error = new StripeApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
    res.status(404).json(error.toResponse());
  });
  const errors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    if (err instanceof StripeApiError) {
      res.status(err.status).json(err.toResponse());
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status < 500 ? err.status : 500;
    if (status === 500) options.logger.error({ err, path: req.path }, 'sandbox stripe api error');
    res.status(status).json(new StripeApiError(status, { type: status === 500 ? 'api_error' : 'invalid_request_error', message: status === 500 ? 'An unknown error occurred' : 'Invalid request' }).toResponse());
  };
  app.use(errors);
  return app;
}
