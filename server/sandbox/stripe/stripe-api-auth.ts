import type { Request, RequestHandler } from 'express';
import { sameSecret } from '../sandbox-app';
import { StripeApiError } from './stripe-api-error';

/** The secret key of a request: `Authorization: Bearer sk_…`, or Basic with the key as user name. */
function apiKeyOf(req: Request): string | null {
  const header = req.get('Authorization');
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  return basic ? (Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] ?? null) : null;
}

/** 401 as Stripe answers a missing or wrong secret key (the SDK raises StripeAuthenticationError). */
export function authenticate(secretKey: string): RequestHandler {
  return (req, res, next) => {
    const key = apiKeyOf(req);
    if (key && sameSecret(key, secretKey)) return next();
    const message = key
      ? `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
      : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
    res.status(401).json(new StripeApiError(401, { type: 'invalid_request_error', message }).toResponse());
  };
}
