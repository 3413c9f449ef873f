import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { DomainError } from '../../domain-error';

/** Failed login attempts one IP address may make per window, whatever the accounts. */
export const LOGIN_ATTEMPTS_PER_IP = 30;
const WINDOW_MS = 15 * 60 * 1000;

/**
 * Limits login attempts per client address (after `trust proxy`, so behind a proxy it is the
 * visitor's). Per instance: the per-account lockout, kept in the database, is the shared limit.
 */
export function loginRateLimit(): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: LOGIN_ATTEMPTS_PER_IP,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Failed attempts are what guessing produces; an admin logging in many times is not a threat.
    skipSuccessfulRequests: true,
    // The store's TRUST_PROXY setting is explicit configuration, checked in config.ts.
    validate: { trustProxy: false },
    handler: (_req, _res, next) =>
      next(
        new DomainError('rate_limited', 'too_many_attempts', 'Too many login attempts from this address. Wait 15 minutes and try again.'),
      ),
  });
}
