import request from 'supertest';
import { createAttackTargets, loggedInAdmin, type AttackTargets } from '../support/attack-fixtures';
import { SQL_PAYLOADS } from '../support/fuzz-inputs';
import { countChanges, rowCounts } from '../support/row-counts';
import { useTestStore } from '../support/test-store';

// Hundreds of requests a test, and logins (password hashing): slow on a busy machine.
jest.setTimeout(120_000);

// SQL-shaped input in every filter and search parameter changes nothing (issue 11 part 7): each
// answer is a 2xx/4xx, a 2xx shows exactly what an ordinary value that matches nothing shows (an
// injection that widened the query would show extra rows), and no table gains or loses a row.

const BLOG = 'https://blog.example';

/** A list or search parameter, the URL it belongs to, and an ordinary value that matches nothing. */
interface FilterParam {
  readonly url: string;
  readonly name: string;
  readonly nothing: string;
  /** Other parameters the request needs. */
  readonly fixed?: Record<string, string>;
  readonly admin?: boolean;
}

const FILTERS: readonly FilterParam[] = [
  { url: '/api/products', name: 'category', nothing: 'no-such-category' },
  { url: '/api/products', name: 'limit', nothing: '1' },
  { url: '/api/products', name: 'offset', nothing: '999999' },
  { url: '/seo/catalog', name: 'category', nothing: 'no-such-category' },
  { url: '/api/embed-check', name: 'origin', nothing: 'https://nobody.example' },
  { url: '/api/admin/orders', name: 'q', nothing: 'nobody-at-all', admin: true },
  { url: '/api/admin/orders', name: 'status', nothing: 'refunded', admin: true },
  { url: '/api/admin/orders', name: 'from', nothing: '2999-01-01', admin: true },
  { url: '/api/admin/orders', name: 'to', nothing: '1999-01-01', admin: true },
  { url: '/api/admin/orders', name: 'page', nothing: '1', fixed: { q: 'nobody-at-all' }, admin: true },
  { url: '/admin/orders', name: 'q', nothing: 'nobody-at-all', admin: true },
  { url: '/admin/orders', name: 'status', nothing: 'refunded', admin: true },
  { url: '/api/admin/audit', name: 'actor', nothing: 'nobody@nowhere.example', admin: true },
  { url: '/api/admin/audit', name: 'page', nothing: '1', fixed: { actor: 'nobody@nowhere.example' }, admin: true },
  { url: '/admin/audit', name: 'actor', nothing: 'nobody@nowhere.example', admin: true },
];

/** Path parameters that look things up: an injected one must find nothing (404) or be refused. */
const LOOKUPS = (t: AttackTargets): string[] => [
  '/api/products/',
  '/api/carts/',
  `/api/carts/${t.cartId}/items/`,
  '/orders/',
  '/checkout/',
  '/products/',
  '/seo/products/',
  '/api/admin/orders/',
  '/api/admin/products/',
];

/** What a list answer shows, less what echoes the request (the search form's fields) or changes every time (CSRF tokens). */
const shown = (res: request.Response): string =>
  res.type === 'application/json' ? JSON.stringify(res.body) : res.text.replace(/ value="[^"]*"/g, '').replace(/ href="[^"]*\?[^"]*"/g, '');

describe('attack suite: SQL-shaped input in every filter, search and look-up', () => {
  const store = useTestStore({ EMBED_ORIGINS: BLOG, RATE_LIMIT_FACTOR: '1000' });
  let targets: AttackTargets;
  let admin: request.Agent;
  let tried = 0;

  beforeAll(async () => {
    targets = await createAttackTargets(store);
    admin = (await loggedInAdmin(store)).agent;
  });

  afterAll(() => {
    process.stderr.write(`attack SQL-shaped input (${store.config.database.kind}): ${tried} requests\n`);
  });

  it('the filters have data to leak: an ordinary search does find the order and the admin', async () => {
    const found = await admin
      .get('/api/admin/orders')
      .query({ q: String(targets.orderId) })
      .expect(200);
    expect(found.body.total).toBeGreaterThanOrEqual(1);
    const audit = await admin.get('/api/admin/audit').query({ actor: 'admin@shop.test' }).expect(200);
    expect(audit.body.total).toBeGreaterThanOrEqual(1);
  });

  it.each(FILTERS.map((f) => [`${f.url} ?${f.name}=`, f] as const))('%s', async (_name, filter) => {
    const agent = filter.admin ? admin : request.agent(store.storeUrl, { ca: store.tls.cert });
    const ask = (value: string) => agent.get(filter.url).query({ ...filter.fixed, [filter.name]: value });
    const baseline = await ask(filter.nothing);
    expect(baseline.status).toBeLessThan(500);
    const before = await rowCounts(store.dataSource);
    const widened: string[] = [];
    for (const payload of [...SQL_PAYLOADS, ...SQL_PAYLOADS.map((p) => `${filter.nothing}${p}`)]) {
      const res = await ask(payload);
      tried += 1;
      expect([payload, res.status >= 200 && res.status < 500]).toEqual([payload, true]);
      if (res.status < 300 && shown(res) !== shown(baseline)) widened.push(`${payload} → ${res.status} ${shown(res).slice(0, 200)}`);
    }
    expect(widened).toEqual([]);
    expect(countChanges(before, await rowCounts(store.dataSource))).toEqual([]);
  });

  it('look-ups by id, token or slug find nothing with SQL in them', async () => {
    const before = await rowCounts(store.dataSource);
    const found: string[] = [];
    for (const prefix of LOOKUPS(targets)) {
      for (const payload of SQL_PAYLOADS) {
        const agent = prefix.includes('/admin/') ? admin : request.agent(store.storeUrl, { ca: store.tls.cert });
        const res = await agent.get(`${prefix}${encodeURIComponent(payload)}`);
        tried += 1;
        expect([prefix, payload, res.status >= 200 && res.status < 500]).toEqual([prefix, payload, true]);
        if (res.status < 300) found.push(`${prefix}${payload} → ${res.status}`);
      }
    }
    expect(found).toEqual([]);
    expect(countChanges(before, await rowCounts(store.dataSource))).toEqual([]);
  });

  it('SQL in body fields is stored as text at most, and every table is still there', async () => {
    const cart = (await request(store.storeUrl).post('/api/carts').ca(store.tls.cert).send({}).expect(201)).body as { id: string };
    for (const payload of SQL_PAYLOADS) {
      const res = await request(store.storeUrl)
        .post(`/api/carts/${cart.id}/checkout`)
        .ca(store.tls.cert)
        .send({ returnUrl: `${BLOG}/shop?q=${encodeURIComponent(payload)}` });
      tried += 1;
      expect([payload, res.status >= 200 && res.status < 500]).toEqual([payload, true]);
    }
    const counts = await rowCounts(store.dataSource);
    expect(counts.orders).toBeGreaterThanOrEqual(1);
    expect(counts.products).toBeGreaterThanOrEqual(8);
    expect(counts.admin_users).toBeGreaterThanOrEqual(1);
  });
});
