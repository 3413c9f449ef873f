import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, type ErrorKind } from '../domain-error';
import { databaseOutage } from './database-outage';
import { requestLog } from './request-logger';

/** The one place where a kind of error becomes an HTTP status. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_encoding: 415,
  refused: 422,
  locked: 423,
  rate_limited: 429,
  internal: 500,
  gateway_unavailable: 502,
  unavailable: 503,
};

/** The HTTP status a thrown value is answered with (500 for anything unexpected). */
export function statusOf(err: DomainError | undefined): number {
  return err ? STATUS_OF_KIND[err.kind] : 500;
}

interface TransportError {
  type?: string;
  status?: number;
}

function fromBodyParser(e: TransportError): DomainError | undefined {
  switch (e.type) {
    case 'entity.parse.failed':
      return new DomainError('invalid_input', 'malformed_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new DomainError('too_large', 'payload_too_large', 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('unsupported_encoding', 'unsupported_encoding', 'The request body encoding is not supported');
    case 'parameters.too.many':
      return new DomainError('too_large', 'payload_too_large', 'The request has too many parameters');
    default:
      return undefined;
  }
}

/** Errors raised by Express's own middleware (body parsers, static files) carry an HTTP status. */
function fromTransport(err: unknown): DomainError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as TransportError;
  const parsed = typeof e.type === 'string' ? fromBodyParser(e) : undefined;
  if (parsed) return parsed;
  if (typeof e.status !== 'number' || e.status >= 500 || e.status < 400) return undefined;
  if (e.status === 404) return new DomainError('not_found', 'not_found', 'Not found');
  if (e.status === 413) return new DomainError('too_large', 'payload_too_large', 'The request is too large');
  return new DomainError(
    'invalid_input',
    'invalid_request',
    typeof e.type === 'string' ? 'The request body could not be read' : 'The request could not be served',
  );
}

/**
 * Any thrown value as the DomainError it should be answered with; undefined for internal errors
 * (answered as a generic 500).
 */
export function knownError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err;
  return fromTransport(err) ?? databaseOutage(err);
}

/** Answers every route nobody claimed with the JSON 404 of the error contract. */
export const unknownRoute: RequestHandler = (req, _res, next) => {
  const path = (req.originalUrl.split('?')[0] ?? '').slice(0, 200);
  next(new DomainError('not_found', 'not_found', `No route for ${req.method} ${path}`));
};

/**
 * Renders every error as `{ error: { code, message, details? } }`. Internal errors are logged
 * (without the request body) and answered with a generic 500.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = knownError(err);
  const status = statusOf(known);
  if (status >= 500) requestLog(req)?.error({ err }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  const shown = known ?? new DomainError('internal', 'internal_error', 'Something went wrong on our side; please try again');
  res.status(status).json({
    error: {
      code: shown.code,
      message: shown.message,
      ...(shown.details ? { details: shown.details } : {}),
    },
  });
};
