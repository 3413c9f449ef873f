import { createHash } from 'node:crypto';
import https from 'node:https';
import Stripe from 'stripe';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/database';
import { DatabaseRateLimitStore } from '../../server/db/database-rate-limit-store';
import { RATE_LIMITS, scaledLimit } from '../../server/http/rate-limiter';
import { MAX_BODY_ARRAY_LENGTH, MAX_BODY_DEPTH } from '../../server/http/body-shape-limit';
import type { Options } from 'express-rate-limit';
import { closeServer, listenOnLoopback } from '../support/loopback';
import { productId } from '../support/shopper';
import { useTeardown } from '../support/teardown';
import { testEngine } from '../support/test-database';
import { useTestStore, type TestStore } from '../support/test-store';

const WEBHOOK_SECRET = 'whsec_padlock_rate_limit_test';
/** Small enough that the tests reach each limit in a few requests. */
const FACTOR = 0.01;
const ORDER_LOOKUPS = scaledLimit(RATE_LIMITS.orderLookups, FACTOR);
const CART_WRITES = scaledLimit(RATE_LIMITS.cartWrites, FACTOR);
const CHECKOUTS = scaledLimit(RATE_LIMITS.checkoutCreation, FACTOR);
const REFUSED_CALLBACKS = scaledLimit(RATE_LIMITS.callbacks, FACTOR);

/**
 * A connection of its own to the store's database on MariaDB. On SQLite, the same connection:
 * two better-sqlite3 connections to one file in one process deadlock (a connection waiting for
 * the write lock blocks the only thread, so the holder never commits); instances on SQLite are
 * separate processes, each with its own connection.
 */
async function connectionFor(store: TestStore, teardown: ReturnType<typeof useTeardown>): Promise<DataSource> {
  if (testEngine() === 'sqlite') return store.dataSource;
  return teardown.track(openDatabase(store.config.database), (ds) => ds.destroy());
}

/** A second store instance on the first one's database: its own app, limiters and stores, sharing only the database. */
interface SecondInstance {
  readonly api: request.Agent;
  readonly dataSource: DataSource;
}

async function secondInstance(store: TestStore, teardown: ReturnType<typeof useTeardown>): Promise<SecondInstance> {
  const dataSource = await connectionFor(store, teardown);
  const { app, services } = createApp({
    config: store.config,
    dataSource,
    logger: store.logger,
    clock: store.clock.now,
    gateways: store.gateways,
  });
  teardown.defer(() => services.outbox.stop());
  const server = await teardown.track(listenOnLoopback(https.createServer({ cert: store.tls.cert, key: store.tls.key }, app)), closeServer);
  return { api: request.agent(server, { ca: store.tls.cert }), dataSource };
}

const count = async (dataSource: DataSource, sql: string, params: unknown[] = []) =>
  Number((await dataSource.query<{ n: number | string }[]>(sql, params))[0].n);

/** A public id of the right shape that no order has: a guess. */
const guessedOrderId = (i: number) => `guess${String(i).padStart(27, '0')}`;

describe('rate limits kept in the database, shared by two instances (TRUST_PROXY=loopback, RATE_LIMIT_FACTOR=0.01)', () => {
  const teardown = useTeardown();
  const store = useTestStore(
    { TRUST_PROXY: 'loopback', RATE_LIMIT_FACTOR: String(FACTOR), STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    teardown,
  );
  let other: SecondInstance;
  beforeAll(async () => {
    other = await secondInstance(store, teardown);
  });
  const instances = () => [store.api, other.api];

  it(`order page look-ups, 404 guesses included, are refused past ${ORDER_LOOKUPS} per address across both instances, with Retry-After, until the window ends`, async () => {
    const client = '203.0.113.10';
    for (let i = 0; i < ORDER_LOOKUPS; i++) {
      const res = await instances()
        [i % 2].get(`/orders/${guessedOrderId(i)}`)
        .set('X-Forwarded-For', client);
      expect(res.status).toBe(404);
      expect(res.headers['ratelimit']).toMatch(new RegExp(`^"order_lookups"; r=${ORDER_LOOKUPS - i - 1}; t=\\d+$`));
    }
    for (const api of instances()) {
      const refused = await api.get(`/orders/${guessedOrderId(99)}`).set('X-Forwarded-For', client);
      expect(refused.status).toBe(429);
      expect(refused.type).toBe('text/html');
      expect(refused.text).toMatch(/Too many order pages requested from this address\. Try again in \d+ (minutes|seconds?)\./);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(RATE_LIMITS.orderLookups.windowMs / 1000);
      expect(refused.headers['ratelimit-policy']).toContain(`"order_lookups"; q=${ORDER_LOOKUPS}; w=600`);
    }
    // Another address is counted apart.
    await store.api
      .get(`/orders/${guessedOrderId(1)}`)
      .set('X-Forwarded-For', '203.0.113.11')
      .expect(404);
    // The next window starts from nothing, on both instances (they share the clock, as servers share time).
    store.clock.advanceMinutes(10);
    await other.api
      .get(`/orders/${guessedOrderId(1)}`)
      .set('X-Forwarded-For', client)
      .expect(404);
    await store.api
      .get(`/orders/${guessedOrderId(2)}`)
      .set('X-Forwarded-For', client)
      .expect(404);
  });

  it(`cart writes are refused past ${CART_WRITES} per address with a JSON 429 and nothing stored; reading a cart does not count`, async () => {
    const client = '203.0.113.20';
    const before = await count(store.dataSource, 'SELECT COUNT(*) AS n FROM carts');
    const ids: string[] = [];
    for (let i = 0; i < CART_WRITES; i++) {
      const res = await instances()[i % 2].post('/api/carts').set('X-Forwarded-For', client).send({}).expect(201);
      ids.push(res.body.id as string);
    }
    const refused = await other.api.post('/api/carts').set('X-Forwarded-For', client).send({}).expect(429);
    expect(refused.body).toEqual({
      error: { code: 'too_many_requests', message: expect.stringMatching(/^Too many cart changes from this address\. Try again in /) },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await store.api
      .post(`/api/carts/${ids[0]}/items`)
      .set('X-Forwarded-For', client)
      .send({ productId: await productId(store, 'risograph-poster'), quantity: 1 })
      .expect(429);
    expect(await count(store.dataSource, 'SELECT COUNT(*) AS n FROM carts')).toBe(before + CART_WRITES);
    expect(await count(store.dataSource, 'SELECT COUNT(*) AS n FROM cart_items WHERE cart_id = ?', [ids[0]])).toBe(0);
    await store.api.get(`/api/carts/${ids[0]}`).set('X-Forwarded-For', client).expect(200);
    await store.api.post('/api/carts').set('X-Forwarded-For', '203.0.113.21').send({}).expect(201);
  });

  it(`checkout creation is refused past ${CHECKOUTS} per address`, async () => {
    const client = '203.0.113.30';
    const cart = (await store.api.post('/api/carts').set('X-Forwarded-For', client).send({}).expect(201)).body.id as string;
    await store.api
      .post(`/api/carts/${cart}/items`)
      .set('X-Forwarded-For', client)
      .send({ productId: await productId(store, 'risograph-poster'), quantity: 1 })
      .expect(201);
    const returnUrl = 'http://localhost:8000/blog/shop';
    for (let i = 0; i < CHECKOUTS; i++) {
      await instances()[i % 2].post(`/api/carts/${cart}/checkout`).set('X-Forwarded-For', client).send({ returnUrl }).expect(201);
    }
    const refused = await other.api.post(`/api/carts/${cart}/checkout`).set('X-Forwarded-For', client).send({ returnUrl }).expect(429);
    expect(refused.body.error.message).toMatch(/^Too many checkouts started from this address\./);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  describe('gateway callbacks', () => {
    const stripe = new Stripe('sk_test_padlock_rate_limits');
    const signedEvent = (id: string) => {
      const payload = JSON.stringify({
        id,
        object: 'event',
        type: 'customer.created',
        created: Math.floor(Date.now() / 1000),
        api_version: '2026-10-28.endive',
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object: { id: `cus_${id}`, object: 'customer' } },
      });
      return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) };
    };
    const deliver = (api: request.Agent, client: string, event: { payload: string; signature?: string }) => {
      const req = api.post('/webhooks/stripe').set('X-Forwarded-For', client).set('Content-Type', 'application/json');
      return (event.signature ? req.set('Stripe-Signature', event.signature) : req).send(event.payload);
    };

    it(`a burst of ${REFUSED_CALLBACKS * 4} accepted deliveries and retries from one address, 10 at a time, is never refused`, async () => {
      const client = '198.51.100.40';
      for (let batch = 0; batch < 4 * REFUSED_CALLBACKS; batch += 10) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) => deliver(instances()[i % 2], client, signedEvent(`evt_burst_${(batch + i) % 25}`))),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      }
      // Verified deliveries never reach the limiter: it writes nothing for them.
      expect(await store.dataSource.query("SELECT * FROM rate_limit_hits WHERE limiter = 'callbacks'")).toEqual([]);
    });

    it(`refused callbacks are limited to ${REFUSED_CALLBACKS} per route and address; other routes and addresses are not affected`, async () => {
      const client = '198.51.100.50';
      const unsigned = { payload: signedEvent('evt_unsigned').payload };
      for (let i = 0; i < REFUSED_CALLBACKS; i++) {
        expect((await deliver(instances()[i % 2], client, unsigned)).status).toBe(400);
      }
      const refused = await deliver(store.api, client, unsigned);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('too_many_requests');
      expect(refused.headers['retry-after']).toBeDefined();
      await store.api
        .post('/webhooks/braintree')
        .set('X-Forwarded-For', client)
        .type('form')
        .send('bt_signature=x&bt_payload=y')
        .expect(401);
      expect((await deliver(other.api, '198.51.100.51', signedEvent('evt_other_address'))).status).toBe(200);
    });
  });

  it(`JSON bodies nested deeper than ${MAX_BODY_DEPTH} levels or with arrays over ${MAX_BODY_ARRAY_LENGTH} items are refused before any handler`, async () => {
    const client = '203.0.113.60';
    const cart = (await store.api.post('/api/carts').set('X-Forwarded-For', client).send({}).expect(201)).body.id as string;
    let deep: unknown = 1;
    for (let i = 0; i < MAX_BODY_DEPTH; i++) deep = { d: deep };
    const tooDeep = await store.api
      .post(`/api/carts/${cart}/items`)
      .set('X-Forwarded-For', client)
      .send({ productId: await productId(store, 'risograph-poster'), quantity: 1, extra: deep })
      .expect(400);
    expect(tooDeep.body.error).toMatchObject({
      code: 'body_too_deep',
      message: `The request body is nested too deeply at "extra.d.d.d.d.d.d.d.d.d": at most ${MAX_BODY_DEPTH} levels of objects and arrays are accepted`,
    });
    const tooLong = await store.api
      .post('/api/carts')
      .set('X-Forwarded-For', client)
      .send({ items: Array(MAX_BODY_ARRAY_LENGTH + 1).fill(1) })
      .expect(400);
    expect(tooLong.body.error).toMatchObject({
      code: 'array_too_long',
      message: `The array at "items" is too long: at most ${MAX_BODY_ARRAY_LENGTH} items are accepted`,
    });
    // At the limits the body reaches its handler, which has its own rules.
    const atLimit = await store.api
      .post('/api/carts')
      .set('X-Forwarded-For', client)
      .send({ items: Array(MAX_BODY_ARRAY_LENGTH).fill(1) })
      .expect(400);
    expect(atLimit.body.error.code).toBe('invalid_request');
    expect(await count(store.dataSource, 'SELECT COUNT(*) AS n FROM cart_items WHERE cart_id = ?', [cart])).toBe(0);
    // A form can never hold a longer array: the form parser refuses more than 100 fields.
    const fields = Array.from({ length: MAX_BODY_ARRAY_LENGTH + 1 }, () => 'a=1').join('&');
    await store.api.post('/checkout/nothing').set('X-Forwarded-For', client).type('form').send(fields).expect(413);
  });
});

describe('DatabaseRateLimitStore', () => {
  const teardown = useTeardown();
  const store = useTestStore({}, teardown);
  let second: DataSource;
  beforeAll(async () => {
    second = await connectionFor(store, teardown);
  });
  const makeStore = (dataSource: DataSource, windowMs = 60_000) => {
    const s = new DatabaseRateLimitStore(dataSource, 'store_test', store.clock.now, store.logger, (key) =>
      store.services.secrets.pseudonym(key, 'rate-limit client'),
    );
    s.init({ windowMs } as Options);
    return s;
  };
  const rows = () =>
    store.dataSource.query<{ client_key: string; hits: number | string }[]>(
      "SELECT client_key, hits FROM rate_limit_hits WHERE limiter = 'store_test'",
    );

  it('counts 200 increments made at once through two stores (two connections on MariaDB) exactly: each sees its own count, 1 to 200', async () => {
    const a = makeStore(store.dataSource);
    const b = makeStore(second);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).increment('203.0.113.70')));
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.resetTime?.getTime())).size).toBe(1);
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(Number(stored[0].hits)).toBe(200);
    // The address is stored neither in clear nor as a plain hash anyone could recompute.
    expect(stored[0].client_key).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].client_key).not.toBe(createHash('sha256').update('store_test\n203.0.113.70').digest('hex'));
    expect(stored[0].client_key).toBe(store.services.secrets.pseudonym('store_test\n203.0.113.70', 'rate-limit client'));
    await a.decrement('203.0.113.70');
    expect(Number((await rows())[0].hits)).toBe(199);
    await b.resetKey('203.0.113.70');
    expect(await rows()).toHaveLength(0);
    expect((await a.increment('203.0.113.70')).totalHits).toBe(1);
  });

  it('starts a new count when the window ends, and the sweep deletes the ended windows only', async () => {
    const a = makeStore(store.dataSource, 60_000);
    await a.increment('203.0.113.80');
    const first = await a.increment('203.0.113.80');
    expect(first.totalHits).toBe(2);
    store.clock.advanceMinutes(1);
    const next = await a.increment('203.0.113.80');
    expect(next.totalHits).toBe(1);
    expect(next.resetTime!.getTime() - first.resetTime!.getTime()).toBe(60_000);
    await a.sweep(store.clock.now());
    expect(await rows()).toEqual([expect.objectContaining({ hits: expect.anything() })]);
    expect(Number((await rows())[0].hits)).toBe(1);
  });
});
