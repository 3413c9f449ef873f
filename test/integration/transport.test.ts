import http from 'node:http';
import request from 'supertest';
import { createApp } from '../../server/app';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { useTeardown } from '../support/teardown';
import { useTestStore } from '../support/test-store';

describe('HTTPS by default', () => {
  const store = useTestStore({ HTTPS_PORT: '9443' });

  it('sends HSTS on HTTPS responses', async () => {
    const res = await store.api.get('/api/products').expect(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  describe('the plain HTTP listener', () => {
    const teardown = useTeardown();
    let plain: request.Agent;
    beforeAll(async () => {
      const server = await teardown.track(listenOnLoopback(http.createServer(store.app)), closeServer);
      plain = request.agent(`http://127.0.0.1:${portOf(server)}`);
    });

    it('redirects every request to the same path on the HTTPS origin with 308, without HSTS', async () => {
      const res = await plain.get('/x?y=1').expect(308);
      expect(res.headers.location).toBe('https://localhost:9443/x?y=1');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      const post = await plain.post('/api/carts').send({}).expect(308);
      expect(post.headers.location).toBe('https://localhost:9443/api/carts');
    });

    it('ignores the Host header when redirecting', async () => {
      const res = await plain.get('/').set('Host', 'evil.example').expect(308);
      expect(res.headers.location).toBe('https://localhost:9443/');
    });

    it('answers GET /healthz itself', async () => {
      await plain.get('/healthz').expect(200, { status: 'ok' });
    });
  });
});

describe('TRUST_PROXY mode (TLS terminated by a proxy)', () => {
  const teardown = useTeardown();
  const store = useTestStore({ TRUST_PROXY: 'loopback', PUBLIC_URL: 'https://shop.example.com' }, teardown);
  let viaProxy: request.Agent;
  beforeAll(async () => {
    const { app } = createApp({ config: store.config, dataSource: store.dataSource, logger: store.logger, gateways: store.gateways });
    const server = await teardown.track(listenOnLoopback(http.createServer(app)), closeServer);
    viaProxy = request.agent(`http://127.0.0.1:${portOf(server)}`);
  });

  it('serves requests the proxy received over HTTPS, with HSTS', async () => {
    const res = await viaProxy.get('/api/products').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.body.items[0].image).toMatch(/^https:\/\/shop\.example\.com\/images\//);
  });

  it('still redirects requests the proxy received over plain HTTP', async () => {
    const res = await viaProxy.get('/api/products').set('X-Forwarded-Proto', 'http').expect(308);
    expect(res.headers.location).toBe('https://shop.example.com/api/products');
    await viaProxy.get('/api/products').expect(308);
  });
});

describe('error contract', () => {
  const store = useTestStore();

  it('answers unknown routes with a JSON 404', async () => {
    const res = await store.api.get('/api/nope').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nope' } });
    const elsewhere = await store.api.get('/no/such/page').expect(404);
    expect(elsewhere.body.error.code).toBe('not_found');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await store.api.post('/api/carts').set('Content-Type', 'application/json').send('{"a":').expect(400);
    expect(res.body.error).toEqual({ code: 'malformed_json', message: 'The request body is not valid JSON' });
  });

  it('answers oversized bodies with 413', async () => {
    const res = await store.api
      .post('/api/carts')
      .send({ note: 'x'.repeat(40 * 1024) })
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('rejects unknown keys and unknown query parameters', async () => {
    const body = await store.api.post('/api/carts').send({ admin: true }).expect(400);
    expect(body.body.error.details).toEqual([{ path: 'admin', message: '"admin" is not allowed' }]);
    const query = await store.api.get('/api/products?sort=price').expect(400);
    expect(query.body.error.details[0].path).toBe('sort');
    await store.api.get('/api/products?limit=500').expect(400);
  });

  it('paginates the catalog with limit and offset', async () => {
    const page1 = await store.api.get('/api/products?limit=3&offset=0').expect(200);
    const page2 = await store.api.get('/api/products?limit=3&offset=3').expect(200);
    expect(page1.body).toMatchObject({ total: 8, limit: 3, offset: 0 });
    expect(page1.body.items).toHaveLength(3);
    const slugs = [...page1.body.items, ...page2.body.items].map((p: { slug: string }) => p.slug);
    expect(new Set(slugs).size).toBe(6);
    await store.api.get('/api/products/enamel-mug').expect(200);
    const missing = await store.api.get('/api/products/no-such-thing').expect(404);
    expect(missing.body.error.message).toBe('Product "no-such-thing" was not found');
  });

  it('allows CORS from embed origins only, without credentials', async () => {
    const ok = await store.api.get('/api/products').set('Origin', 'http://localhost:8000').expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:8000');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await store.api
      .options('/api/carts')
      .set('Origin', 'http://localhost:8000')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    const refused = await store.api.get('/api/products').set('Origin', 'https://evil.example').expect(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the embed script and demo images for use on other origins', async () => {
    const script = await store.api
      .get('/embed.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    await store.api.get('/images/mug.svg').expect(200);
    await store.api.get('/images/nope.svg').expect(404);
  });

  it('serves the standalone storefront under the strict page policy', async () => {
    const res = await store.api.get('/').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('data-padlock-store');
    expect(res.text).toContain('src="/embed.js"');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
