import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo, type Store } from 'express-rate-limit';
import { DomainError } from '../domain-error';

const MINUTE = 60_000;

/** One rate limit: how many requests one client may make per fixed window, and what it is told when refused. */
export interface RateLimitPolicy {
  /** Names the limit's counters in the store and in the `RateLimit` headers (at most 32 characters). */
  readonly name: string;
  /** Requests per window at RATE_LIMIT_FACTOR=1. */
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Who a counter belongs to: the client's address (after `trust proxy`), or the route and the
   * address (callbacks: each gateway's route counts apart).
   */
  readonly per: 'address' | 'route-and-address';
  /** Which requests count: all of them, only the unsafe methods, or only those not answered 1xx–3xx. */
  readonly counts: 'all' | 'writes' | 'failures';
  readonly code: string;
  /** What the client is told, completed with how long to wait. */
  readonly refusal: string;
}

/**
 * The store's rate limits at RATE_LIMIT_FACTOR=1. Each is far above what a shopper, an admin or a
 * gateway does (README, Security), so only scripted abuse meets them.
 */
export const RATE_LIMITS = {
  /** Creating carts and adding, changing or removing items (checkouts too: they are POSTs under /api/carts). */
  cartWrites: {
    name: 'cart_writes',
    limit: 600,
    windowMs: 10 * MINUTE,
    per: 'address',
    counts: 'writes',
    code: 'too_many_requests',
    refusal: 'Too many cart changes from this address.',
  },
  checkoutCreation: {
    name: 'checkout_creation',
    limit: 120,
    windowMs: 10 * MINUTE,
    per: 'address',
    counts: 'all',
    code: 'too_many_requests',
    refusal: 'Too many checkouts started from this address.',
  },
  /** Order pages, found or not: guesses count too. A confirming order page reloads every 3 s (200 per window). */
  orderLookups: {
    name: 'order_lookups',
    limit: 600,
    windowMs: 10 * MINUTE,
    per: 'address',
    counts: 'all',
    code: 'too_many_requests',
    refusal: 'Too many order pages requested from this address.',
  },
  cspReports: {
    name: 'csp_reports',
    limit: 600,
    windowMs: 10 * MINUTE,
    per: 'address',
    counts: 'all',
    code: 'too_many_requests',
    refusal: 'Too many reports from this address.',
  },
  /**
   * Gateway callbacks that could not be verified (mounted with {@link countingRefusals}): a verified
   * delivery never touches the limit, or the database before it is verified; per route and address,
   * so nobody else's forged callbacks can use up a gateway's.
   */
  callbacks: {
    name: 'callbacks',
    limit: 3000,
    windowMs: 10 * MINUTE,
    per: 'route-and-address',
    counts: 'all',
    code: 'too_many_requests',
    refusal: 'Too many refused callbacks from this address.',
  },
  /** Failed admin logins per address; the per-account lockout is the other guard. */
  adminLogin: {
    name: 'admin_login',
    limit: 30,
    windowMs: 15 * MINUTE,
    per: 'address',
    counts: 'failures',
    code: 'too_many_attempts',
    refusal: 'Too many login attempts from this address.',
  },
} as const satisfies Record<string, RateLimitPolicy>;

/** What every limiter is built with. */
export interface RateLimiterDeps {
  /** A new store for the named limit's counters (one per limiter). */
  readonly storeFor: (name: string) => Store;
  /** RATE_LIMIT_FACTOR: multiplies every limit. */
  readonly factor: number;
  /** The clock the store counts windows by, so that `Retry-After` agrees with it. */
  readonly clock: () => Date;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The limit a policy has under RATE_LIMIT_FACTOR `factor` (never below one request). */
export function scaledLimit(policy: RateLimitPolicy, factor: number): number {
  return Math.max(1, Math.floor(policy.limit * factor));
}

/**
 * Middleware enforcing `policy`: it counts the request, sets the `RateLimit` and `RateLimit-Policy`
 * headers (IETF draft 8), and past the limit answers through the error handlers (JSON for the API,
 * a page for page routes) with DomainError `rate_limited` (429) and `Retry-After`.
 */
export function rateLimiter(policy: RateLimitPolicy, deps: RateLimiterDeps): RequestHandler {
  const secondsLeft = (req: Request): number => {
    const resetTime = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
    return resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - deps.clock().getTime()) / 1000)) : Math.ceil(policy.windowMs / 1000);
  };
  return rateLimit({
    windowMs: policy.windowMs,
    limit: scaledLimit(policy, deps.factor),
    store: deps.storeFor(policy.name),
    identifier: policy.name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const address = ipKeyGenerator(req.ip ?? '');
      return policy.per === 'address' ? address : `${req.baseUrl}${req.path}`.slice(0, 200) + `\n${address}`;
    },
    skip: (req) => policy.counts === 'writes' && SAFE_METHODS.has(req.method),
    skipSuccessfulRequests: policy.counts === 'failures',
    // The store's TRUST_PROXY setting is explicit configuration, checked in config.ts.
    validate: { trustProxy: false },
    retryAfter: secondsLeft,
    handler: (req, _res, next) =>
      next(new DomainError('rate_limited', policy.code, `${policy.refusal} Try again ${waitText(secondsLeft(req))}.`)),
  });
}

/**
 * Runs `limiter` as error middleware, only for requests that failed with an error `counted`
 * accepts: the limit then counts those refusals alone, and past it the refusal becomes a 429.
 */
export function countingRefusals(limiter: RequestHandler, counted: (err: unknown) => boolean): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (!counted(err)) return next(err);
    void limiter(req, res, (limitErr?: unknown) => next(limitErr ?? err));
  };
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? 'in 1 second' : `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
}

/** One limiter per entry of RATE_LIMITS, each to be mounted once. */
export type RateLimiters = { readonly [K in keyof typeof RATE_LIMITS]: RequestHandler };

/** Builds every limiter of {@link RATE_LIMITS}, each with a store of its own from `deps.storeFor`. */
export function rateLimiters(deps: RateLimiterDeps): RateLimiters {
  const entries = Object.entries(RATE_LIMITS).map(([key, policy]) => [key, rateLimiter(policy, deps)]);
  return Object.fromEntries(entries) as RateLimiters;
}
