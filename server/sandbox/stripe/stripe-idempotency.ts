import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { StripeApiError } from './stripe-api-error';

interface SavedResponse {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
  readonly savedAt: number;
}

/** Stripe keeps idempotency keys for at least 24 hours. */
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * The sandbox runs inside the development store: under a checkout burst every key would stay for
 * a day, so beyond this many the oldest go first (far more than any test replays within).
 */
const MAX_KEYS = 5_000;

/** Request bodies as received, so a replayed key can be compared byte for byte. */
export const rawBodies = new WeakMap<Request, Buffer>();

/**
 * Stripe's idempotent requests: a POST with an `Idempotency-Key` seen before on the same path
 * with the same parameters gets the first response again (header `Idempotent-Replayed: true`),
 * never a second object; the same key with other parameters is an `idempotency_error`. Results
 * are kept once the endpoint ran (2xx and 4xx answers, declines included); authentication
 * failures and server errors are not, so retrying them with the key runs the request.
 */
export function idempotency(): RequestHandler {
  const saved = new Map<string, SavedResponse>();
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('Idempotency-Key');
    if (req.method !== 'POST' || !key) return next();
    // A Map iterates in insertion order, i.e. oldest first: stop at the first key still kept.
    const now = Date.now();
    for (const [k, v] of saved) {
      if (now - v.savedAt <= KEY_LIFETIME_MS && saved.size <= MAX_KEYS) break;
      saved.delete(k);
    }

    const fingerprint = `${req.path}\n${rawBodies.get(req)?.toString('utf8') ?? ''}`;
    const previous = saved.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        const error = new StripeApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
        return res.status(error.status).json(error.toResponse());
      }
      return res.status(previous.status).set('Idempotent-Replayed', 'true').set('Idempotency-Key', key).json(previous.body);
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 500 && res.statusCode !== 401 && res.statusCode !== 429) {
        saved.set(key, { fingerprint, status: res.statusCode, body, savedAt: Date.now() });
      }
      res.set('Idempotency-Key', key);
      return json(body);
    };
    next();
  };
}
