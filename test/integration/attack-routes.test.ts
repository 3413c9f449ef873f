import request from 'supertest';
import { adminBrowser } from '../support/admin';
import { createAttackTargets, loggedInAdmin, type AttackTargets } from '../support/attack-fixtures';
import { enumerateRoutes, fillRoute, routeClass, type RouteClass, type RouteEntry } from '../support/route-enumeration';
import { countChanges, rowCounts } from '../support/row-counts';
import { useTestStore } from '../support/test-store';

// Hundreds of requests a test, and logins (password hashing): slow on a busy machine.
jest.setTimeout(120_000);

// What a ZAP baseline scan checks, for every route the router knows (issue 11 part 7), by the
// route classes of the brief: headers, cookie flags, framing, CORS answers, CSRF rule.

const BLOG = 'https://blog.example';
const ELSEWHERE = 'https://attacker.example';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One route, really reached with real parameters, and what it answered. */
interface Answer {
  readonly route: RouteEntry;
  readonly url: string;
  readonly cls: RouteClass | null;
  readonly res: request.Response;
}

const header = (res: request.Response, name: string): string | undefined => res.headers[name.toLowerCase()];
const setCookies = (res: request.Response): string[] => (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
const isHtml = (res: request.Response): boolean => /text\/html/.test(header(res, 'content-type') ?? '');
const described = (a: Answer): string => `${a.route.method} ${a.url} (${a.cls}) → ${a.res.status}`;
/** Admin pages and API, payment pages: never stored by a browser or proxy. */
const NO_STORE_CLASSES: readonly (RouteClass | null)[] = ['payment-page', 'admin'];

/** The answers whose header `name` does not satisfy `ok`, as readable lines (empty when all pass). */
function offenders(answers: readonly Answer[], name: string, ok: (value: string | undefined, a: Answer) => boolean): string[] {
  return answers.filter((a) => !ok(header(a.res, name), a)).map((a) => `${described(a)}: ${name}=${header(a.res, name) ?? '(none)'}`);
}

describe('attack suite: every route of the router, per route class', () => {
  const store = useTestStore({ EMBED_ORIGINS: BLOG, RATE_LIMIT_FACTOR: '1000' });
  let targets: AttackTargets;
  let routes: RouteEntry[];
  const answers: Answer[] = [];

  beforeAll(async () => {
    targets = await createAttackTargets(store);
    routes = enumerateRoutes(store.app);
    const admin = await loggedInAdmin(store);
    const anonymous = adminBrowser(store);
    // Safe methods first: the unsafe ones below may end what the safe ones look at.
    const ordered = [...routes.filter((r) => !UNSAFE.has(r.method)), ...routes.filter((r) => UNSAFE.has(r.method))];
    for (const route of ordered) {
      const url = fillRoute(route, targets.values);
      const cls = routeClass(route.path);
      // The admin is reached logged in, and its unsafe methods without the CSRF token.
      const agent = cls === 'admin' ? admin.agent : anonymous;
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const req = agent[method](url);
      const res = UNSAFE.has(route.method) ? await req.send({}) : await req;
      answers.push({ route, url, cls, res });
      // What a visitor who is not logged in sees of the admin (the login form, its cookie) counts too.
      if (cls === 'admin' && !UNSAFE.has(route.method)) answers.push({ route, url, cls, res: await adminBrowser(store).get(url) });
    }
  });

  describe('the enumeration', () => {
    it('finds the routes from the router itself, known ones included', () => {
      const names = routes.map((r) => `${r.method} ${r.path}`);
      expect(routes.length).toBeGreaterThanOrEqual(40);
      expect(names).toEqual(
        expect.arrayContaining([
          'GET /healthz',
          'GET /readyz',
          'GET /',
          'GET /embed.js',
          'GET /assets/*',
          'GET /images/*',
          'GET /api/products',
          'GET /api/products/:slug',
          'POST /api/carts',
          'PATCH /api/carts/:id/items/:itemId',
          'POST /api/carts/:id/checkout',
          'GET /checkout/:token',
          'POST /checkout/:token/pay/:gateway',
          'GET /orders/:publicId',
          'POST /webhooks/:gateway',
          'GET /admin/orders',
          'GET /api/admin/orders',
          'POST /api/admin/orders/:id/:action',
          'PATCH /api/admin/products/:id',
          'GET /products/:slug',
        ]),
      );
    });

    it('puts every route in a route class (a new route must be classified)', () => {
      expect(routes.filter((r) => routeClass(r.path) === null).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    });

    it('really reaches every route with real parameters (no "No route for" answer, no 5xx)', () => {
      const missed = answers.filter((a) => a.res.status >= 500 || /No route for/.test(a.res.text)).map(described);
      expect(missed).toEqual([]);
      // The safe ones show the real thing: a page, a product, the order, a file.
      const notFound = answers.filter((a) => !UNSAFE.has(a.route.method) && a.res.status === 404).map(described);
      expect(notFound).toEqual([]);
    });
  });

  describe('headers on every response', () => {
    it('X-Frame-Options: DENY everywhere (the store is never framed)', () => {
      expect(offenders(answers, 'x-frame-options', (v) => v === 'DENY')).toEqual([]);
    });

    it('X-Content-Type-Options: nosniff', () => {
      expect(offenders(answers, 'x-content-type-options', (v) => v === 'nosniff')).toEqual([]);
    });

    it('a Referrer-Policy that never sends the full URL cross-origin', () => {
      const strict = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
      expect(offenders(answers, 'referrer-policy', (v) => v !== undefined && strict.includes(v))).toEqual([]);
    });

    it('a Permissions-Policy turning off camera, microphone and geolocation', () => {
      const off = (v: string | undefined, feature: string) => v !== undefined && new RegExp(`(^|,)\\s*${feature}=\\(\\)`).test(v);
      expect(offenders(answers, 'permissions-policy', (v) => off(v, 'camera') && off(v, 'microphone') && off(v, 'geolocation'))).toEqual(
        [],
      );
    });

    it('HSTS on every response over TLS', () => {
      expect(offenders(answers, 'strict-transport-security', (v) => /max-age=[1-9]\d*/.test(v ?? ''))).toEqual([]);
    });

    it('no X-Powered-By and no server version', () => {
      expect(offenders(answers, 'x-powered-by', (v) => v === undefined)).toEqual([]);
      expect(offenders(answers, 'server', (v) => v === undefined || !/\d/.test(v))).toEqual([]);
    });

    it("a CSP with frame-ancestors 'none' and no inline script on every HTML response", () => {
      const html = answers.filter((a) => isHtml(a.res));
      expect(html.length).toBeGreaterThan(10);
      const strict = (v: string | undefined) =>
        v !== undefined && /frame-ancestors 'none'/.test(v) && !/script-src[^;]*'unsafe-(inline|eval)'/.test(v);
      expect(offenders(html, 'content-security-policy', strict)).toEqual([]);
    });
  });

  describe('per route class', () => {
    const inClass = (...classes: RouteClass[]) => answers.filter((a) => a.cls !== null && classes.includes(a.cls));

    it('Cache-Control: no-store on payment pages and the admin', () => {
      const sensitive = answers.filter((a) => NO_STORE_CLASSES.includes(a.cls));
      expect(sensitive.length).toBeGreaterThan(20);
      expect(offenders(sensitive, 'cache-control', (v) => /no-store/.test(v ?? ''))).toEqual([]);
    });

    it('store pages and static files are cacheable, static ones loadable cross-origin (CORP)', () => {
      const ok = inClass('store-page', 'static').filter((a) => a.res.status === 200);
      expect(ok.length).toBeGreaterThanOrEqual(5);
      expect(offenders(ok, 'cache-control', (v) => !/no-store/.test(v ?? ''))).toEqual([]);
      const statics = inClass('static');
      expect(offenders(statics, 'cache-control', (v) => /max-age=[1-9]/.test(v ?? ''))).toEqual([]);
      expect(offenders(statics, 'cross-origin-resource-policy', (v) => v === 'cross-origin')).toEqual([]);
    });

    it('the public API, callbacks and health answers set no cookie', () => {
      const cookieless = inClass('public-api', 'callback', 'health', 'static', 'seo-fragment', 'store-page', 'payment-page');
      expect(
        cookieless.filter((a) => setCookies(a.res).length > 0).map((a) => `${described(a)}: ${setCookies(a.res).join(' | ')}`),
      ).toEqual([]);
    });

    it('public API errors are JSON in the error contract', () => {
      const errors = inClass('public-api').filter((a) => a.res.status >= 400);
      expect(errors.length).toBeGreaterThan(0);
      for (const a of errors) expect([described(a), a.res.body?.error?.code]).toEqual([described(a), expect.any(String)]);
    });
  });

  describe('cookies', () => {
    it('every Set-Cookie is Secure, HttpOnly and SameSite', () => {
      const cookies = answers.flatMap((a) => setCookies(a.res).map((c) => ({ a, c })));
      // The login form sets its CSRF cookie: there is at least one to look at.
      expect(cookies.length).toBeGreaterThan(0);
      const weak = cookies.filter(({ c }) => !/;\s*Secure/i.test(c) || !/;\s*HttpOnly/i.test(c) || !/;\s*SameSite=(Strict|Lax)/i.test(c));
      expect(weak.map(({ a, c }) => `${described(a)}: ${c}`)).toEqual([]);
    });

    it('the admin session cookie is Secure, HttpOnly, SameSite=Strict, host-only', async () => {
      const browser = adminBrowser(store);
      const form = await browser.get('/admin/login').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const res = await browser
        .post('/admin/login')
        .type('form')
        .send({ _csrf: csrf, email: 'admin@shop.test', password: 'a long admin passphrase', next: '' })
        .expect(303);
      const session = setCookies(res).find((c) => c.startsWith('__Host-padlock_admin='));
      expect(session).toBeDefined();
      expect(session).toMatch(/;\s*Secure/i);
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Strict/i);
      expect(session).toMatch(/;\s*Path=\//i);
      expect(session).not.toMatch(/;\s*Domain=/i);
    });
  });

  describe('CORS', () => {
    const publicGets = () => answers.filter((a) => a.cls === 'public-api' && a.route.method === 'GET');
    const noCorsRoutes = () => answers.filter((a) => a.cls === 'admin' || a.cls === 'callback');

    it('the public API allows an EMBED_ORIGINS origin, without credentials', async () => {
      expect(publicGets().length).toBeGreaterThanOrEqual(3);
      for (const { url } of publicGets()) {
        const res = await store.api.get(url).set('Origin', BLOG);
        expect([url, res.headers['access-control-allow-origin']]).toEqual([url, BLOG]);
        expect([url, res.headers['access-control-allow-credentials']]).toEqual([url, undefined]);
      }
    });

    it('the public API refuses any other origin, and never pairs a wildcard with credentials', async () => {
      for (const { url } of publicGets()) {
        for (const origin of [ELSEWHERE, 'null', `${BLOG}.attacker.example`, BLOG.replace('https', 'http')]) {
          const res = await store.api.get(url).set('Origin', origin);
          expect([url, origin, res.headers['access-control-allow-origin']]).toEqual([url, origin, undefined]);
        }
      }
      const all = answers.filter((a) => a.res.headers['access-control-allow-origin'] === '*');
      expect(all.filter((a) => a.res.headers['access-control-allow-credentials'] !== undefined).map(described)).toEqual([]);
    });

    it('preflights: allowed for an embed origin on the public API, refused for others', async () => {
      const writes = answers.filter((a) => a.cls === 'public-api' && UNSAFE.has(a.route.method));
      expect(writes.length).toBeGreaterThanOrEqual(4);
      for (const { url, route } of writes) {
        const allowed = await store.api
          .options(url)
          .set('Origin', BLOG)
          .set('Access-Control-Request-Method', route.method)
          .set('Access-Control-Request-Headers', 'content-type');
        expect([url, allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([url, 204, BLOG]);
        expect(allowed.headers['access-control-allow-methods']).toContain(route.method);
        expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
        const refused = await store.api.options(url).set('Origin', ELSEWHERE).set('Access-Control-Request-Method', route.method);
        expect([url, refused.headers['access-control-allow-origin']]).toEqual([url, undefined]);
      }
    });

    it('the admin and the callbacks send no CORS allow header, even to an embed origin', async () => {
      expect(noCorsRoutes().length).toBeGreaterThan(20);
      for (const { url, route } of noCorsRoutes()) {
        const simple = await store.api.get(url).set('Origin', BLOG);
        const preflight = await store.api.options(url).set('Origin', BLOG).set('Access-Control-Request-Method', route.method);
        for (const res of [simple, preflight]) {
          const allow = Object.keys(res.headers).filter((h) => h.startsWith('access-control-allow-'));
          expect([route.method, url, res.status < 500, allow]).toEqual([route.method, url, true, []]);
        }
      }
    });
  });

  describe('CSRF', () => {
    it('every unsafe admin request without the token is refused 403 and changes nothing', async () => {
      const unsafe = answers.filter((a) => a.cls === 'admin' && UNSAFE.has(a.route.method));
      expect(unsafe.length).toBeGreaterThanOrEqual(15);
      // The second login step runs only for a half-logged-in session; for a logged-in one it says
      // so before any token is read (409 JSON, 303 for the form), having done nothing.
      const alreadyPast = (a: Answer) => /\/login\/totp$/.test(a.route.path) && [303, 409].includes(a.res.status);
      expect(unsafe.filter((a) => a.res.status !== 403 && !alreadyPast(a)).map(described)).toEqual([]);
      // Again, counting rows: the logged-in admin, every unsafe route, no token.
      const admin = await loggedInAdmin(store);
      const before = await rowCounts(store.dataSource);
      for (const { route, url } of unsafe) {
        const method = route.method.toLowerCase() as 'post' | 'patch' | 'delete';
        await admin.agent[method](url).send({ name: 'x', amount: 1, password: 'a long admin passphrase' });
        await admin.agent[method](url).type('form').send({ _csrf: 'forged', name: 'x' });
      }
      expect(countChanges(before, await rowCounts(store.dataSource))).toEqual([]);
    });

    it('the token really opens the door (the refusal above is the CSRF check)', async () => {
      const admin = await loggedInAdmin(store);
      const res = await admin.agent.post('/api/admin/products').set('X-CSRF-Token', admin.csrfToken).send({});
      expect(res.status).toBe(400);
    });

    it('the public API needs no token: it works without cookies and sets none', async () => {
      const fresh = request(store.storeUrl);
      const res = await fresh.post('/api/carts').ca(store.tls.cert).set('Origin', BLOG).send({}).expect(201);
      expect(setCookies(res)).toEqual([]);
    });
  });
});
