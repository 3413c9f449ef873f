// What both steps of logging in (password, then the second factor) share.

/** The answer to any login step on a locked account. */
export const LOCKED_MESSAGE = 'Too many failed attempts: this account is locked for 30 minutes.';

/** Where to go after logging in: only a path inside the admin, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(?:[/?#]|$)/.test(next) && !next.includes('\\') ? next : '/admin';
}
