import { parse as parseCookies } from 'cookie';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../domain-error';
import type { AdminSession } from './admin-session.entity';
import { SESSION_COOKIE, type AdminSessions } from './admin-sessions';
import type { AdminUser } from '../admin-user.entity';

/** The logged-in admin of a request, set by {@link loadAdminSession}. */
export interface AdminContext {
  readonly admin: AdminUser;
  readonly session: AdminSession;
  /** The cookie's token (needed to end or replace the session). */
  readonly token: string;
}

/** Attributes of every admin cookie: HTTPS only, invisible to scripts, never sent cross-site. */
export const ADMIN_COOKIE_OPTIONS: CookieOptions = { secure: true, httpOnly: true, sameSite: 'strict', path: '/' };

/** A request's cookies, parsed from its Cookie header. */
export const requestCookies = (req: Request): Record<string, string | undefined> => parseCookies(req.get('cookie') ?? '');

/** The admin context of a request, or null when nobody is logged in (or only half, before TOTP). */
export const adminContext = (res: Response): AdminContext | null => (res.locals.adminContext as AdminContext | undefined) ?? null;

/** The admin session of a request at any stage, active or waiting for its second factor. */
export const anyStageContext = (res: Response): AdminContext | null => (res.locals.anyStageContext as AdminContext | undefined) ?? null;

/** Reads the session cookie and, when it names a live session, records it on `res.locals`. */
export function loadAdminSession(sessions: AdminSessions): RequestHandler {
  return async (req, res, next) => {
    const token = requestCookies(req)[SESSION_COOKIE];
    const resumed = await sessions.resume(token);
    if (resumed && token) {
      const context: AdminContext = { ...resumed, token };
      res.locals.anyStageContext = context;
      if (resumed.session.stage === 'active') res.locals.adminContext = context;
    }
    next();
  };
}

/** Admin pages: nobody logged in → 303 to the login page, which comes back here afterwards. */
export const requireAdminPage: RequestHandler = (req, res, next) => {
  if (adminContext(res)) return next();
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/admin/login${back}`);
};

/** Admin API: nobody logged in → 401. */
export const requireAdminApi: RequestHandler = (_req, res, next) => {
  if (adminContext(res)) return next();
  next(new DomainError('unauthenticated', 'login_required', 'Log in to the admin first (POST /api/admin/login).'));
};
