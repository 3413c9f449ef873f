import { createHash } from 'node:crypto';
import type request from 'supertest';
import { SESSION_COOKIE } from '../../server/admin/auth/admin-sessions';
import {
  ADMIN,
  adminBrowser,
  apiLogin,
  enableTotp,
  ensureAdmin,
  formCsrf,
  logInAdmin,
  sessionIdOf,
  setCookie,
  SIGNED_SESSION_COOKIE,
  storedSessionHashes,
  submitLogin,
  totpCode,
} from '../support/admin';
import { useTestStore } from '../support/test-store';

// Two-step login (TOTP) for admins over real HTTPS, on SQLite and on MariaDB: set-up, the second
// login step, replays, recovery codes, lockout, turning it off, and what must never be written down.

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const PAGES_ADMIN = { email: 'pages@shop.test', password: 'the pages admin passphrase' } as const;
const LOCKED_ADMIN = { email: 'locked-totp@shop.test', password: 'the locked admin passphrase' } as const;

interface AuditRow {
  action: string;
  outcome: string;
  detail: string | null;
}

interface AdminRow {
  totp_secret: string | null;
  totp_enabled_at: unknown;
  failed_logins: number;
  locked_until: unknown;
}

describe('two-step login (TOTP) for admins', () => {
  const store = useTestStore();
  // Everything that must never reach the audit log or the logs.
  const secrets: string[] = [];
  const recoveryCodes: string[] = [];
  const typedCodes = new Set<string>();

  beforeAll(async () => {
    await ensureAdmin(store);
    await ensureAdmin(store, PAGES_ADMIN.email, PAGES_ADMIN.password);
    await ensureAdmin(store, LOCKED_ADMIN.email, LOCKED_ADMIN.password);
  });

  /** The code the admin's app shows now (on the store's clock), remembered for the leak checks. */
  const codeNow = (secret: string, offsetSeconds = 0): string => {
    const code = totpCode(secret, new Date(store.clock.now().getTime() + offsetSeconds * 1000));
    typedCodes.add(code);
    return code;
  };
  /** A code that is right for no step in the accepted window. */
  const wrongCode = (secret: string): string => {
    const near = [-30, 0, 30].map((s) => totpCode(secret, new Date(store.clock.now().getTime() + s * 1000)));
    return ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c))!;
  };
  const adminRow = async (email: string): Promise<AdminRow> =>
    (
      await store.dataSource.query<AdminRow[]>(
        'SELECT totp_secret, totp_enabled_at, failed_logins, locked_until FROM admin_users WHERE email = ?',
        [email],
      )
    )[0];
  const unusedRecoveryCodes = async (email: string): Promise<number> => {
    const rows: { n: number | string }[] = await store.dataSource.query(
      'SELECT COUNT(*) AS n FROM admin_recovery_codes c JOIN admin_users u ON u.id = c.admin_id WHERE u.email = ? AND c.used_at IS NULL',
      [email],
    );
    return Number(rows[0].n);
  };
  const audit = (email: string): Promise<AuditRow[]> =>
    store.dataSource.query("SELECT action, outcome, detail FROM admin_audit_log WHERE actor = ? AND action <> 'logout' ORDER BY id", [
      email,
    ]);
  const postCode = (browser: request.Agent, csrfToken: string, code: string) =>
    browser.post('/api/admin/login/totp').set('X-CSRF-Token', csrfToken).send({ code });

  describe('through the pages', () => {
    const browser = () => pagesBrowser;
    let pagesBrowser: request.Agent;
    let csrf: string;
    let secret: string;

    beforeAll(async () => {
      pagesBrowser = adminBrowser(store);
      csrf = await logInAdmin(pagesBrowser, PAGES_ADMIN.email, PAGES_ADMIN.password);
    });

    it('the account page offers it; setting up shows an inline QR code and the key, and nothing changes until confirmed', async () => {
      const page = await browser().get('/admin/account').expect(200);
      expect(page.text).toContain('Two-step login is <strong>off</strong>');
      expect(page.text).toMatch(/<a href="\/admin\/account" aria-current="page">Account<\/a>/);
      await browser().post('/admin/account/totp').type('form').send({}).expect(403);
      expect((await adminRow(PAGES_ADMIN.email)).totp_secret).toBeNull();

      // The current password is asked first: a stolen session alone cannot bind someone else's app.
      const noPassword = await browser().post('/admin/account/totp').type('form').send({ _csrf: csrf }).expect(400);
      expect(noPassword.text).toContain('&quot;password&quot; is required');
      const wrongPassword = await browser()
        .post('/admin/account/totp')
        .type('form')
        .send({ _csrf: csrf, password: 'not my password at all' })
        .expect(403);
      expect(wrongPassword.text).toContain('That is not your current password, so two-step login was not set up.');
      expect((await adminRow(PAGES_ADMIN.email)).totp_secret).toBeNull();
      const started = await browser()
        .post('/admin/account/totp')
        .type('form')
        .send({ _csrf: csrf, password: PAGES_ADMIN.password })
        .expect(303);
      expect(started.headers.location).toBe('/admin/account');
      const pending = await browser().get('/admin/account').expect(200);
      expect(pending.text).toMatch(
        /<figure class="qr"><svg role="img" aria-label="QR code to scan with your authenticator app"[^>]*viewBox="0 0 \d+ \d+"/,
      );
      const key = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(pending.text)![1];
      expect(key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      secret = key.replace(/ /g, '');
      secrets.push(secret);
      const row = await adminRow(PAGES_ADMIN.email);
      // Stored encrypted (SECRETS_KEY): the key shown to the admin is nowhere in the row.
      expect(row.totp_secret).toMatch(/^sealed:v1:[0-9a-f]{8}:/);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(row.totp_enabled_at).toBeNull();
      // Pending is not on: the password alone still logs in.
      expect((await submitLogin(adminBrowser(store), PAGES_ADMIN.email, PAGES_ADMIN.password)).headers.location).toBe('/admin');
    });

    it('a wrong code does not turn it on; the right one does and shows ten recovery codes once, stored only as hashes', async () => {
      const wrong = await browser()
        .post('/admin/account/totp/confirm')
        .type('form')
        .send({ _csrf: csrf, code: wrongCode(secret) })
        .expect(400);
      expect(wrong.text).toContain('That code is not right.');
      expect((await adminRow(PAGES_ADMIN.email)).totp_enabled_at).toBeNull();
      await browser()
        .post('/admin/account/totp/confirm')
        .type('form')
        .send({ _csrf: csrf, code: codeNow(secret), role: 'owner' })
        .expect(400);

      const confirmed = await browser()
        .post('/admin/account/totp/confirm')
        .type('form')
        .send({ _csrf: csrf, code: codeNow(secret) })
        .expect(200);
      expect(confirmed.text).toContain('Two-step login is <strong>on</strong>');
      const shown = [...confirmed.text.matchAll(/<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})<\/code><\/li>/g)].map((m) => m[1]);
      expect(new Set(shown).size).toBe(10);
      recoveryCodes.push(...shown);
      const stored: { code_hash: string }[] = await store.dataSource.query(
        'SELECT c.code_hash FROM admin_recovery_codes c JOIN admin_users u ON u.id = c.admin_id WHERE u.email = ?',
        [PAGES_ADMIN.email],
      );
      expect(stored).toHaveLength(10);
      expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash))).toBe(true);
      expect(JSON.stringify(stored)).not.toContain(shown[0].slice(0, 4));
      const later = await browser().get('/admin/account').expect(200);
      expect(later.text).toContain('10 of 10 recovery codes are unused');
      expect(later.text).not.toContain(shown[0]);
      expect(later.text).not.toContain('<svg');
    });

    it('after the password alone nothing of the admin opens (pages 303, API 401) until the code is typed', async () => {
      const half = adminBrowser(store);
      const form = await half.get('/admin/login?next=%2Fadmin%2Faccount').expect(200);
      const login = await half
        .post('/admin/login')
        .type('form')
        .send({ _csrf: formCsrf(form.text), email: PAGES_ADMIN.email, password: PAGES_ADMIN.password, next: '/admin/account' })
        .expect(303);
      expect(login.headers.location).toBe('/admin/login/totp?next=%2Fadmin%2Faccount');
      expect(setCookie(login, SESSION_COOKIE)).toMatch(SIGNED_SESSION_COOKIE);
      expect((await half.get('/admin').expect(303)).headers.location).toBe('/admin/login?next=%2Fadmin');
      await half.get('/admin/account').expect(303);
      await half.get('/admin/orders').expect(303);
      await half.get('/api/admin/me').expect(401);
      await half.get('/api/admin/orders').expect(401);
      const step = await half.get('/admin/login/totp?next=%2Fadmin%2Faccount').expect(200);
      expect(step.text).toContain('<label for="code">Code</label>');
      await half
        .post('/api/admin/account/totp/disable')
        .set('X-CSRF-Token', formCsrf(step.text))
        .send({ password: PAGES_ADMIN.password })
        .expect(401);
      expect((await adminRow(PAGES_ADMIN.email)).totp_enabled_at).not.toBeNull();
    });

    it('a wrong code answers 401 on the form; the right one starts a new session and goes where the admin was going', async () => {
      store.clock.advanceMinutes(1); // the code that confirmed the set-up is used up
      const half = adminBrowser(store);
      const form = await half.get('/admin/login?next=%2Fadmin%2Faccount').expect(200);
      const login = await half
        .post('/admin/login')
        .type('form')
        .send({ _csrf: formCsrf(form.text), email: PAGES_ADMIN.email, password: PAGES_ADMIN.password, next: '/admin/account' })
        .expect(303);
      const halfToken = setCookie(login, SESSION_COOKIE)!;
      const step = await half.get(login.headers.location).expect(200);
      const stepCsrf = formCsrf(step.text);
      expect(step.text).toContain('name="next" value="/admin/account"');

      await half
        .post('/admin/login/totp')
        .type('form')
        .send({ code: codeNow(secret), next: '/admin/account' })
        .expect(403);
      const wrong = await half
        .post('/admin/login/totp')
        .type('form')
        .send({ _csrf: stepCsrf, code: wrongCode(secret), next: '/admin/account' })
        .expect(401);
      expect(wrong.text).toContain('That code is not right.');
      await half.get('/admin').expect(303);

      const right = await half
        .post('/admin/login/totp')
        .type('form')
        .send({ _csrf: stepCsrf, code: codeNow(secret), next: '/admin/account' })
        .expect(303);
      expect(right.headers.location).toBe('/admin/account');
      const fresh = setCookie(right, SESSION_COOKIE)!;
      expect(sessionIdOf(fresh)).not.toBe(sessionIdOf(halfToken));
      expect((await half.get('/admin/account').expect(200)).text).toContain('Two-step login is <strong>on</strong>');
      // The half-logged-in session is over: its cookie leads back to the password.
      const replay = adminBrowser(store);
      expect((await replay.get('/admin/login/totp').set('Cookie', `${SESSION_COOKIE}=${halfToken}`).expect(303)).headers.location).toMatch(
        /^\/admin\/login\?next=/,
      );
    });

    it('turning it off needs the current password: a wrong one is refused and counted, the right one turns it off', async () => {
      const wrong = await browser()
        .post('/admin/account/totp/disable')
        .type('form')
        .send({ _csrf: csrf, password: 'not my password at all' })
        .expect(403);
      expect(wrong.text).toContain('That is not your current password');
      const row = await adminRow(PAGES_ADMIN.email);
      expect(row.totp_enabled_at).not.toBeNull();
      expect(row.failed_logins).toBe(1);
      await browser().post('/admin/account/totp/disable').type('form').send({ password: PAGES_ADMIN.password }).expect(403);
      expect((await adminRow(PAGES_ADMIN.email)).totp_enabled_at).not.toBeNull();

      const off = await browser()
        .post('/admin/account/totp/disable')
        .type('form')
        .send({ _csrf: csrf, password: PAGES_ADMIN.password })
        .expect(303);
      expect(off.headers.location).toBe('/admin/account?off');
      expect((await browser().get('/admin/account?off').expect(200)).text).toContain('Two-step login is off.');
      expect(await adminRow(PAGES_ADMIN.email)).toMatchObject({ totp_secret: null, totp_enabled_at: null });
      expect(await unusedRecoveryCodes(PAGES_ADMIN.email)).toBe(0);
      expect((await submitLogin(adminBrowser(store), PAGES_ADMIN.email, PAGES_ADMIN.password)).headers.location).toBe('/admin');
    });

    it('audits every step, never with a secret or a code', async () => {
      const rows = await audit(PAGES_ADMIN.email);
      const steps = rows.filter((r) => r.action !== 'login').map((r) => `${r.action} ${r.outcome}`);
      expect(steps).toEqual([
        'totp.setup failure',
        'totp.setup success',
        'totp.enable failure',
        'totp.enable success',
        'login.totp failure',
        'login.totp success',
        'totp.disable failure',
        'totp.disable success',
      ]);
      expect(rows.find((r) => r.action === 'login.totp' && r.outcome === 'success')!.detail).toBe('authenticator code accepted');
      expect(rows.filter((r) => r.action === 'login').map((r) => r.detail)).toContain('password accepted; second factor required');
    });
  });

  describe('through the JSON API', () => {
    let secret: string;
    let apiRecoveryCodes: string[];

    it('start returns the secret and otpauth URI, confirm the recovery codes; unknown fields and repeats are refused', async () => {
      const browser = adminBrowser(store);
      const login = await apiLogin(browser);
      expect(login.status).toBe(200);
      const csrf = (login.body as { csrfToken: string }).csrfToken;
      await browser.post('/api/admin/account/totp').send({}).expect(403);
      // A client cannot choose the secret.
      const chosen = await browser
        .post('/api/admin/account/totp')
        .set('X-CSRF-Token', csrf)
        .send({ secret: 'JBSWY3DPEHPK3PXP' })
        .expect(400);
      expect(chosen.body.error.message).toMatch(/"secret" is not allowed/);

      const started = await browser
        .post('/api/admin/account/totp')
        .set('X-CSRF-Token', csrf)
        .send({ password: ADMIN.password })
        .expect(200);
      secret = started.body.secret as string;
      secrets.push(secret);
      expect(Object.keys(started.body).sort()).toEqual(['otpauthUrl', 'secret']);
      expect(started.body.otpauthUrl).toBe(
        `otpauth://totp/Padlock%20Store:admin%40shop.test?issuer=Padlock%20Store&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
      );

      await browser
        .post('/api/admin/account/totp/confirm')
        .set('X-CSRF-Token', csrf)
        .send({ code: codeNow(secret), extra: 1 })
        .expect(400);
      const wrong = await browser
        .post('/api/admin/account/totp/confirm')
        .set('X-CSRF-Token', csrf)
        .send({ code: wrongCode(secret) })
        .expect(400);
      expect(wrong.body.error.code).toBe('invalid_request');
      const confirmed = await browser
        .post('/api/admin/account/totp/confirm')
        .set('X-CSRF-Token', csrf)
        .send({ code: codeNow(secret) })
        .expect(200);
      apiRecoveryCodes = confirmed.body.recoveryCodes as string[];
      recoveryCodes.push(...apiRecoveryCodes);
      expect(apiRecoveryCodes).toHaveLength(10);
      expect((await browser.get('/api/admin/me').expect(200)).body.totp).toBe(true);

      expect(
        (await browser.post('/api/admin/account/totp').set('X-CSRF-Token', csrf).send({ password: ADMIN.password }).expect(409)).body.error
          .code,
      ).toBe('totp_on');
      expect(
        (
          await browser
            .post('/api/admin/account/totp/confirm')
            .set('X-CSRF-Token', csrf)
            .send({ code: codeNow(secret) })
            .expect(409)
        ).body.error.code,
      ).toBe('totp_not_pending');
    });

    it('the password answers 202 with the token for the code step; a wrong code is 401; the right one is a new session', async () => {
      const browser = adminBrowser(store);
      const login = await apiLogin(browser);
      expect(login.status).toBe(202);
      expect(login.body).toEqual({ status: 'needs_totp', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const halfToken = setCookie(login, SESSION_COOKIE)!;
      const csrf = (login.body as { csrfToken: string }).csrfToken;
      await browser.get('/api/admin/me').expect(401);
      await browser.get('/api/admin/orders').expect(401);

      await browser
        .post('/api/admin/login/totp')
        .send({ code: codeNow(secret) })
        .expect(403);
      expect(
        (
          await browser
            .post('/api/admin/login/totp')
            .set('X-CSRF-Token', csrf)
            .send({ code: codeNow(secret), remember: true })
            .expect(400)
        ).body.error.message,
      ).toMatch(/"remember" is not allowed/);
      expect((await postCode(browser, csrf, wrongCode(secret)).expect(401)).body.error).toEqual({
        code: 'wrong_code',
        message: 'That code is not right. Type the 6-digit code your authenticator app shows now, or one of your recovery codes.',
      });
      // The code that confirmed the set-up was used: it cannot log in too.
      expect((await postCode(browser, csrf, codeNow(secret)).expect(401)).body.error.code).toBe('code_already_used');

      store.clock.advanceMinutes(1);
      const right = await postCode(browser, csrf, codeNow(secret)).expect(200);
      expect(right.body).toEqual({ status: 'logged_in', email: ADMIN.email, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(right.body.csrfToken).not.toBe(csrf);
      const fresh = setCookie(right, SESSION_COOKIE)!;
      expect(sessionIdOf(fresh)).not.toBe(sessionIdOf(halfToken));
      // The half-logged-in session is gone from the database, not merely superseded.
      const hashes = await storedSessionHashes(store);
      expect(hashes).toContain(sha256(sessionIdOf(fresh)));
      expect(hashes).not.toContain(sha256(sessionIdOf(halfToken)));
      await adminBrowser(store).get('/api/admin/me').set('Cookie', `${SESSION_COOKIE}=${halfToken}`).expect(401);
      expect((await browser.get('/api/admin/me').expect(200)).body).toEqual({
        email: ADMIN.email,
        csrfToken: right.body.csrfToken,
        totp: true,
      });
      expect((await postCode(browser, right.body.csrfToken as string, codeNow(secret)).expect(409)).body.error.code).toBe(
        'already_logged_in',
      );
      await adminBrowser(store)
        .post('/api/admin/login/totp')
        .set('X-CSRF-Token', csrf)
        .send({ code: codeNow(secret) })
        .expect(401);
    });

    it('a code is accepted once: the same code, or one older than the last used, is refused', async () => {
      const used = codeNow(secret);
      const previous = codeNow(secret, -30); // still inside the drift window, but older than the last code used
      const browser = adminBrowser(store);
      const csrf = (await apiLogin(browser)).body.csrfToken as string;
      expect((await postCode(browser, csrf, used).expect(401)).body.error.code).toBe('code_already_used');
      expect((await postCode(browser, csrf, previous).expect(401)).body.error.code).toBe('code_already_used');
      await browser.get('/api/admin/me').expect(401);
    });

    it('a recovery code logs in once, however it is typed', async () => {
      const first = adminBrowser(store);
      await postCode(first, (await apiLogin(first)).body.csrfToken as string, apiRecoveryCodes[0]).expect(200);
      const again = adminBrowser(store);
      expect(
        (await postCode(again, (await apiLogin(again)).body.csrfToken as string, apiRecoveryCodes[0]).expect(401)).body.error.code,
      ).toBe('wrong_code');
      const typed = adminBrowser(store);
      await postCode(
        typed,
        (await apiLogin(typed)).body.csrfToken as string,
        ` ${apiRecoveryCodes[1].toUpperCase().replace(/-/g, ' ')} `,
      ).expect(200);
      await typed.get('/api/admin/me').expect(200);
      expect(await unusedRecoveryCodes(ADMIN.email)).toBe(8);
      expect((await audit(ADMIN.email)).filter((r) => r.action === 'login.totp' && r.outcome === 'success').map((r) => r.detail)).toEqual([
        'authenticator code accepted',
        'recovery code used; 9 left',
        'recovery code used; 8 left',
      ]);
    });

    it('turning it off needs the current password', async () => {
      const browser = adminBrowser(store);
      const login = await apiLogin(browser);
      store.clock.advanceMinutes(1);
      const csrf = (await postCode(browser, login.body.csrfToken as string, codeNow(secret)).expect(200)).body.csrfToken as string;
      await browser.post('/api/admin/account/totp/disable').send({ password: ADMIN.password }).expect(403);
      await browser
        .post('/api/admin/account/totp/disable')
        .set('X-CSRF-Token', csrf)
        .send({ password: ADMIN.password, code: '123456' })
        .expect(400);
      expect(
        (
          await browser
            .post('/api/admin/account/totp/disable')
            .set('X-CSRF-Token', csrf)
            .send({ password: 'a wrong passphrase' })
            .expect(403)
        ).body.error.code,
      ).toBe('wrong_password');
      expect((await adminRow(ADMIN.email)).totp_enabled_at).not.toBeNull();
      await browser.post('/api/admin/account/totp/disable').set('X-CSRF-Token', csrf).send({ password: ADMIN.password }).expect(204);
      expect((await browser.get('/api/admin/me').expect(200)).body.totp).toBe(false);
      expect(
        (await browser.post('/api/admin/account/totp/disable').set('X-CSRF-Token', csrf).send({ password: ADMIN.password }).expect(409))
          .body.error.code,
      ).toBe('totp_off');
      expect((await apiLogin(adminBrowser(store))).status).toBe(200);
    });
  });

  describe('lockout', () => {
    let secret: string;

    beforeAll(async () => {
      const browser = adminBrowser(store);
      const csrf = (await apiLogin(browser, LOCKED_ADMIN.email, LOCKED_ADMIN.password)).body.csrfToken as string;
      secret = (await enableTotp(browser, csrf, store.clock.now, LOCKED_ADMIN.password)).secret;
      secrets.push(secret);
      store.clock.advanceMinutes(1);
    });

    it('ten wrong codes lock the account, even with a fresh password login in between; the lock ends after 30 minutes', async () => {
      const first = adminBrowser(store);
      const firstCsrf = (await apiLogin(first, LOCKED_ADMIN.email, LOCKED_ADMIN.password)).body.csrfToken as string;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await postCode(first, firstCsrf, wrongCode(secret))).status);
      // The password again does not wipe the count: only a right code does.
      const second = adminBrowser(store);
      const secondLogin = await apiLogin(second, LOCKED_ADMIN.email, LOCKED_ADMIN.password);
      expect(secondLogin.status).toBe(202);
      expect((await adminRow(LOCKED_ADMIN.email)).failed_logins).toBe(5);
      const secondCsrf = secondLogin.body.csrfToken as string;
      for (let i = 0; i < 5; i++) statuses.push((await postCode(second, secondCsrf, wrongCode(secret))).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);

      // Locked: the half-logged-in session that hit the lock is over, the other one refuses even the right code.
      await postCode(second, secondCsrf, codeNow(secret)).expect(401);
      const refused = await postCode(first, firstCsrf, codeNow(secret)).expect(423);
      expect(refused.body.error).toEqual({
        code: 'account_locked',
        message: 'Too many failed attempts: this account is locked for 30 minutes.',
      });
      expect((await apiLogin(adminBrowser(store), LOCKED_ADMIN.email, LOCKED_ADMIN.password)).status).toBe(423);

      store.clock.advanceMinutes(31);
      const after = adminBrowser(store);
      const login = await apiLogin(after, LOCKED_ADMIN.email, LOCKED_ADMIN.password);
      expect(login.status).toBe(202);
      await postCode(after, login.body.csrfToken as string, codeNow(secret)).expect(200);
      expect(await adminRow(LOCKED_ADMIN.email)).toMatchObject({ failed_logins: 0, locked_until: null });
    });

    it('audits each code attempt with its outcome and the lock', async () => {
      const rows = (await audit(LOCKED_ADMIN.email)).filter((r) => r.action === 'login.totp');
      expect(rows.map((r) => r.outcome)).toEqual([...Array(10).fill('failure'), 'refused', 'success']);
      expect(rows[9].detail).toMatch(/^wrong authenticator code; account locked until \d{4}-/);
    });
  });

  describe('what is never written down', () => {
    const leaks = (text: string): string[] => [
      ...secrets.filter((s) => text.includes(s)),
      ...recoveryCodes.filter((c) => text.includes(c) || text.includes(c.replace(/-/g, ''))),
      // Six digits alone could be part of a timestamp: a code counts only as a number of its own.
      ...[...typedCodes].filter((c) => new RegExp(`(?<![0-9])${c}(?![0-9])`).test(text)),
    ];

    it('the tests above used secrets, recovery codes and codes (so the checks below can fail)', () => {
      expect(secrets).toHaveLength(3);
      expect(recoveryCodes).toHaveLength(20);
      expect(typedCodes.size).toBeGreaterThan(5);
      expect(leaks(`x ${secrets[0]} ${[...typedCodes][0]} y`)).toHaveLength(2);
    });

    it('no secret or code is in the audit log', async () => {
      const everything = JSON.stringify(await store.dataSource.query('SELECT * FROM admin_audit_log'));
      expect(everything).toContain('login.totp');
      expect(leaks(everything)).toEqual([]);
      expect(everything).not.toContain('otpauth');
    });

    it('no secret is in any admin table: TOTP secrets and the cookie-signing secret are stored encrypted', async () => {
      const rows = JSON.stringify(await store.dataSource.query('SELECT * FROM admin_users'));
      expect(rows).toContain('sealed:v1:');
      expect(leaks(rows)).toEqual([]);
      const signing: { secret: string }[] = await store.dataSource.query('SELECT secret FROM admin_session_secrets');
      expect(signing.map((r) => r.secret)).toEqual([expect.stringMatching(/^sealed:v1:/)]);
    });

    it('no secret or code is in the logs', () => {
      const logs = store.logLines.join('\n');
      expect(logs).toContain('/api/admin/login/totp');
      expect(leaks(logs)).toEqual([]);
      expect(logs).not.toContain('otpauth');
    });
  });
});
