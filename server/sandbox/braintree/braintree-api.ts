import express, {
  type ErrorRequestHandler,
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { sameSecret, sandboxApp } from '../sandbox-app';
import type { BraintreeApiContext, BraintreeApiRoutes } from './braintree-api-routes';
import { clientTokenRoutes } from './braintree-client-token.routes';
import { transactionSearchRoutes } from './braintree-transaction-search.routes';
import { transactionRoutes } from './braintree-transactions.routes';

/** The oldest API version the SDK may speak (braintree-node 3.x sends `X-ApiVersion: 6`). */
const MIN_API_VERSION = 6;

/** HTTP Basic with the public and private keys (401 otherwise), and an API version the sandbox speaks (426 otherwise). */
function authenticate({ logger, publicKey: expectedPublic, privateKey: expectedPrivate }: BraintreeApiContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    logger.debug({ method: req.method, path: req.path }, 'braintree sandbox api');
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [publicKey, privateKey] = Buffer.from(encoded ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (scheme !== 'Basic' || !sameSecret(publicKey ?? '', expectedPublic) || !sameSecret(privateKey ?? '', expectedPrivate)) {
      res.status(401).end();
      return;
    }
    const version = Number(req.headers['x-apiversion']);
    if (!Number.isInteger(version) || version < MIN_API_VERSION) {
      res.status(426).end();
      return;
    }
    next();
  };
}

/** Registers `resources` under `/merchants/:merchantId`, answering 404 for any other merchant. */
function forMerchant(resources: readonly BraintreeApiRoutes[]): BraintreeApiRoutes {
  return (router, context) => {
    const merchant = express.Router({ mergeParams: true });
    router.use(
      '/merchants/:merchantId',
      (req: Request<{ merchantId: string }>, res: Response, next: NextFunction) => {
        if (req.params.merchantId !== context.merchantId) res.status(404).end();
        else next();
      },
      merchant,
    );
    for (const register of resources) register(merchant, context);
  };
}

const notFound: RequestHandler = (_req, res) => {
  res.status(404).end();
};

function apiErrors({ logger }: BraintreeApiContext): ErrorRequestHandler {
  // Only the status and kind are logged: a parser's message may quote the request body.
  return (err: { status?: number; type?: string }, req, res, _next) => {
    const status = err.status ?? 500;
    logger.warn({ method: req.method, path: req.path, status, type: err.type }, 'braintree sandbox api error');
    res.status(status).end();
  };
}

/**
 * The sandbox's Braintree API: the XML-over-HTTP gateway the official SDK calls (JSON request
 * bodies with underscored keys, XML responses, HTTP Basic authentication with the public and
 * private keys). Only the calls the store makes are answered; anything else is 404, which the
 * SDK reports as `notFoundError`.
 */
export function braintreeApiApp(context: BraintreeApiContext): Express {
  return sandboxApp(context, {
    before: [authenticate(context), express.json({ limit: '256kb' })],
    routes: [forMerchant([clientTokenRoutes, transactionSearchRoutes, transactionRoutes])],
    notFound,
    errors: apiErrors(context),
  });
}
