import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { createAdmin } from '../../server/admin/auth/admin-accounts';
import { isDomainError } from '../../server/domain-error';
import { registerSecrets } from './secret-scan';
import type { TestStore } from './test-store';

/** The admin every admin test logs in as. */
export const ADMIN = { email: 'admin@shop.test', password: 'a long admin passphrase' } as const;

/** A separate cookie jar speaking HTTPS to the store: one browser. */
export function adminBrowser(store: TestStore): request.Agent {
  return request.agent(store.storeUrl, { ca: store.tls.cert });
}

/** Creates the test admin (once per store). */
export async function ensureAdmin(store: TestStore, email: string = ADMIN.email, password: string = ADMIN.password): Promise<void> {
  registerSecrets('admin password', [password]);
  await createAdmin(store.dataSource, email, password).catch((error: unknown) => {
    if (!isDomainError(error, 'conflict')) throw error;
  });
}

/** The hidden CSRF field of a page's form. */
export function formCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF field in:\n${html.slice(0, 500)}`);
  return match[1];
}

/** Fills the login form as a browser does (GET for its token, then POST); returns the POST's response. */
export async function submitLogin(browser: request.Agent, email: string, password: string): Promise<request.Response> {
  const form = await browser.get('/admin/login').expect(200);
  return browser
    .post('/admin/login')
    .type('form')
    .send({ _csrf: formCsrf(form.text), email, password, next: '' });
}

/** Logs in through the form and returns the session's CSRF token (from the start page). */
export async function logInAdmin(browser: request.Agent, email: string = ADMIN.email, password: string = ADMIN.password): Promise<string> {
  const res = await submitLogin(browser, email, password);
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${res.text.slice(0, 300)}`);
  return formCsrf((await browser.get('/admin').expect(200)).text);
}

/** The value of a cookie set by a response. */
export function setCookie(res: request.Response, name: string): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const line = header?.find((c) => c.startsWith(`${name}=`));
  return line ? decodeURIComponent(line.slice(name.length + 1).split(';')[0]) : undefined;
}

/** A signed admin session cookie's value: `s:` + the session id + `.` + its HMAC-SHA256 (base64). */
export const SIGNED_SESSION_COOKIE = /^s:([A-Za-z0-9_-]{43})\.[A-Za-z0-9+/]{43}$/;

/** The session id inside a session cookie's value (throws when the value is not a signed session cookie). */
export function sessionIdOf(cookieValue: string): string {
  const match = SIGNED_SESSION_COOKIE.exec(cookieValue);
  if (!match) throw new Error(`not a signed session cookie: ${cookieValue}`);
  return match[1];
}

/** The SHA-256 (hex) of every session id the store's sessions table holds. */
export async function storedSessionHashes(store: TestStore): Promise<string[]> {
  const rows: { sid_hash: string }[] = await store.dataSource.query('SELECT sid_hash FROM admin_sessions');
  return rows.map((r) => r.sid_hash);
}

/** The code an authenticator app shows for `secret` at `at` (pass the store's clock). */
export function totpCode(secret: string, at: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at.getTime() });
}

/** Logs in through the JSON API with the password: 200 logged in, or 202 when a code is needed. */
export async function apiLogin(
  browser: request.Agent,
  email: string = ADMIN.email,
  password: string = ADMIN.password,
): Promise<request.Response> {
  const { csrfToken } = (await browser.get('/api/admin/csrf').expect(200)).body as { csrfToken: string };
  return browser.post('/api/admin/login').set('X-CSRF-Token', csrfToken).send({ email, password });
}

/** Turns on two-step login for the browser's (logged-in) admin through the JSON API. */
export async function enableTotp(
  browser: request.Agent,
  csrfToken: string,
  now: () => Date,
  password: string = ADMIN.password,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = (await browser.post('/api/admin/account/totp').set('X-CSRF-Token', csrfToken).send({ password }).expect(200)).body as {
    secret: string;
  };
  const confirmed = await browser
    .post('/api/admin/account/totp/confirm')
    .set('X-CSRF-Token', csrfToken)
    .send({ code: totpCode(secret, now()) })
    .expect(200);
  return { secret, recoveryCodes: (confirmed.body as { recoveryCodes: string[] }).recoveryCodes };
}
