import { createHash } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import request from 'supertest';
import {
  ADMIN,
  adminBrowser,
  ensureAdmin,
  formCsrf,
  logInAdmin,
  sessionIdOf,
  setCookie,
  SIGNED_SESSION_COOKIE,
  storedSessionHashes,
  submitLogin,
} from '../support/admin';
import { useTestStore } from '../support/test-store';
import { SESSION_COOKIE } from '../../server/admin/auth/admin-sessions';
import { openDatabase } from '../../server/database';

// Admin login, sessions and CSRF over real HTTPS, on SQLite and on MariaDB.

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

interface AuditRow {
  admin_id: number | null;
  actor: string;
  action: string;
  outcome: string;
  detail: string | null;
  ip: string;
}

describe('admin login, sessions and CSRF', () => {
  const store = useTestStore();

  beforeAll(async () => {
    await ensureAdmin(store);
  });

  const audit = (actor: string): Promise<AuditRow[]> =>
    store.dataSource.query('SELECT admin_id, actor, action, outcome, detail, ip FROM admin_audit_log WHERE actor = ? ORDER BY id', [actor]);

  describe('refuses anonymous requests', () => {
    it.each(['/admin', '/admin/', '/admin/orders', '/admin/no-such-page?x=1'])(
      'GET %s → 303 to the login page, which brings the admin back',
      async (path) => {
        const res = await adminBrowser(store).get(path).expect(303);
        expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
      },
    );

    it('the admin API answers 401 with a JSON error', async () => {
      const res = await adminBrowser(store).get('/api/admin/me').expect(401);
      expect(res.body.error.code).toBe('login_required');
      await adminBrowser(store).post('/api/admin/logout').set('X-CSRF-Token', 'x').expect(401);
    });

    it('the admin API is not open to blog origins (no CORS), unlike the public API', async () => {
      const res = await adminBrowser(store).get('/api/admin/csrf').set('Origin', 'http://localhost:3000').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const pub = await adminBrowser(store).get('/api/products').set('Origin', 'http://localhost:3000').expect(200);
      expect(pub.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    });

    it('admin pages carry a strict policy and are never cached', async () => {
      const res = await adminBrowser(store).get('/admin/login').expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.text).toContain('<label for="email">Email</label>');
    });
  });

  describe('CSRF', () => {
    it('a login form posted without its token is refused with 403, and nobody is logged in', async () => {
      const browser = adminBrowser(store);
      await browser.get('/admin/login').expect(200);
      const res = await browser.post('/admin/login').type('form').send({ email: ADMIN.email, password: ADMIN.password }).expect(403);
      expect(res.text).toContain('did not carry a valid CSRF token');
      expect(setCookie(res, SESSION_COOKIE)).toBeUndefined();
    });

    it('a token from another browser does not count (it is bound to this browser’s cookie)', async () => {
      const other = formCsrf((await adminBrowser(store).get('/admin/login')).text);
      const browser = adminBrowser(store);
      await browser.get('/admin/login').expect(200);
      await browser.post('/admin/login').type('form').send({ _csrf: other, email: ADMIN.email, password: ADMIN.password }).expect(403);
    });

    it('logged in, a state-changing request without the session’s token is refused with 403 and changes nothing', async () => {
      const browser = adminBrowser(store);
      const csrf = await logInAdmin(browser);
      await browser.post('/admin/logout').type('form').send({}).expect(403);
      await browser.post('/admin/logout').type('form').send({ _csrf: 'not-the-token' }).expect(403);
      await browser.post('/api/admin/logout').expect(403);
      await browser.get('/admin').expect(200);
      await browser.post('/api/admin/logout').set('X-CSRF-Token', csrf).expect(204);
      await browser.get('/admin').expect(303);
    });
  });

  describe('logging in and out', () => {
    it('the right password starts a session: a Secure, HttpOnly, SameSite=Strict __Host- cookie, then the start page', async () => {
      const browser = adminBrowser(store);
      const res = await submitLogin(browser, '  Admin@Shop.TEST ', ADMIN.password);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin');
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).not.toMatch(/Domain=|Expires=|Max-Age=/);
      expect(setCookie(res, SESSION_COOKIE)).toMatch(SIGNED_SESSION_COOKIE);
      const home = await browser.get('/admin').expect(200);
      expect(home.text).toContain('Getting your store ready');
      expect(home.text).toContain(`${store.config.publicUrl}/embed.js`);
      expect(home.text).toContain('running on the built-in sandbox');
    });

    it('the session id changes at login, and a session the browser already had is over', async () => {
      const planted = setCookie(await submitLogin(adminBrowser(store), ADMIN.email, ADMIN.password), SESSION_COOKIE)!;
      expect(await storedSessionHashes(store)).toContain(sha256(sessionIdOf(planted)));
      // A browser that carries that session (say, planted by someone else) logs in through the form.
      const form = await request(store.storeUrl).get('/admin/login').ca(store.tls.cert).expect(200);
      const loginCookie = (form.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const res = await request(store.storeUrl)
        .post('/admin/login')
        .ca(store.tls.cert)
        .set('Cookie', `${loginCookie}; ${SESSION_COOKIE}=${planted}`)
        .type('form')
        .send({ _csrf: formCsrf(form.text), email: ADMIN.email, password: ADMIN.password })
        .expect(303);
      const fresh = setCookie(res, SESSION_COOKIE)!;
      expect(sessionIdOf(fresh)).not.toBe(sessionIdOf(planted));
      await request(store.storeUrl).get('/api/admin/me').ca(store.tls.cert).set('Cookie', `${SESSION_COOKIE}=${planted}`).expect(401);
      await request(store.storeUrl).get('/api/admin/me').ca(store.tls.cert).set('Cookie', `${SESSION_COOKIE}=${fresh}`).expect(200);
      const hashes = await storedSessionHashes(store);
      expect(hashes).toContain(sha256(sessionIdOf(fresh)));
      expect(hashes).not.toContain(sha256(sessionIdOf(planted)));
    });

    it('the database holds only hashes of session ids: nothing in the sessions table opens a session', async () => {
      const cookie = setCookie(await submitLogin(adminBrowser(store), ADMIN.email, ADMIN.password), SESSION_COOKIE)!;
      const sid = sessionIdOf(cookie);
      const rows: Record<string, unknown>[] = await store.dataSource.query('SELECT * FROM admin_sessions');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.sid_hash as string))).toBe(true);
      expect(rows.map((r) => r.sid_hash)).toContain(sha256(sid));
      const everything = JSON.stringify(rows);
      expect(everything).not.toContain(sid);
      expect(everything).not.toContain(cookie.split('.')[1]);
      // What the table does hold, presented as a cookie, is refused, signed or not.
      await request(store.storeUrl)
        .get('/api/admin/me')
        .ca(store.tls.cert)
        .set('Cookie', `${SESSION_COOKIE}=${sha256(sid)}`)
        .expect(401);
      await request(store.storeUrl).get('/api/admin/me').ca(store.tls.cert).set('Cookie', `${SESSION_COOKIE}=${cookie}`).expect(200);
    });

    it('a session id is only accepted with the store’s signature', async () => {
      const cookie = setCookie(await submitLogin(adminBrowser(store), ADMIN.email, ADMIN.password), SESSION_COOKIE)!;
      const sid = sessionIdOf(cookie);
      const me = (value: string) =>
        request(store.storeUrl)
          .get('/api/admin/me')
          .ca(store.tls.cert)
          .set('Cookie', `${SESSION_COOKIE}=${encodeURIComponent(value)}`);
      await me(cookie).expect(200);
      await me(sid).expect(401);
      const signature = cookie.slice(cookie.indexOf('.') + 1);
      const forged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      await me(`s:${sid}.${forged}`).expect(401);
    });

    it('logout ends the session on the server: the old cookie no longer works', async () => {
      const browser = adminBrowser(store);
      const res = await submitLogin(browser, ADMIN.email, ADMIN.password);
      const token = setCookie(res, SESSION_COOKIE)!;
      const csrf = formCsrf((await browser.get('/admin').expect(200)).text);
      const out = await browser.post('/admin/logout').type('form').send({ _csrf: csrf }).expect(303);
      expect(out.headers.location).toBe('/admin/login?bye');
      expect(setCookie(out, SESSION_COOKIE)).toBe('');
      expect(await storedSessionHashes(store)).not.toContain(sha256(sessionIdOf(token)));
      const replay = adminBrowser(store);
      await replay.get('/admin').set('Cookie', `${SESSION_COOKIE}=${token}`).expect(303);
      await replay.get('/api/admin/me').set('Cookie', `${SESSION_COOKIE}=${token}`).expect(401);
    });

    it('a session is in the database: another store instance on the same database honours it, and logout there ends it here', async () => {
      const { app } = createApp({
        config: store.config,
        dataSource: store.dataSource,
        logger: store.logger,
        gateways: store.gateways,
        clock: store.clock.now,
      });
      const server = https.createServer({ cert: store.tls.cert, key: store.tls.key }, app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const other = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const token = setCookie(await submitLogin(adminBrowser(store), ADMIN.email, ADMIN.password), SESSION_COOKIE)!;
        const cookie = `${SESSION_COOKIE}=${token}`;
        const me = await request(other).get('/api/admin/me').ca(store.tls.cert).set('Cookie', cookie).expect(200);
        await request(other)
          .post('/api/admin/logout')
          .ca(store.tls.cert)
          .set('Cookie', cookie)
          .set('X-CSRF-Token', me.body.csrfToken)
          .expect(204);
        await request(store.storeUrl).get('/api/admin/me').ca(store.tls.cert).set('Cookie', cookie).expect(401);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('a session whose account is gone opens nothing and is deleted', async () => {
      const gone = { email: 'gone@shop.test', password: 'a passphrase for a short life' };
      await ensureAdmin(store, gone.email, gone.password);
      const browser = adminBrowser(store);
      const cookie = setCookie(await submitLogin(browser, gone.email, gone.password), SESSION_COOKIE)!;
      await browser.get('/api/admin/me').expect(200);
      await store.dataSource.query('DELETE FROM admin_users WHERE email = ?', [gone.email]);
      await browser.get('/api/admin/me').expect(401);
      await browser.get('/admin').expect(303);
      expect(await storedSessionHashes(store)).not.toContain(sha256(sessionIdOf(cookie)));
    });

    it('a session idle for more than 15 minutes is over; activity keeps it alive', async () => {
      const browser = adminBrowser(store);
      await logInAdmin(browser);
      store.clock.advanceMinutes(10);
      await browser.get('/api/admin/me').expect(200);
      store.clock.advanceMinutes(10);
      await browser.get('/api/admin/me').expect(200);
      store.clock.advanceMinutes(16);
      await browser.get('/api/admin/me').expect(401);
      await browser.get('/admin').expect(303);
    });

    it('a session ends 12 hours after login however busy it is (ADMIN_SESSION_MAX_HOURS); logging in again starts a new one', async () => {
      const browser = adminBrowser(store);
      await logInAdmin(browser);
      // Used every 14 minutes: never idle for long, for 11 hours 54 minutes.
      for (let minutes = 14; minutes <= 714; minutes += 14) {
        store.clock.advanceMinutes(14);
        await browser.get('/api/admin/me').expect(200);
      }
      store.clock.advanceMinutes(5); // 11:59 after login
      await browser.get('/api/admin/me').expect(200);
      store.clock.advanceMinutes(1); // 12:00
      await browser.get('/api/admin/me').expect(401);
      expect((await browser.get('/admin/orders').expect(303)).headers.location).toBe('/admin/login?next=%2Fadmin%2Forders');
      await logInAdmin(browser);
      await browser.get('/api/admin/me').expect(200);
    });

    it('the JSON API logs in with the login token and returns the session’s CSRF token', async () => {
      const browser = adminBrowser(store);
      const { csrfToken } = (await browser.get('/api/admin/csrf').expect(200)).body as { csrfToken: string };
      await browser.post('/api/admin/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(403);
      const res = await browser
        .post('/api/admin/login')
        .set('X-CSRF-Token', csrfToken)
        .send({ email: ADMIN.email, password: ADMIN.password })
        .expect(200);
      expect(res.body).toEqual({ status: 'logged_in', email: ADMIN.email, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const me = await browser.get('/api/admin/me').expect(200);
      expect(me.body).toEqual({ email: ADMIN.email, csrfToken: res.body.csrfToken, totp: false });
      const bad = await browser
        .post('/api/admin/login')
        .set('X-CSRF-Token', res.body.csrfToken)
        .send({ email: ADMIN.email, password: ADMIN.password, admin: true });
      expect(bad.status).toBe(403); // the login token was used up: the session's token is not a login token
    });

    it('refuses unknown fields and oversized input with 400', async () => {
      const browser = adminBrowser(store);
      const { csrfToken } = (await browser.get('/api/admin/csrf')).body as { csrfToken: string };
      const res = await browser
        .post('/api/admin/login')
        .set('X-CSRF-Token', csrfToken)
        .send({ email: ADMIN.email, password: ADMIN.password, role: 'owner' })
        .expect(400);
      expect(res.body.error.message).toMatch(/"role" is not allowed/);
      await browser
        .post('/api/admin/login')
        .set('X-CSRF-Token', csrfToken)
        .send({ email: 'x'.repeat(300), password: 'p' })
        .expect(400);
    });
  });

  describe('lockout and audit log', () => {
    const victim = 'locked@shop.test';
    const password = 'the victim’s real password';

    beforeAll(async () => {
      await ensureAdmin(store, victim, password);
    });

    it('a wrong password answers 401 with a message that does not say which part was wrong', async () => {
      const res = await submitLogin(adminBrowser(store), victim, 'not the password');
      expect(res.status).toBe(401);
      expect(res.text).toContain('Wrong email or password.');
      const unknown = await submitLogin(adminBrowser(store), 'nobody@shop.test', 'not the password');
      expect(unknown.status).toBe(401);
      expect(unknown.text).toContain('Wrong email or password.');
    });

    it('locks the account after 10 failures: the 11th attempt is refused even with the right password', async () => {
      const browser = adminBrowser(store);
      const { csrfToken } = (await browser.get('/api/admin/csrf')).body as { csrfToken: string };
      const statuses: number[] = [];
      for (let i = 2; i <= 10; i++) {
        statuses.push(
          (
            await browser
              .post('/api/admin/login')
              .set('X-CSRF-Token', csrfToken)
              .send({ email: victim, password: `wrong ${i}` })
          ).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 423]);
      const right = await browser.post('/api/admin/login').set('X-CSRF-Token', csrfToken).send({ email: victim, password }).expect(423);
      expect(right.body.error).toEqual({
        code: 'account_locked',
        message: 'Too many failed attempts: this account is locked for 30 minutes.',
      });
      expect((await submitLogin(adminBrowser(store), victim, password)).status).toBe(423);

      store.clock.advanceMinutes(31);
      const after = await browser.post('/api/admin/login').set('X-CSRF-Token', csrfToken).send({ email: victim, password }).expect(200);
      expect(after.body.status).toBe('logged_in');
    });

    it('writes every attempt to the audit log with the address and outcome, never the password', async () => {
      const rows = await audit(victim);
      expect(rows.map((r) => r.outcome)).toEqual([...Array(10).fill('failure'), 'refused', 'refused', 'success']);
      expect(rows.every((r) => r.action === 'login' && r.admin_id !== null && /127\.0\.0\.1/.test(r.ip))).toBe(true);
      expect(rows[9].detail).toMatch(/^wrong password; account locked until \d{4}-/);
      const everything = JSON.stringify(await store.dataSource.query('SELECT * FROM admin_audit_log'));
      expect(everything).not.toContain(password);
      expect(everything).not.toContain('wrong 5');
      expect(everything).not.toContain(ADMIN.password);
      const unknown = await audit('nobody@shop.test');
      expect(unknown).toEqual([
        {
          admin_id: null,
          actor: 'nobody@shop.test',
          action: 'login',
          outcome: 'failure',
          detail: 'no account with this email',
          ip: expect.any(String),
        },
      ]);
    });

    it('the admin can read the audit log, newest first, filtered by email; anonymous visitors cannot', async () => {
      const browser = adminBrowser(store);
      await logInAdmin(browser);
      const page = await browser.get(`/admin/audit?actor=${encodeURIComponent(victim)}`).expect(200);
      expect(page.text).toContain('13 entries');
      const rows = [...page.text.matchAll(/<span class="outcome outcome-(\w+)">/g)].map((m) => m[1]);
      expect(rows).toEqual(['success', 'refused', 'refused', ...Array(10).fill('failure')]);
      const api = await browser.get('/api/admin/audit?actor=nobody@shop.test').expect(200);
      expect(api.body).toMatchObject({ total: 1, entries: [{ actor: 'nobody@shop.test', action: 'login', outcome: 'failure' }] });
      await browser.get('/api/admin/audit?limit=5').expect(400);
      await adminBrowser(store).get('/admin/audit').expect(303);
      await adminBrowser(store).get('/api/admin/audit').expect(401);
    });

    it('logouts are audited too', async () => {
      const browser = adminBrowser(store);
      const csrf = await logInAdmin(browser);
      await browser.post('/api/admin/logout').set('X-CSRF-Token', csrf).expect(204);
      const rows = await audit(ADMIN.email);
      expect(rows.at(-1)).toMatchObject({ action: 'logout', outcome: 'success' });
    });
  });
});

describe('admin login rate limit per address', () => {
  const store = useTestStore();
  beforeAll(async () => {
    await ensureAdmin(store);
  });

  it('after 30 failed attempts from one address, the 31st is refused with 429 even with the right password', async () => {
    const browser = adminBrowser(store);
    // Attempts refused for their CSRF token count as failures too (and cost no password hashing).
    for (let i = 0; i < 30; i++)
      await browser
        .post('/api/admin/login')
        .send({ email: ADMIN.email, password: `guess ${i}` })
        .expect(403);
    const { csrfToken } = (await browser.get('/api/admin/csrf').expect(200)).body as { csrfToken: string };
    const limited = await browser
      .post('/api/admin/login')
      .set('X-CSRF-Token', csrfToken)
      .send({ email: ADMIN.email, password: ADMIN.password })
      .expect(429);
    expect(limited.body.error).toEqual({
      code: 'too_many_attempts',
      message: expect.stringMatching(/^Too many login attempts from this address\. Try again in (\d+ minutes|1 minute|\d+ seconds?)\.$/),
    });
    expect(limited.headers['ratelimit-policy']).toContain('"admin_login"; q=30; w=900');
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    const form = await submitLogin(adminBrowser(store), ADMIN.email, ADMIN.password);
    expect(form.status).toBe(429);
    expect(form.text).toContain('Too many login attempts from this address');
  });
});

describe('admin session limits and the sweep (ADMIN_SESSION_MAX_HOURS=1)', () => {
  const store = useTestStore({ ADMIN_SESSION_MAX_HOURS: '1' });
  beforeAll(async () => {
    await ensureAdmin(store);
  });

  it('store instances starting together on a fresh database agree on one cookie-signing secret: a session from one works on all', async () => {
    const count = async (): Promise<number> =>
      Number((await store.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM admin_session_secrets'))[0].n);
    expect(await count()).toBe(0);
    // Three instances, two with their own database connections as separate processes would have.
    const dataSources = [store.dataSource, await openDatabase(store.config.database), await openDatabase(store.config.database)];
    const servers = dataSources.map((dataSource) => {
      const { app } = createApp({
        config: store.config,
        dataSource,
        logger: store.logger,
        gateways: store.gateways,
        clock: store.clock.now,
      });
      return https.createServer({ cert: store.tls.cert, key: store.tls.key }, app);
    });
    try {
      const urls = await Promise.all(
        servers.map(async (server) => {
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
          return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        }),
      );
      // Their first admin requests, at once: each looks for the secret, finds none and makes one.
      await Promise.all(urls.map((url) => request(url).get('/api/admin/me').ca(store.tls.cert).expect(401)));
      expect(await count()).toBe(1);
      const browser = request.agent(urls[0], { ca: store.tls.cert });
      const cookie = setCookie(await submitLogin(browser, ADMIN.email, ADMIN.password), SESSION_COOKIE)!;
      for (const url of urls)
        await request(url).get('/api/admin/me').ca(store.tls.cert).set('Cookie', `${SESSION_COOKIE}=${cookie}`).expect(200);
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      await Promise.all(dataSources.slice(1).map((dataSource) => dataSource.destroy()));
    }
  });

  const hashOf = async (browser: ReturnType<typeof adminBrowser>): Promise<string> => {
    const login = await submitLogin(browser, ADMIN.email, ADMIN.password);
    expect(login.status).toBe(303);
    return sha256(sessionIdOf(setCookie(login, SESSION_COOKIE)!));
  };

  it('follows the setting: a session kept busy ends an hour after login', async () => {
    const browser = adminBrowser(store);
    await logInAdmin(browser);
    for (let i = 0; i < 5; i++) {
      store.clock.advanceMinutes(10);
      await browser.get('/api/admin/me').expect(200);
    }
    store.clock.advanceMinutes(9); // 0:59
    await browser.get('/api/admin/me').expect(200);
    store.clock.advanceMinutes(1); // 1:00
    await browser.get('/api/admin/me').expect(401);
  });

  it('the sweep deletes sessions idle too long and sessions too old, and keeps the live ones', async () => {
    await store.services.adminSessions.sweep();
    const busy = adminBrowser(store);
    const busyHash = await hashOf(busy);
    const idleHash = await hashOf(adminBrowser(store));
    /** Moves the clock, uses the busy session, and sweeps. */
    const sweepAfter = async (minutes: number): Promise<number> => {
      store.clock.advanceMinutes(minutes);
      await busy.get('/api/admin/me').expect(200);
      return store.services.adminSessions.sweep();
    };
    expect(await store.services.adminSessions.sweep()).toBe(0);
    expect((await storedSessionHashes(store)).sort()).toEqual([busyHash, idleHash].sort());
    expect(await sweepAfter(14)).toBe(0); // 0:14
    expect(await sweepAfter(2)).toBe(1); // 0:16: one session unused for 16 minutes
    expect(await storedSessionHashes(store)).toEqual([busyHash]);
    expect(await sweepAfter(14)).toBe(0); // 0:30
    expect(await sweepAfter(14)).toBe(0); // 0:44
    expect(await sweepAfter(14)).toBe(0); // 0:58
    store.clock.advanceMinutes(2);
    // 1:00 after its login: used 2 minutes ago, but too old.
    expect(await store.services.adminSessions.sweep()).toBe(1);
    expect(await storedSessionHashes(store)).toEqual([]);
    await busy.get('/api/admin/me').expect(401);
  });
});
