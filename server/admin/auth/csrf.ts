import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '../../domain-error';

/** The form field that carries the CSRF token; JSON requests send the X-CSRF-Token header instead. */
export const CSRF_FIELD = '_csrf';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Methods that change nothing and so need no token. */
export const isSafeMethod = (method: string): boolean => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/**
 * Checks the token a request carries against the expected one (constant time) and removes the
 * form field from the body, so that the body's own validation sees only its real fields.
 * Throws 403 when it is missing or wrong.
 */
export function checkCsrf(req: Request, expected: string | undefined): void {
  const body = req.body as Record<string, unknown> | undefined;
  const fromForm = body && typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined;
  if (body && CSRF_FIELD in body) delete body[CSRF_FIELD];
  const given = fromForm ?? req.get('x-csrf-token');
  if (!expected || !given || !timingSafeEqual(digest(expected), digest(given))) {
    throw new DomainError(
      'forbidden',
      'csrf_failed',
      'This request did not carry a valid CSRF token. Reload the admin page and try again.',
    );
  }
}
