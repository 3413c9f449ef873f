import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { requestUrlContainsCardNumber, urlContainsCardNumber } from './card-number-guard';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request's number in this process, as its log line gives it (`reqId`). */
    id?: number;
  }
}

const REDACTED_URL = '[redacted: card data]';

/**
 * The URL as it may be logged: the path only (queries can carry anything a shopper typed), with
 * capability tokens (cart ids, checkout tokens, order ids) shortened, and nothing at all when the
 * URL itself carries a card number (`carriesCardNumber`: the request's verdict, when it has one).
 */
export function loggableUrl(url: string, carriesCardNumber = urlContainsCardNumber(url)): string {
  if (carriesCardNumber) return REDACTED_URL;
  const path = url.split('?')[0] ?? '';
  return path.replace(/[A-Za-z0-9_-]{20,}/g, (token) => `${token.slice(0, 6)}…`);
}

const START = Symbol('request start');
const LOGGER = Symbol('request logger');
const CHILD = Symbol('request child logger');
type Timed = IncomingMessage & { originalUrl?: string; [START]?: number; [LOGGER]?: Logger; [CHILD]?: Logger };

/**
 * A logger whose lines carry the request's `reqId` (for a handler that logs an error), made when
 * first asked for; undefined for a request the request logger has not seen.
 */
export function requestLog(req: IncomingMessage): Logger | undefined {
  const timed = req as Timed;
  return (timed[CHILD] ??= timed[LOGGER]?.child({ reqId: timed.id }));
}

function levelOf(statusCode: number): 'error' | 'warn' | 'info' {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * One line per request, written when its answer is done: `reqId`, `req` (id, method, safe URL),
 * `res` (status), `responseTime` in milliseconds; never bodies, headers or queries. The line keeps
 * the shape pino-http gave it (the store used it before), without its two child loggers per
 * request: the line is built from plain values when the response closes, and the request's own
 * logger ({@link requestLog}, for handlers that log an error) is made only when a handler asks for
 * it. How the line leaves the process is the logger's destination's business (logger.ts: buffered,
 * never blocking the event loop).
 */
export function requestLogger(logger: Logger): RequestHandler {
  let lastId = 0;
  const logLine = (req: Timed, res: ServerResponse): void => {
    const statusCode = res.statusCode;
    const level = levelOf(statusCode);
    if (!logger.isLevelEnabled(level)) return;
    const line = {
      reqId: req.id,
      req: { id: req.id, method: req.method, url: loggableUrl(req.originalUrl ?? req.url ?? '', requestUrlContainsCardNumber(req)) },
      res: { statusCode },
      responseTime: Date.now() - (req[START] ?? Date.now()),
    };
    if (statusCode >= 500) logger.error({ ...line, err: new Error(`failed with status code ${statusCode}`) }, 'request errored');
    else logger[level](line, 'request completed');
  };
  // One listener for every response (a response closes once): no closure per request.
  function onClose(this: ServerResponse): void {
    logLine(this.req, this);
  }
  return (req, res, next) => {
    const timed = req as Timed;
    timed.id = ++lastId;
    timed[START] = Date.now();
    timed[LOGGER] = logger;
    // 'close' comes after 'finish' for every answer, and alone for one the client cut off.
    res.on('close', onClose);
    next();
  };
}
