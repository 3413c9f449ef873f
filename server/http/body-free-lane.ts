import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { cardNumberGuard } from './card-number-guard';

/** Whether a request announces a body (the rule body parsers use: any length or transfer coding). */
export function announcesBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

/**
 * Routes read-only requests (GET or HEAD without a body) under `prefixes` straight to `handler`,
 * ahead of the route-class headers, body parsers and body checks that sit between the baseline
 * headers and the routes: with no body there is nothing for the parsers and body checks to do,
 * and the routes served here belong to no route class. The card guard still reads the URL and
 * query first. Anything else, and anything `handler` leaves unanswered, goes down the usual chain;
 * errors go to the app's error handlers as they would from the routes' usual place.
 *
 * Mount it after the logger, the baseline security headers and the HTTPS redirect.
 */
export function bodyFreeLane(prefixes: readonly string[], handler: RequestHandler): RequestHandler {
  const chain = [cardNumberGuard, handler];
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || announcesBody(req) || !prefixes.some((p) => underPrefix(req.path, p))) {
      return next();
    }
    let index = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined) return next(err);
      const handler = chain[index++];
      if (!handler) return next();
      void handler(req, res, step);
    };
    step();
  };
}

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47); /* / */
}
