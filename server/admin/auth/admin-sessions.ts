import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { DataSource } from 'typeorm';
import type { SecretKeyring } from '../../db/secret-envelope';
import { randomToken } from '../../random-token';
import { cookieSigningSecret } from './session-secret';
import { TypeormSessionStore, type SessionLimits } from './typeorm-session-store';

/** Where a session is: past the password but before the TOTP code, or fully logged in. */
export type AdminSessionStage = 'needs_totp' | 'active';

declare module 'express-session' {
  /** What an admin session holds (in `admin_sessions.data`). Set only by a login step, with a new session id. */
  interface SessionData {
    /** The admin who passed the password step. */
    adminId: number;
    stage: AdminSessionStage;
    /** Sent with every state-changing request (form field or X-CSRF-Token header). */
    csrfToken: string;
  }
}

/** The admin session cookie. `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = '__Host-padlock_admin';
/** A session unused for longer than this is over. */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * Attributes of every admin cookie: HTTPS only, invisible to scripts, never sent cross-site, and
 * no Expires (the browser forgets it when it closes; the server ends it sooner).
 */
export const ADMIN_COOKIE_OPTIONS: CookieOptions = { secure: true, httpOnly: true, sameSite: 'strict', path: '/' };

/**
 * Admin sessions on `express-session`, kept in the database by {@link TypeormSessionStore}: a
 * session ends after {@link IDLE_TIMEOUT_MS} without a request, `maxHours` after its login
 * whatever happens, or at logout. Mount {@link AdminSessions.middleware} before anything that
 * reads `req.session`; call {@link AdminSessions.sweep} now and then to delete the ended ones.
 */
export class AdminSessions {
  private readonly store: TypeormSessionStore;
  private handler: Promise<RequestHandler> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    clock: () => Date,
    maxHours: number,
    private readonly secrets: SecretKeyring,
  ) {
    const limits: SessionLimits = { idleMs: IDLE_TIMEOUT_MS, maxAgeMs: maxHours * 60 * 60 * 1000 };
    this.store = new TypeormSessionStore(dataSource, clock, limits);
  }

  /** Loads the request's session into `req.session` (a new, unsaved one when it has none). */
  readonly middleware: RequestHandler = async (req, res, next) => {
    (await this.sessionHandler())(req, res, next);
  };

  /** Deletes the sessions that have ended (idle or too old); returns how many. */
  sweep(): Promise<number> {
    return this.store.sweep();
  }

  // The signing secret lives in the database, so the middleware is built at the first request
  // (and again at the next one if reading the secret failed).
  private sessionHandler(): Promise<RequestHandler> {
    this.handler ??= cookieSigningSecret(this.dataSource, this.secrets).then(
      (secret) =>
        session({
          name: SESSION_COOKIE,
          store: this.store,
          secret,
          genid: () => randomToken(),
          cookie: { ...ADMIN_COOKIE_OPTIONS },
          // Nothing is stored before a login step puts something in the session; the store's
          // touch keeps the idle count rolling without rewriting the session.
          saveUninitialized: false,
          resave: false,
          rolling: false,
        }),
      (err: unknown) => {
        this.handler = undefined;
        throw err;
      },
    );
    return this.handler;
  }
}

const callback = (resolve: () => void, reject: (err: unknown) => void) => (err?: unknown) => (err ? reject(err) : resolve());

/**
 * A login step succeeded: puts the admin into a brand-new session. The request's session (if any)
 * is destroyed in the store and a new one, with a new id and a new CSRF token, is saved, so a
 * session id known before the step is worth nothing after it; its cookie goes out with the
 * response. Returns the new CSRF token.
 */
export async function startSession(req: Request, adminId: number, stage: AdminSessionStage): Promise<string> {
  await new Promise<void>((resolve, reject) => req.session.regenerate(callback(resolve, reject)));
  const csrfToken = randomToken();
  Object.assign(req.session, { adminId, stage, csrfToken });
  await new Promise<void>((resolve, reject) => req.session.save(callback(resolve, reject)));
  return csrfToken;
}

/**
 * Deletes the request's session from the store, leaving the request its in-memory copy (which
 * nothing saves again unless a login step replaces it): the cookie names nothing from now on.
 */
export async function forgetSession(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.sessionStore.destroy(req.sessionID, callback(resolve, reject)));
}

/** Ends the request's session on the server (every instance) and tells the browser to drop its cookie. */
export async function endSession(req: Request, res: Response): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy(callback(resolve, reject)));
  res.clearCookie(SESSION_COOKIE, ADMIN_COOKIE_OPTIONS);
}
