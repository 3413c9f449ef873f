import { Router, type Request, type RequestHandler, type Response } from 'express';
import Joi from 'joi';
import type { PageRenderer } from '../../http/page-renderer';
import { DomainError } from '../../domain-error';
import { validate } from '../../validation';
import { adminContext, anyStageContext, type AdminContext } from './admin-auth';
import { endSession, startSession } from './admin-sessions';
import { checkCsrf } from './csrf';
import { LOCKED_MESSAGE, safeNext } from './login-step';
import type { SecondFactorResult, TotpLogin } from './totp-login';
import { formField } from '../../http/form-field';

// Long enough for a recovery code typed with spaces; the checks themselves decide what is right.
const code = Joi.string().trim().max(32).required();
const pageBody = Joi.object<{ code: string; next?: string }>({ code, next: Joi.string().allow('').max(500) });
const apiBody = Joi.object<{ code: string }>({ code });

const WRONG_MESSAGE = 'That code is not right. Type the 6-digit code your authenticator app shows now, or one of your recovery codes.';
const REPLAYED_MESSAGE = 'That code was already used. Wait for your authenticator app to show the next one.';

/** Dependencies of the second login step. */
export interface TotpLoginRouteDeps {
  readonly secondFactor: TotpLogin;
  readonly pages: PageRenderer;
  /** The per-address limit on failed attempts, shared with the password step. */
  readonly limit: RequestHandler;
}

/** The session of a request that has passed the password and waits for its code, or null. */
function waitingForCode(res: Response): AdminContext | null {
  const context = anyStageContext(res);
  return context?.session.stage === 'needs_totp' ? context : null;
}

/**
 * The second step of logging in for admins with two-step login: `GET/POST /admin/login/totp` and
 * `POST /api/admin/login/totp` `{ code }` (with the half-logged-in session's CSRF token). A right
 * code replaces the session with a new, active one; a lockout ends the half-logged-in session.
 */
export function adminTotpLoginRoutes(deps: TotpLoginRouteDeps): { pages: Router; api: Router } {
  const { secondFactor, pages, limit } = deps;

  /** Checks the code; on success the browser gets a new active session, whose CSRF token is returned. */
  async function attempt(
    req: Request,
    res: Response,
    context: AdminContext,
    schema: Joi.ObjectSchema,
  ): Promise<{ result: SecondFactorResult; csrfToken?: string }> {
    checkCsrf(req, context.session.csrfToken);
    const body = validate<{ code: string }>(schema, req.body, 'code form');
    const result = await secondFactor.checkCode(context.admin.id, body.code, req.ip ?? '');
    if (result.kind === 'ok') return { result, csrfToken: await startSession(req, result.admin.id, 'active') };
    if (result.kind === 'locked') await endSession(req, res);
    return { result };
  }

  const pageRouter = Router();
  const renderForm = (view: { csrfToken: string; next: string; error?: string; locked?: boolean }) =>
    pages.render('admin/login-totp', 'Two-step login', { error: null, locked: false, ...view }, { layout: 'admin/layout' });

  pageRouter.get('/login/totp', (req, res) => {
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    const context = waitingForCode(res);
    if (adminContext(res)) res.redirect(303, safeNext(next));
    else if (!context) res.redirect(303, `/admin/login?next=${encodeURIComponent(safeNext(next))}`);
    else res.type('html').send(renderForm({ csrfToken: context.session.csrfToken, next }));
  });

  pageRouter.post('/login/totp', limit, async (req, res) => {
    const next = formField(req.body, 'next');
    const context = waitingForCode(res);
    if (!context) {
      res.redirect(303, adminContext(res) ? safeNext(next) : '/admin/login?expired');
      return;
    }
    const { result } = await attempt(req, res, context, pageBody);
    if (result.kind === 'ok') res.redirect(303, safeNext(next));
    else if (result.kind === 'locked')
      res
        .status(423)
        .type('html')
        .send(renderForm({ csrfToken: '', next, error: LOCKED_MESSAGE, locked: true }));
    else
      res
        .status(401)
        .type('html')
        .send(
          renderForm({ csrfToken: context.session.csrfToken, next, error: result.kind === 'replayed' ? REPLAYED_MESSAGE : WRONG_MESSAGE }),
        );
  });

  const apiRouter = Router();
  apiRouter.post('/login/totp', limit, async (req, res) => {
    const context = waitingForCode(res);
    if (adminContext(res)) throw new DomainError('conflict', 'already_logged_in', 'This session is already logged in.');
    if (!context)
      throw new DomainError(
        'unauthenticated',
        'login_required',
        'No login is waiting for a code: log in with your password first (POST /api/admin/login).',
      );
    const { result, csrfToken } = await attempt(req, res, context, apiBody);
    if (result.kind === 'locked') throw new DomainError('locked', 'account_locked', LOCKED_MESSAGE);
    if (result.kind === 'wrong') throw new DomainError('unauthenticated', 'wrong_code', WRONG_MESSAGE);
    if (result.kind === 'replayed') throw new DomainError('unauthenticated', 'code_already_used', REPLAYED_MESSAGE);
    res.json({ status: 'logged_in', email: result.admin.email, csrfToken });
  });

  return { pages: pageRouter, api: apiRouter };
}
