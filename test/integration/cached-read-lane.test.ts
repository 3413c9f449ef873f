import http from 'node:http';
import https from 'node:https';
import { useTestStore, type TestStore } from '../support/test-store';

// The cached-read lane answers the catalog's commonest reads ahead of the router. The usual chain
// stays the reference: for each read, the lane's answer (status, every header in order but Date,
// body) must equal the chain's answer to the same resource asked with an empty query ("?"), which
// the lane leaves to the chain. Which of the two answered shows in the server's setHeader calls:
// the lane writes one prepared header block and calls it never, the chain calls it for each header.

const BLOG = 'https://blog.example';

interface Answer {
  readonly status: number;
  /** Raw header lines in the order sent, without Date (which moves). */
  readonly headers: string[];
  readonly body: string;
  /** How many times the server called setHeader while answering. */
  readonly setHeaderCalls: number;
}

const setHeader = jest.spyOn(http.ServerResponse.prototype, 'setHeader');
afterAll(() => setHeader.mockRestore());

function ask(store: TestStore, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const before = setHeader.mock.calls.length;
  return new Promise((resolve, reject) => {
    // A path, not a URL: a URL would drop an empty query ("?"), which the reference requests need.
    const { hostname, port } = new URL(store.storeUrl);
    const req = https.request({ hostname, port, path, method, headers, ca: store.tls.cert, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i].toLowerCase() !== 'date') lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: lines,
          body: Buffer.concat(chunks).toString('utf8'),
          setHeaderCalls: setHeader.mock.calls.length - before,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the cached-read lane gives the answer of the usual chain', () => {
  const store = useTestStore({ EMBED_ORIGINS: BLOG, CATALOG_CACHE_CHECK_MS: '1000' });
  let slug: string;

  beforeAll(async () => {
    const rows: { slug: string }[] = await store.dataSource.query('SELECT slug FROM products WHERE active = 1 ORDER BY id LIMIT 1');
    slug = rows[0].slug;
  });

  // What the lane answers, and the same resource asked so that the chain answers (by default with
  // an empty query). `{slug}` stands for the first product's (known once the store runs).
  const reads: [string, string, string][] = [
    ['the catalog', '/api/products', '/api/products?'],
    ['the page the widget asks for', '/api/products?limit=24&offset=0', '/api/products?offset=0&limit=24'],
    ['a category page', '/api/products?limit=2&offset=1&category=stationery', '/api/products?category=stationery&offset=1&limit=2'],
    ['a product', '/api/products/{slug}', '/api/products/{slug}?'],
    ['a product snapshot', '/seo/products/{slug}', '/seo/products/{slug}?'],
    ['the catalog snapshot', '/seo/catalog', '/seo/catalog?'],
  ];

  /**
   * The lane's answer and the chain's. The lane answers once a request has built the entry and
   * while the catalog version read is fresh (CATALOG_CACHE_CHECK_MS): on a loaded machine the next
   * request may come later than that, so the pair is asked again, a bounded number of times.
   */
  async function both(
    path: string,
    method: string,
    headers: Record<string, string> = {},
    reference = `${path}?`,
  ): Promise<{ lane: Answer; chain: Answer }> {
    let lane: Answer | undefined;
    for (let attempt = 0; attempt < 20 && lane?.setHeaderCalls !== 0; attempt++) {
      await ask(store, 'GET', path);
      lane = await ask(store, method, path, headers);
    }
    const chain = await ask(store, method, reference, headers);
    return { lane: lane!, chain };
  }

  it.each(reads)('%s: the same status, headers in order and body', async (_what, template, reference) => {
    const [path, chainPath] = [template, reference].map((p) => p.replace('{slug}', slug));
    const { lane, chain } = await both(path, 'GET', {}, chainPath);
    expect(lane.setHeaderCalls).toBe(0);
    expect(chain.setHeaderCalls).toBeGreaterThan(5);
    expect(lane.status).toBe(200);
    expect({ ...lane, setHeaderCalls: 0 }).toEqual({ ...chain, setHeaderCalls: 0 });
    expect(lane.headers).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Strict-Transport-Security: max-age=/), expect.stringMatching(/^ETag: "/)]),
    );
  });

  it.each(reads)('%s: the same 304 to a client holding the bytes, and the same HEAD', async (_what, template, reference) => {
    const [path, chainPath] = [template, reference].map((p) => p.replace('{slug}', slug));
    const etag = (await ask(store, 'GET', path)).headers.find((h) => h.startsWith('ETag: '))!.slice(6);
    const held = await both(path, 'GET', { 'If-None-Match': etag }, chainPath);
    expect(held.lane.setHeaderCalls).toBe(0);
    expect(held.lane.status).toBe(304);
    expect({ ...held.lane, setHeaderCalls: 0 }).toEqual({ ...held.chain, setHeaderCalls: 0 });
    const head = await both(path, 'HEAD', {}, chainPath);
    expect(head.lane.setHeaderCalls).toBe(0);
    expect([head.lane.status, head.lane.body]).toEqual([200, '']);
    expect({ ...head.lane, setHeaderCalls: 0 }).toEqual({ ...head.chain, setHeaderCalls: 0 });
  });

  it('the public API: CORS for an allowed blog origin, none for another origin, and none on snapshots', async () => {
    const allowed = await both('/api/products', 'GET', { Origin: BLOG });
    expect(allowed.lane.setHeaderCalls).toBe(0);
    expect(allowed.lane.headers).toEqual(expect.arrayContaining([`Access-Control-Allow-Origin: ${BLOG}`, 'Vary: Origin']));
    expect({ ...allowed.lane, setHeaderCalls: 0 }).toEqual({ ...allowed.chain, setHeaderCalls: 0 });

    const other = await both(`/api/products/${slug}`, 'GET', { Origin: 'https://elsewhere.example' });
    expect(other.lane.setHeaderCalls).toBe(0);
    expect(other.lane.headers.filter((h) => h.startsWith('Access-Control-'))).toEqual([]);
    expect({ ...other.lane, setHeaderCalls: 0 }).toEqual({ ...other.chain, setHeaderCalls: 0 });

    const snapshot = await both(`/seo/products/${slug}`, 'GET', { Origin: BLOG });
    expect(snapshot.lane.headers.filter((h) => h.startsWith('Access-Control-'))).toEqual([]);
    expect({ ...snapshot.lane, setHeaderCalls: 0 }).toEqual({ ...snapshot.chain, setHeaderCalls: 0 });
  });

  it('ignores X-Forwarded-Proto from a peer that is not a trusted proxy, as the chain does', async () => {
    const told = await both('/api/products', 'GET', { 'X-Forwarded-Proto': 'http' });
    expect([told.lane.status, told.lane.setHeaderCalls]).toEqual([200, 0]);
    expect({ ...told.lane, setHeaderCalls: 0 }).toEqual({ ...told.chain, setHeaderCalls: 0 });
  });

  it('leaves to the chain what it cannot answer the same way: unknown products, bodies, card numbers, other methods', async () => {
    const unknown = await ask(store, 'GET', '/api/products/no-such-product');
    await ask(store, 'GET', '/api/products/no-such-product');
    const again = await ask(store, 'GET', '/api/products/no-such-product');
    expect([unknown.status, again.status]).toEqual([404, 404]);
    expect(again.setHeaderCalls).toBeGreaterThan(0);
    expect(JSON.parse(again.body)).toMatchObject({ error: { code: 'not_found' } });

    const withBody = await ask(store, 'GET', '/api/products', { 'Content-Length': '0' });
    expect([withBody.status, withBody.setHeaderCalls > 0]).toEqual([200, true]);

    const card = await ask(store, 'GET', '/api/products/4242-4242-4242-4242');
    expect(card.status).toBe(400);
    expect(card.body).toContain('card_data_refused');

    const post = await ask(store, 'POST', '/api/products');
    expect(post.status).toBe(404);
  });

  it('logs its answers like any other', async () => {
    const before = store.logLines.length;
    await ask(store, 'GET', '/api/products');
    await ask(store, 'GET', '/api/products');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = store.logLines.slice(before).map((l) => JSON.parse(l) as { req?: { url: string }; res?: { statusCode: number } });
    expect(lines.filter((l) => l.req?.url === '/api/products' && l.res?.statusCode === 200)).toHaveLength(2);
  });
});

describe('the cached-read lane behind a proxy (TRUST_PROXY)', () => {
  const store = useTestStore({ TRUST_PROXY: 'loopback', CATALOG_CACHE_CHECK_MS: '1000' });

  it('answers what the proxy says came over HTTPS, and leaves plain HTTP to the redirect', async () => {
    let secure: Answer | undefined;
    for (let attempt = 0; attempt < 20 && secure?.setHeaderCalls !== 0; attempt++) {
      await ask(store, 'GET', '/api/products', { 'X-Forwarded-Proto': 'https' });
      secure = await ask(store, 'GET', '/api/products', { 'X-Forwarded-Proto': 'https' });
    }
    expect([secure!.status, secure!.setHeaderCalls]).toEqual([200, 0]);
    expect(secure!.headers).toEqual(expect.arrayContaining([expect.stringMatching(/^Strict-Transport-Security: /)]));

    // Only the first value counts (the proxy nearest the client writes it first).
    const listed = await ask(store, 'GET', '/api/products', { 'X-Forwarded-Proto': 'https, http' });
    expect([listed.status, listed.setHeaderCalls]).toEqual([200, 0]);

    const plain = await ask(store, 'GET', '/api/products', { 'X-Forwarded-Proto': 'http' });
    expect(plain.status).toBe(308);
    expect(plain.headers).toEqual(expect.arrayContaining([`Location: ${store.config.publicUrl}/api/products`]));
  });
});
