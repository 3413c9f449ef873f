import type { Request, Response } from 'express';
import { ADMIN_COOKIE_OPTIONS, anyStageContext } from './admin-auth';
import type { AdminSessionStage } from './admin-session.entity';
import { SESSION_COOKIE, type AdminSessions } from './admin-sessions';

// What both steps of logging in (password, then the second factor) share.

/** The answer to any login step on a locked account. */
export const LOCKED_MESSAGE = 'Too many failed attempts: this account is locked for 30 minutes.';

/** Where to go after logging in: only a path inside the admin, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(?:[/?#]|$)/.test(next) && !next.includes('\\') ? next : '/admin';
}

/**
 * A login step succeeded: ends whatever session the browser had and starts a new one (a new id,
 * so a session id known before the step is worth nothing after it), setting its cookie.
 * Returns the new session's CSRF token.
 */
export async function replaceSession(sessions: AdminSessions, req: Request, res: Response, adminId: number, stage: AdminSessionStage): Promise<string> {
  await sessions.end(anyStageContext(res)?.token);
  const started = await sessions.start(adminId, stage, req.ip ?? '');
  res.cookie(SESSION_COOKIE, started.token, ADMIN_COOKIE_OPTIONS);
  return started.csrfToken;
}
