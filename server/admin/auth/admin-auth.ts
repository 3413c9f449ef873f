import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../domain-error';
import { forgetSession, type AdminSessionStage } from './admin-sessions';
import { AdminUser } from '../admin-user.entity';

/** What the admin's session says about the login, beside the admin. */
export interface AdminSessionState {
  readonly stage: AdminSessionStage;
  /** Every state-changing request of this session must carry it. */
  readonly csrfToken: string;
}

/** The logged-in admin of a request, set by {@link loadAdminSession}. */
export interface AdminContext {
  readonly admin: AdminUser;
  readonly session: AdminSessionState;
}

/** A request's cookies, parsed from its Cookie header. */
export const requestCookies = (req: Request): Record<string, string | undefined> => parseCookies(req.get('cookie') ?? '');

/** The admin context of a request, or null when nobody is logged in (or only half, before TOTP). */
export const adminContext = (res: Response): AdminContext | null => (res.locals.adminContext as AdminContext | undefined) ?? null;

/** The admin session of a request at any stage, active or waiting for its second factor. */
export const anyStageContext = (res: Response): AdminContext | null => (res.locals.anyStageContext as AdminContext | undefined) ?? null;

/**
 * After the session middleware: when the request's session names an admin, records the admin and
 * the session's state on `res.locals`. A session whose account is gone is deleted (and the request
 * goes on as anonymous).
 */
export function loadAdminSession(dataSource: DataSource): RequestHandler {
  return async (req, res, next) => {
    const { adminId, stage, csrfToken } = req.session;
    if (adminId === undefined || stage === undefined || csrfToken === undefined) return next();
    const admin = await dataSource.getRepository(AdminUser).findOneBy({ id: adminId });
    if (!admin) {
      await forgetSession(req);
      return next();
    }
    const context: AdminContext = { admin, session: { stage, csrfToken } };
    res.locals.anyStageContext = context;
    if (stage === 'active') res.locals.adminContext = context;
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
