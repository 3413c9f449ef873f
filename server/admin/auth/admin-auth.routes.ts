import { Router, type Request, type RequestHandler, type Response } from 'express';
import Joi from 'joi';
import type { PageRenderer } from '../../http/page-renderer';
import { DomainError } from '../../domain-error';
import { validate } from '../../validation';
import { randomToken, TOKEN_PATTERN } from '../../random-token';
import { adminContext, anyStageContext, requestCookies, requireAdminApi } from './admin-auth';
import type { AdminLogin, LoginResult } from './admin-login';
import { ADMIN_COOKIE_OPTIONS, endSession, startSession } from './admin-sessions';
import { recordAudit } from '../audit-log';
import { checkCsrf } from './csrf';
import { LOCKED_MESSAGE, safeNext } from './login-step';
import { MAX_PASSWORD_LENGTH } from './password-hashing';
import type { DataSource } from 'typeorm';
import { formField } from '../../http/form-field';

/** Before login there is no session: the login form's CSRF token is a double-submit cookie. */
const LOGIN_CSRF_COOKIE = '__Host-padlock_login_csrf';

const loginBody = Joi.object<{ email: string; password: string; next?: string }>({
  email: Joi.string().trim().max(254).required(),
  password: Joi.string()
    .max(MAX_PASSWORD_LENGTH * 4)
    .required(),
  next: Joi.string().allow('').max(500),
});

/** The login form's token: the one in the visitor's cookie, or a new one (set on the response). */
function loginCsrfToken(req: Request, res: Response): string {
  const existing = requestCookies(req)[LOGIN_CSRF_COOKIE];
  if (existing && TOKEN_PATTERN.test(existing)) return existing;
  const token = randomToken();
  res.cookie(LOGIN_CSRF_COOKIE, token, ADMIN_COOKIE_OPTIONS);
  return token;
}

/** Dependencies of the login routes. */
export interface AdminAuthDeps {
  readonly dataSource: DataSource;
  readonly login: AdminLogin;
  readonly pages: PageRenderer;
  /** The per-address limit on failed attempts, shared with the second step. */
  readonly limit: RequestHandler;
}

const WRONG_MESSAGE = 'Wrong email or password.';

/**
 * Logging in and out, as pages (`/admin/login`, `/admin/logout`) and as JSON
 * (`/api/admin/csrf`, `/api/admin/login`, `/api/admin/logout`, `/api/admin/me`).
 * A successful login always starts a new session (a new id) and ends any the browser had; logout
 * ends the session on the server. Mount after the session middleware and `loadAdminSession`.
 */
export function adminAuthRoutes(deps: AdminAuthDeps): { pages: Router; api: Router } {
  const { login, pages, limit } = deps;

  /** Checks the password and, when it is right, replaces the browser's session with a new one. */
  async function attempt(req: Request, res: Response): Promise<{ result: LoginResult; csrfToken?: string }> {
    checkCsrf(req, requestCookies(req)[LOGIN_CSRF_COOKIE]);
    const { email, password } = validate(loginBody, req.body, 'login form');
    const result = await login.checkPassword(email, password, req.ip ?? '');
    if (result.kind !== 'ok' && result.kind !== 'needs_totp') return { result };
    const csrfToken = await startSession(req, result.admin.id, result.kind === 'ok' ? 'active' : 'needs_totp');
    res.clearCookie(LOGIN_CSRF_COOKIE, ADMIN_COOKIE_OPTIONS);
    return { result, csrfToken };
  }

  async function logout(req: Request, res: Response): Promise<void> {
    const context = anyStageContext(res);
    if (!context) throw new DomainError('unauthenticated', 'login_required', 'Nobody is logged in.');
    checkCsrf(req, context.session.csrfToken);
    await endSession(req, res);
    await recordAudit(deps.dataSource, {
      adminId: context.admin.id,
      actor: context.admin.email,
      action: 'logout',
      outcome: 'success',
      ip: req.ip ?? '',
    });
  }

  const pageRouter = Router();
  const renderLogin = (req: Request, res: Response, view: { email?: string; error?: string; notice?: string; next?: string }) =>
    pages.render(
      'admin/login',
      'Log in',
      {
        email: view.email ?? '',
        error: view.error ?? null,
        notice: view.notice ?? null,
        next: view.next ?? '',
        csrfToken: loginCsrfToken(req, res),
      },
      { layout: 'admin/layout' },
    );

  pageRouter.get('/login', (req, res) => {
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    if (adminContext(res)) {
      res.redirect(303, safeNext(next));
      return;
    }
    const notice =
      req.query.bye !== undefined
        ? 'You are logged out.'
        : req.query.expired !== undefined
          ? 'Your session ended. Please log in again.'
          : undefined;
    res.type('html').send(renderLogin(req, res, { next, ...(notice ? { notice } : {}) }));
  });

  pageRouter.post('/login', limit, async (req, res) => {
    const email = formField(req.body, 'email');
    const next = formField(req.body, 'next');
    const { result } = await attempt(req, res);
    if (result.kind === 'ok') res.redirect(303, safeNext(next));
    else if (result.kind === 'needs_totp') res.redirect(303, `/admin/login/totp?next=${encodeURIComponent(safeNext(next))}`);
    else
      res
        .status(result.kind === 'locked' ? 423 : 401)
        .type('html')
        .send(renderLogin(req, res, { email, next, error: result.kind === 'locked' ? LOCKED_MESSAGE : WRONG_MESSAGE }));
  });

  pageRouter.post('/logout', async (req, res) => {
    await logout(req, res);
    res.redirect(303, '/admin/login?bye');
  });

  const apiRouter = Router();
  apiRouter.get('/csrf', (req, res) => {
    const context = adminContext(res);
    res.json({ csrfToken: context ? context.session.csrfToken : loginCsrfToken(req, res) });
  });
  apiRouter.post('/login', limit, async (req, res) => {
    const { result, csrfToken } = await attempt(req, res);
    if (result.kind === 'locked') throw new DomainError('locked', 'account_locked', LOCKED_MESSAGE);
    if (result.kind === 'wrong') throw new DomainError('unauthenticated', 'wrong_credentials', WRONG_MESSAGE);
    if (result.kind === 'needs_totp') res.status(202).json({ status: 'needs_totp', csrfToken });
    else res.json({ status: 'logged_in', email: result.admin.email, csrfToken });
  });
  apiRouter.post('/logout', async (req, res) => {
    await logout(req, res);
    res.status(204).end();
  });
  apiRouter.get('/me', requireAdminApi, (_req, res) => {
    const context = adminContext(res)!;
    res.json({ email: context.admin.email, csrfToken: context.session.csrfToken, totp: context.admin.totpEnabledAt !== null });
  });

  return { pages: pageRouter, api: apiRouter };
}
