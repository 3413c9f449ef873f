import type { IncomingMessage, ServerResponse } from 'node:http';
import pinoHttp from 'pino-http';
import type { Logger } from '../logger';
import { urlContainsCardNumber } from './card-number-guard';

/**
 * The URL as it may be logged: the path only (queries can carry anything a shopper typed), with
 * capability tokens (cart ids, checkout tokens, order ids) shortened, and nothing at all when the
 * URL itself carries a card number.
 */
export function loggableUrl(url: string): string {
  if (urlContainsCardNumber(url)) return '[redacted: card data]';
  const path = url.split('?')[0] ?? '';
  return path.replace(/[A-Za-z0-9_-]{20,}/g, (token) => `${token.slice(0, 6)}…`);
}

/** pino-http logging one line per request: method, safe URL, status and time; never bodies. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown; raw?: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url ?? ''),
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  });
}
