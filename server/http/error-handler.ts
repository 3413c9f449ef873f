import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GatewayUnavailableError } from '../payments/payment-gateway';
import { HttpError } from './http-error';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

function fromBodyParser(err: unknown): HttpError | undefined {
  const e = err as BodyParserError;
  if (typeof e !== 'object' || e === null || typeof e.type !== 'string') return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'malformed_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'The request body encoding is not supported');
    case 'parameters.too.many':
      return new HttpError(413, 'payload_too_large', 'The request has too many parameters');
    default:
      return e.status && e.status < 500 ? new HttpError(e.status, 'invalid_request', 'The request body could not be read') : undefined;
  }
}

/** Errors raised by Express's own middleware (static files, routing) carry an HTTP status. */
function fromExpress(err: unknown): HttpError | undefined {
  const e = err as BodyParserError;
  if (typeof e !== 'object' || e === null || typeof e.status !== 'number' || e.status >= 500 || e.status < 400) return undefined;
  return e.status === 404 ? new HttpError(404, 'not_found', 'Not found') : new HttpError(e.status, 'invalid_request', 'The request could not be served');
}

/**
 * Any thrown value as the HttpError it should be answered with; undefined for internal errors
 * (answered as a generic 500).
 */
export function knownHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof GatewayUnavailableError) {
    return new HttpError(502, 'gateway_unavailable', 'The payment provider is not answering right now; please try again in a moment');
  }
  return fromBodyParser(err) ?? fromExpress(err);
}

/** Answers every route nobody claimed with the JSON 404 of the error contract. */
export const unknownRoute: RequestHandler = (req, _res, next) => {
  const path = (req.originalUrl.split('?')[0] ?? '').slice(0, 200);
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${path}`));
};

/**
 * Renders every error as `{ error: { code, message, details? } }`. Internal errors are logged
 * (without the request body) and answered with a generic 500.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = knownHttpError(err);
  const httpError = known ?? new HttpError(500, 'internal_error', 'Something went wrong on our side; please try again');
  if (!known || known.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(httpError.status).json({
    error: {
      code: httpError.code,
      message: httpError.message,
      ...(httpError.details ? { details: httpError.details } : {}),
    },
  });
};
