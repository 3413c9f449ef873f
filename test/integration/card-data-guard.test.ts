import fc from 'fast-check';
import type request from 'supertest';
import { adminBrowser, ensureAdmin, logInAdmin } from '../support/admin';
import { encodedCard, ordinaryNote, ordinaryValue } from '../support/card-numbers';
import { cartWith, productId, startCheckout, validCheckoutForm } from '../support/shopper';
import { useTestStore } from '../support/test-store';

const CARD_FORMS = ['4242424242424242', '4242 4242 4242 4242', '4242-4242-4242-4242', '３７８２８２２４６３１０００５'];

describe('card-number guard', () => {
  const store = useTestStore();

  async function dumpAllTables(): Promise<string> {
    const tables = ['products', 'carts', 'cart_items', 'checkouts', 'orders', 'order_lines', 'addresses', 'order_events', 'store_flags'];
    const dumps = await Promise.all(tables.map((t) => store.dataSource.query(`SELECT * FROM ${t}`)));
    return JSON.stringify(dumps);
  }

  it.each(CARD_FORMS)('refuses %s in a JSON body with a 400 that points to the payment page', async (card) => {
    const cart = await store.api.post('/api/carts').send({}).expect(201);
    const res = await store.api
      .post(`/api/carts/${cart.body.id}/items`)
      .send({ productId: await productId(store, 'enamel-mug'), quantity: 1, note: { deep: [`pay with ${card}`] } })
      .expect(400);
    expect(res.body.error.code).toBe('card_data_refused');
    expect(res.body.error.message).toContain('only on the secure payment page');
  });

  it('refuses a card number as card data even in a body too deep or too long for the store (it is the refusal that matters)', async () => {
    let deep: object = { card: '4242 4242 4242 4242' };
    for (let level = 0; level < 30; level++) deep = { level: deep };
    const tooDeep = await store.api.post('/api/carts').send(deep).expect(400);
    expect(tooDeep.body.error.code).toBe('card_data_refused');
    const tooLong = await store.api
      .post('/api/carts')
      .send({ list: [...Array.from({ length: 200 }, (_, i) => i), '4242-4242-4242-4242'] })
      .expect(400);
    expect(tooLong.body.error.code).toBe('card_data_refused');
  });

  it('refuses card numbers in the query string, the path and form bodies', async () => {
    await store.api.get('/api/products?offset=4242%204242%204242%204242').expect(400);
    await store.api.get('/api/products/4242424242424242').expect(400);
    await store.api.post('/api/carts').type('form').send({ cc: '4242-4242-4242-4242' }).expect(400);
    await store.api.post('/api/carts').send({ '4242424242424242': 'x' }).expect(400);
  });

  it('does not refuse ordinary numbers', async () => {
    await store.api.get('/api/products?offset=0&limit=12').expect(200);
    // A phone number whose plus was left unencoded: a query parser reads that + as a space, and
    // "86 124 2651 1873" alone would pass for a card number (found by the ordinary-input property).
    await store.api.get('/?page=2&q=tel%20+86%20124%202651%201873').expect(200);
    const cart = await store.api.post('/api/carts').send({}).expect(201);
    await store.api
      .post(`/api/carts/${cart.body.id}/items`)
      .send({ productId: await productId(store, 'enamel-mug'), quantity: 12 })
      .expect(201);
  });

  it('neither logs nor stores any of the refused numbers', async () => {
    const logs = store.logLines.join('\n');
    expect(store.logLines.length).toBeGreaterThan(5);
    expect(logs).toContain('[redacted: card data]');
    for (const digits of ['4242424242424242', '378282246310005']) {
      const pattern = new RegExp(digits.split('').join('[\\s\\-%20]*'));
      expect(logs).not.toMatch(pattern);
      expect(await dumpAllTables()).not.toMatch(pattern);
    }
  });
});

// Runs of the properties below; the closing note reports these figures.
const CARD_RUNS = 150;
const ORDINARY_RUNS = 100;
// About 15 s each on an idle machine; the margin is for a loaded CI runner.
const PROPERTY_TIMEOUT_MS = 120_000;

/** The digits a text shows, whatever their script or width (what a reader of a log or a table would see). */
function shownDigits(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[\u0966-\u096f]/g, (d) => String(d.charCodeAt(0) - 0x966))
    .replace(/\D/g, '');
}

/** A text as a browser puts it in a URL: white space, non-ASCII and the URL's own delimiters percent-encoded. */
const inUrl = (text: string): string => text.replace(/[^\x21-\x7e]|[#?&]/gu, (ch) => encodeURIComponent(ch));

/** Where a request can carry text, each a way to send it that an ordinary value makes succeed (or fail for another reason). */
type Place =
  | 'json value at depth'
  | 'json key at depth'
  | 'checkout form field'
  | 'checkout form field name'
  | 'query value'
  | 'query name'
  | 'path segment'
  | 'returnUrl query'
  | 'returnUrl fragment'
  | 'admin image URL'
  | 'admin form field';
const PLACES: readonly Place[] = [
  'json value at depth',
  'json key at depth',
  'checkout form field',
  'checkout form field name',
  'query value',
  'query name',
  'path segment',
  'returnUrl query',
  'returnUrl fragment',
  'admin image URL',
  'admin form field',
];
/** Places whose answer is a page rather than JSON. */
const PAGE_PLACES: ReadonlySet<Place> = new Set(['checkout form field', 'checkout form field name', 'path segment', 'admin form field']);

describe('card data in every place and encoding (properties)', () => {
  const store = useTestStore();
  let adminBrowserAgent: request.Agent;
  let csrf: string;
  let mugId: number;
  let slugs = 0;

  beforeAll(async () => {
    await ensureAdmin(store);
    adminBrowserAgent = adminBrowser(store);
    csrf = await logInAdmin(adminBrowserAgent);
    mugId = await productId(store, 'enamel-mug');
    // Ordinary checkouts place orders: enough stock that none of them runs short.
    await adminBrowserAgent.patch(`/api/admin/products/${mugId}`).set('X-CSRF-Token', csrf).send({ stock: 1_000_000 }).expect(200);
  });

  const tables = () => store.dataSource.entityMetadatas.map((m) => m.tableName).sort();

  /** Rows per table, in one query (run twice per input, so it has to be cheap). */
  async function rowCounts(): Promise<Record<string, number>> {
    const union = tables()
      .map((table) => `SELECT '${table}' AS t, COUNT(*) AS n FROM ${table}`)
      .join(' UNION ALL ');
    const rows: { t: string; n: number | string }[] = await store.dataSource.query(union);
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  }

  async function everyStoredText(): Promise<string> {
    const dumps: unknown[] = [];
    for (const table of tables()) dumps.push(await store.dataSource.query(`SELECT * FROM ${table}`));
    return JSON.stringify(dumps);
  }

  async function cartWithMug(): Promise<string> {
    const cart = await store.api.post('/api/carts').send({}).expect(201);
    await store.api.post(`/api/carts/${cart.body.id}/items`).send({ productId: mugId, quantity: 1 }).expect(201);
    return cart.body.id as string;
  }

  const nest = (depth: number, inner: unknown): unknown => (depth === 0 ? inner : { more: [nest(depth - 1, inner)] });

  /**
   * Prepares what a place needs (a cart, a checkout, a product form), then returns the request
   * that sends `text` there. Preparing first keeps its rows out of the before/after counts.
   */
  async function prepare(place: Place, text: string, depth: number): Promise<() => Promise<request.Response>> {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    switch (place) {
      case 'json value at depth': {
        const cart = await cartWithMug();
        return () => store.api.post(`/api/carts/${cart}/items`).send({ productId: mugId, quantity: 1, note: nest(depth, text) });
      }
      case 'json key at depth':
        return () => store.api.post('/api/carts').send(nest(depth, { [text]: 'x' }) as object);
      case 'checkout form field':
      case 'checkout form field name': {
        const token = await startCheckout(store, await cartWithMug());
        const fields =
          place === 'checkout form field' ? validCheckoutForm({ shippingLine2: text }) : { ...validCheckoutForm(), [text]: 'x' };
        return () => store.api.post(`/checkout/${token}`).type('form').send(form(fields));
      }
      case 'query value':
        return () => store.api.get(`/?page=2&q=${inUrl(text)}`);
      case 'query name':
        return () => store.api.get(`/?${inUrl(text)}=1`);
      case 'path segment':
        return () => store.api.get(`/products/${inUrl(text)}`);
      case 'returnUrl query':
      case 'returnUrl fragment': {
        const cart = await cartWithMug();
        const returnUrl = `http://localhost:8000/blog/shop${place === 'returnUrl query' ? '?q=' : '#'}${inUrl(text)}`;
        return () => store.api.post(`/api/carts/${cart}/checkout`).send({ returnUrl });
      }
      case 'admin image URL': {
        const slug = `guard-${++slugs}`;
        const image = `https://cdn.example/img/${slug}.png?v=${inUrl(text)}`;
        return () =>
          adminBrowserAgent
            .post('/api/admin/products')
            .set('X-CSRF-Token', csrf)
            .send({ name: 'Guarded', slug, price: { amount: 500, currency: store.config.currency }, stock: 1, image });
      }
      case 'admin form field': {
        const slug = `guard-${++slugs}`;
        const fields = {
          _csrf: csrf,
          name: 'Guarded',
          slug,
          description: text,
          price: '5',
          stock: '1',
          image: '',
          category: '',
          position: '',
          active: 'on',
        };
        return () => adminBrowserAgent.post('/admin/products').type('form').send(form(fields));
      }
    }
  }

  it(
    `refuses every brand of card number in every encoding and place with a 400, storing and logging nothing (${CARD_RUNS} runs)`,
    async () => {
      const refused: string[] = [];
      await fc.assert(
        fc.asyncProperty(encodedCard, fc.constantFrom(...PLACES), fc.integer({ min: 0, max: 6 }), async (card, place, depth) => {
          const send = await prepare(place, card.text, depth);
          const before = await rowCounts();
          const linesBefore = store.logLines.length;
          const res = await send();
          expect(res.status).toBe(400);
          if (PAGE_PLACES.has(place)) expect(res.text).toContain('This looks like a payment card number');
          else expect(res.body.error.code).toBe('card_data_refused');
          expect(shownDigits(res.text)).not.toContain(card.digits);
          expect(await rowCounts()).toEqual(before);
          const logged = store.logLines.slice(linesBefore);
          expect(logged.length).toBeGreaterThan(0);
          for (const line of logged) {
            expect(shownDigits(line)).not.toContain(card.digits);
            expect(line).not.toContain(inUrl(card.text));
          }
          refused.push(card.digits);
        }),
        { numRuns: CARD_RUNS },
      );
      expect(refused).toHaveLength(CARD_RUNS);
      const stored = shownDigits(await everyStoredText());
      for (const digits of refused) expect(stored).not.toContain(digits);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    `lets ordinary input through in the same places (${ORDINARY_RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(ordinaryValue, ordinaryNote),
          fc.constantFrom(...PLACES),
          fc.integer({ min: 0, max: 6 }),
          async (text, place, depth) => {
            const res = await (await prepare(place, text, depth))();
            expect(res.status).toBeLessThan(500);
            if (res.status >= 400) expect(JSON.stringify(res.body ?? '') + res.text).not.toContain('payment card number');
            const expected: Record<Place, number[]> = {
              // Unknown keys are refused by validation, with its own message: what matters is that the guard let them pass.
              'json value at depth': [400],
              'json key at depth': [400],
              'checkout form field': [303],
              // An extra field is refused by the form (400, the form shown again) unless it is refused as card data.
              'checkout form field name': [400],
              'query value': [200],
              'query name': [200],
              // Not a product slug (400) or no such product (404).
              'path segment': [400, 404],
              'returnUrl query': [201],
              'returnUrl fragment': [201],
              'admin image URL': [201],
              'admin form field': [303],
            };
            expect(expected[place]).toContain(res.status);
            if (res.status === 400 && !PAGE_PLACES.has(place)) expect(res.body.error.code).not.toBe('card_data_refused');
          },
        ),
        { numRuns: ORDINARY_RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('the issue’s cases: a card number in a returnUrl', () => {
  const store = useTestStore();

  it.each([
    ['query', '?q=4111%201111%201111%201111'],
    ['query', '?q=4111+1111+1111+1111'],
    ['fragment', '#4111%201111%201111%201111'],
    ['fragment', '#4111+1111+1111+1111'],
    ['query, encoded twice', '?q=4111%25201111%25201111%25201111'],
    ['query, HTML entities', '?q=4111%26nbsp%3B1111%26nbsp%3B1111%26nbsp%3B1111'],
  ])('refuses one in the %s (%s) and keeps no checkout', async (_where, suffix) => {
    const cart = await cartWith(store, 'enamel-mug', 1);
    const res = await store.api
      .post(`/api/carts/${cart}/checkout`)
      .send({ returnUrl: `http://localhost:8000/blog/shop${suffix}` })
      .expect(400);
    expect(res.body.error.code).toBe('card_data_refused');
    const rows: { n: number | string }[] = await store.dataSource.query('SELECT COUNT(*) AS n FROM checkouts');
    expect(Number(rows[0].n)).toBe(0);
    expect(store.logLines.join('\n')).not.toMatch(/4111\D{0,6}1111\D{0,6}1111\D{0,6}1111/);
  });
});

describe('stored URLs and refused forms', () => {
  const store = useTestStore();
  let admin: request.Agent;
  let csrf: string;

  beforeAll(async () => {
    await ensureAdmin(store);
    admin = adminBrowser(store);
    csrf = await logInAdmin(admin);
  });

  it('keeps a returnUrl without its fragment', async () => {
    const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1), 'http://localhost:8000/blog/shop?page=2#reviews');
    const rows: { return_url: string }[] = await store.dataSource.query('SELECT return_url FROM checkouts WHERE id = ?', [token]);
    expect(rows[0].return_url).toBe('http://localhost:8000/blog/shop?page=2');
    const page = await store.api.get(`/checkout/${token}`).expect(200);
    expect(page.text).not.toContain('#reviews');
  });

  it('keeps an admin product image URL without its fragment', async () => {
    const created = await admin
      .post('/api/admin/products')
      .set('X-CSRF-Token', csrf)
      .send({
        name: 'Framed',
        slug: 'framed',
        price: { amount: 900, currency: store.config.currency },
        stock: 1,
        image: 'https://cdn.example/framed.png?w=400#zoom',
      })
      .expect(201);
    expect(created.body.image).toBe('https://cdn.example/framed.png?w=400');
    const rows: { image: string }[] = await store.dataSource.query('SELECT image FROM products WHERE slug = ?', ['framed']);
    expect(rows[0].image).toBe('https://cdn.example/framed.png?w=400');
  });

  it('shows a checkout form refused for card data again with a clear message, the field marked, the rest as typed, and no card digits', async () => {
    const token = await startCheckout(store, await cartWith(store, 'enamel-mug', 1));
    const res = await store.api
      .post(`/checkout/${token}`)
      .type('form')
      .send(
        new URLSearchParams(
          validCheckoutForm({ shippingCity: 'Cambridge', shippingLine2: 'card 4111&nbsp;1111&nbsp;1111&nbsp;1111' }),
        ).toString(),
      )
      .expect(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('This looks like a payment card number');
    expect(res.text).toContain('Card numbers never go here; enter card details only on the payment step.');
    expect(res.text).toContain('value="Cambridge"');
    expect(shownDigits(res.text)).not.toContain('4111111111111111');
    const orders: { n: number | string }[] = await store.dataSource.query('SELECT COUNT(*) AS n FROM orders');
    expect(Number(orders[0].n)).toBe(0);
  });

  it('refuses an admin form carrying a card number with a page that says why', async () => {
    const res = await admin
      .post('/admin/products')
      .type('form')
      .send(
        new URLSearchParams({
          _csrf: csrf,
          name: 'Mug',
          slug: 'card-mug',
          description: '3782 822463 10005',
          price: '5',
          stock: '1',
          active: 'on',
        }).toString(),
      )
      .expect(400);
    expect(res.text).toContain('This looks like a payment card number');
    expect(await store.dataSource.query('SELECT id FROM products WHERE slug = ?', ['card-mug'])).toHaveLength(0);
  });
});
