import { randomBytes } from 'node:crypto';

/** Shape of every token made by {@link randomToken}: 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * An unguessable identifier (256 random bits, base64url) for carts, checkouts and shopper-facing
 * order links: knowing one is what grants access, so it must never be sequential.
 */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
