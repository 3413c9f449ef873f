import type request from 'supertest';
import { adminBrowser, ensureAdmin, formCsrf, logInAdmin } from '../support/admin';
import { useTestStore, type TestStore } from '../support/test-store';

// The admin's product management, as pages and as JSON, over real HTTPS on SQLite and MariaDB.

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
  ip: string;
}

interface StoreProduct {
  slug: string;
  name: string;
  price: { amount: number; currency: string };
  image: string | null;
  inStock: boolean;
}

const NEW_PRODUCT = {
  name: 'Linen Apron',
  slug: 'linen-apron',
  description: 'A heavy linen apron.',
  price: '12.5',
  stock: '7',
  image: '/images/tote-bag.svg',
  category: 'home',
  position: '',
  active: 'on',
};

/** A logged-in admin: its browser and the session's CSRF token. */
interface Admin {
  readonly browser: request.Agent;
  readonly csrf: string;
}

async function logIn(store: TestStore): Promise<Admin> {
  const browser = adminBrowser(store);
  return { browser, csrf: await logInAdmin(browser) };
}

describe('admin product management', () => {
  const store = useTestStore();
  let admin: Admin;

  beforeAll(async () => {
    await ensureAdmin(store);
    admin = await logIn(store);
  });

  const row = async (
    slug: string,
  ): Promise<{ id: number; price: number; stock: number; active: boolean | number; name: string } | undefined> =>
    (await store.dataSource.query('SELECT id, price, stock, active, name FROM products WHERE slug = ?', [slug]))[0];
  const idOf = async (slug: string): Promise<number> => (await row(slug))!.id;
  const productCount = async (): Promise<number> => Number((await store.dataSource.query('SELECT COUNT(*) AS n FROM products'))[0].n);
  const audit = (target: string): Promise<AuditRow[]> =>
    store.dataSource.query(
      "SELECT actor, action, target, outcome, detail, ip FROM admin_audit_log WHERE action LIKE 'product.%' AND target = ? ORDER BY id",
      [target],
    );
  const storefront = async (): Promise<StoreProduct[]> => (await store.api.get('/api/products?limit=100').expect(200)).body.items;
  const onStorefront = async (slug: string): Promise<StoreProduct | undefined> => (await storefront()).find((p) => p.slug === slug);
  const postForm = (path: string, fields: Record<string, string>, csrf = admin.csrf) =>
    admin.browser
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...fields });
  const editForm = async (slug: string): Promise<Record<string, string>> => {
    const html = (await admin.browser.get(`/admin/products/${await idOf(slug)}`).expect(200)).text;
    const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
    const description = /<textarea[^>]*name="description"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '';
    const checked = /name="active"[^>]* checked/.test(html);
    return {
      ...Object.fromEntries(['name', 'slug', 'price', 'stock', 'image', 'category', 'position', 'stockShown'].map((n) => [n, value(n)])),
      description,
      ...(checked ? { active: 'on' } : {}),
    };
  };

  describe('refuses anonymous requests', () => {
    it.each(['/admin/products', '/admin/products/new', '/admin/products/1'])('GET %s → 303 to the login page', async (path) => {
      const res = await adminBrowser(store).get(path).expect(303);
      expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    });

    it('an anonymous form post goes to the login page and creates nothing', async () => {
      const before = await productCount();
      const res = await adminBrowser(store)
        .post('/admin/products')
        .type('form')
        .send({ ...NEW_PRODUCT, slug: 'anonymous-apron' })
        .expect(303);
      expect(res.headers.location).toBe('/admin/login');
      expect(await productCount()).toBe(before);
    });

    it('the API answers 401 to reads and writes, and changes nothing', async () => {
      const id = await idOf('enamel-mug');
      const anonymous = adminBrowser(store);
      expect((await anonymous.get('/api/admin/products').expect(401)).body.error.code).toBe('login_required');
      await anonymous.get(`/api/admin/products/${id}`).expect(401);
      await anonymous
        .post('/api/admin/products')
        .send({ name: 'X', slug: 'x', price: { amount: 100, currency: 'USD' }, stock: 1 })
        .expect(401);
      await anonymous.patch(`/api/admin/products/${id}`).send({ stock: 0 }).expect(401);
      expect(await row('x')).toBeUndefined();
      expect((await row('enamel-mug'))!.stock).toBe(25);
    });
  });

  describe('CSRF', () => {
    it('a form posted without the session’s token is refused with 403, and nothing is created or changed', async () => {
      const before = await productCount();
      await admin.browser
        .post('/admin/products')
        .type('form')
        .send({ ...NEW_PRODUCT, slug: 'csrf-apron' })
        .expect(403);
      await postForm('/admin/products', { ...NEW_PRODUCT, slug: 'csrf-apron' }, 'not-the-token').expect(403);
      const id = await idOf('enamel-mug');
      await admin.browser
        .post(`/admin/products/${id}`)
        .type('form')
        .send({ ...(await editForm('enamel-mug')), price: '1' })
        .expect(403);
      expect(await productCount()).toBe(before);
      expect((await row('enamel-mug'))!.price).toBe(1800);
    });

    it('the API without X-CSRF-Token is refused with 403, and nothing changes', async () => {
      const id = await idOf('enamel-mug');
      await admin.browser.patch(`/api/admin/products/${id}`).send({ stock: 0 }).expect(403);
      await admin.browser
        .post('/api/admin/products')
        .send({ name: 'X', slug: 'csrf-x', price: { amount: 100, currency: 'USD' }, stock: 1 })
        .expect(403);
      expect((await row('enamel-mug'))!.stock).toBe(25);
      expect(await row('csrf-x')).toBeUndefined();
    });
  });

  describe('the list', () => {
    it('shows every product with its price, stock, status and category, a link to edit it and one to add a product', async () => {
      const res = await admin.browser.get('/admin/products').expect(200);
      expect(res.text).toMatch(/<h1>Products<\/h1>/);
      expect(res.text).toContain('<a class="button" href="/admin/products/new">New product</a>');
      expect(res.text).toContain('<a href="/admin/products" aria-current="page">Products</a>');
      const mug = await idOf('enamel-mug');
      expect(res.text).toMatch(
        new RegExp(
          `<a href="/admin/products/${mug}">Enamel Mug<span class="visually-hidden"> \\(edit\\)</span></a></th>\\s*<td><code>enamel-mug</code></td>\\s*<td class="num">\\$18\\.00</td>\\s*<td class="num">25</td>\\s*<td>Active</td>\\s*<td>home</td>`,
        ),
      );
      expect(res.text.match(/<tr>|<tr class="inactive">/g)!.length).toBe((await productCount()) + 1);
    });
  });

  describe('creating through the form', () => {
    it('the form has a labelled field for everything, with the CSRF token', async () => {
      const res = await admin.browser.get('/admin/products/new').expect(200);
      for (const [field, label] of [
        ['name', 'Name'],
        ['slug', 'Slug'],
        ['description', 'Description'],
        ['price', 'Price (USD)'],
        ['stock', 'Stock'],
        ['image', 'Image'],
        ['category', 'Category'],
        ['position', 'Position'],
        ['active', 'Active: shown in the store'],
      ]) {
        expect(res.text).toContain(`<label for="${field}">${label}</label>`);
        expect(res.text).toMatch(new RegExp(`id="${field}" name="${field}"`));
      }
      expect(formCsrf(res.text)).toBe(admin.csrf);
      expect(res.text).toMatch(/name="active" type="checkbox" value="on" checked/);
      expect(res.text).toContain('<option value="/images/mug.svg"></option>');
    });

    it('a new product is saved ("12.5" is 1250 cents), listed with a notice, shown on the storefront right away and audited', async () => {
      const res = await postForm('/admin/products', NEW_PRODUCT).expect(303);
      const created = await row('linen-apron');
      expect(res.headers.location).toBe(`/admin/products?created=${created!.id}`);
      expect(created).toMatchObject({ price: 1250, stock: 7, name: 'Linen Apron' });
      const list = await admin.browser.get(res.headers.location).expect(200);
      expect(list.text).toContain('<p class="notice" role="status">Created “Linen Apron”.</p>');
      expect(await onStorefront('linen-apron')).toMatchObject({
        name: 'Linen Apron',
        price: { amount: 1250, currency: 'USD' },
        image: `${store.config.publicUrl}/images/tote-bag.svg`,
        inStock: true,
      });
      // Left without a position, it comes last.
      expect((await storefront()).at(-1)!.slug).toBe('linen-apron');
      expect(await audit('product linen-apron')).toEqual([
        {
          actor: 'admin@shop.test',
          action: 'product.create',
          target: 'product linen-apron',
          outcome: 'success',
          detail: 'created: price 12.50 USD; stock 7; active',
          ip: expect.stringMatching(/127\.0\.0\.1/),
        },
      ]);
    });

    it('refused input comes back as a 400 form, each error next to its field, with everything typed kept; nothing is saved and the refusal is audited', async () => {
      const typed = {
        ...NEW_PRODUCT,
        name: 'Bad <b>Apron</b>',
        slug: 'bad-apron',
        price: '12.505',
        stock: '-3',
        image: 'http://example.com/apron.png',
        description: 'Keeps "quotes" & <tags>',
      };
      const res = await postForm('/admin/products', typed).expect(400);
      expect(res.text).toContain('<p class="field-error" id="price-error">USD amounts have at most 2 decimals.</p>');
      expect(res.text).toMatch(
        /id="price" name="price" type="text" value="12\.505"[^>]* aria-describedby="price-hint price-error" aria-invalid="true"/,
      );
      expect(res.text).toContain('<p class="field-error" id="stock-error">Stock must be a whole number from 0 to 1,000,000.</p>');
      expect(res.text).toMatch(/id="stock" name="stock" type="text" value="-3"/);
      expect(res.text).toMatch(/<p class="field-error" id="image-error">Image must be an https:\/\/ address/);
      expect(res.text).toContain('value="http://example.com/apron.png"');
      // What was typed is shown again, escaped.
      expect(res.text).toContain('value="Bad &lt;b&gt;Apron&lt;/b&gt;"');
      expect(res.text).toContain('>Keeps &quot;quotes&quot; &amp; &lt;tags&gt;</textarea>');
      expect(res.text).not.toContain('<b>Apron</b>');
      expect(res.text).toContain('<li><a href="#price">USD amounts have at most 2 decimals.</a></li>');
      expect(res.text).toMatch(/id="name" name="name" type="text" value="[^"]*" required>/);
      expect(formCsrf(res.text)).toBe(admin.csrf);
      expect(await row('bad-apron')).toBeUndefined();
      const [entry] = await audit('product bad-apron');
      expect(entry).toMatchObject({ action: 'product.create', outcome: 'failure' });
      expect(entry.detail).toMatch(/^refused: .*price: USD amounts have at most 2 decimals.*stock: Stock must be a whole number/);
    });

    it.each([
      ['0', 'The amount must be more than zero.'],
      ['100000.01', 'Price must be more than 0 and at most $100,000.00.'],
      ['12,50', 'Enter an amount like 12.50 (USD).'],
      ['', 'Enter an amount like 12.50 (USD).'],
    ])('price "%s" is refused: %s', async (price, message) => {
      const res = await postForm('/admin/products', { ...NEW_PRODUCT, slug: 'priced-apron', price }).expect(400);
      expect(res.text).toContain(`<p class="field-error" id="price-error">${message.replace(/&/g, '&amp;')}</p>`);
      expect(await row('priced-apron')).toBeUndefined();
    });

    it('a slug another product has is refused (409) on the form, next to the slug, with what was typed', async () => {
      const res = await postForm('/admin/products', { ...NEW_PRODUCT, name: 'Second Mug', slug: 'enamel-mug' }).expect(409);
      expect(res.text).toContain(
        '<p class="field-error" id="slug-error">Another product already uses the slug &quot;enamel-mug&quot;; choose another.</p>',
      );
      expect(res.text).toContain('value="Second Mug"');
      expect((await row('enamel-mug'))!.name).toBe('Enamel Mug');
      expect(await audit('product enamel-mug')).toContainEqual(
        expect.objectContaining({ action: 'product.create', outcome: 'failure', detail: expect.stringContaining('already uses the slug') }),
      );
    });

    it('a field the page never showed is refused above the form', async () => {
      const res = await postForm('/admin/products', { ...NEW_PRODUCT, slug: 'odd-apron', currency: 'EUR' }).expect(400);
      expect(res.text).toContain('<p>The form has a field this page did not ask for: currency.</p>');
      expect(await row('odd-apron')).toBeUndefined();
    });
  });

  describe('editing through the form', () => {
    it('the form shows the product as it is; a new price and stock are saved, shown on the storefront and audited with before and after', async () => {
      const form = await editForm('enamel-mug');
      expect(form).toMatchObject({
        name: 'Enamel Mug',
        slug: 'enamel-mug',
        price: '18.00',
        stock: '25',
        image: '/images/mug.svg',
        category: 'home',
        stockShown: '25',
        active: 'on',
      });
      const id = await idOf('enamel-mug');
      const res = await postForm(`/admin/products/${id}`, { ...form, price: '15', stock: '30' }).expect(303);
      expect(res.headers.location).toBe(`/admin/products?saved=${id}`);
      expect((await admin.browser.get(res.headers.location)).text).toContain('Saved “Enamel Mug”.');
      expect(await row('enamel-mug')).toMatchObject({ price: 1500, stock: 30 });
      expect((await onStorefront('enamel-mug'))!.price).toEqual({ amount: 1500, currency: 'USD' });
      expect((await audit('product enamel-mug')).at(-1)).toMatchObject({
        action: 'product.update',
        outcome: 'success',
        detail: 'price 18.00 USD → 15.00 USD; stock 25 → 30',
      });
    });

    it('unticking "Active" takes the product off the storefront at once; ticking it brings it back', async () => {
      const id = await idOf('sticker-pack');
      const { active: _active, ...form } = await editForm('sticker-pack');
      await postForm(`/admin/products/${id}`, form).expect(303);
      expect(await onStorefront('sticker-pack')).toBeUndefined();
      await store.api.get('/api/products/sticker-pack').expect(404);
      expect((await admin.browser.get('/admin/products')).text).toMatch(/Sticker Pack<span[^]*?<td>Inactive<\/td>/);
      expect((await audit('product sticker-pack')).at(-1)).toMatchObject({ outcome: 'success', detail: 'deactivated' });

      await postForm(`/admin/products/${id}`, { ...(await editForm('sticker-pack')), active: 'on' }).expect(303);
      expect(await onStorefront('sticker-pack')).toMatchObject({ name: 'Sticker Pack' });
      expect((await audit('product sticker-pack')).at(-1)).toMatchObject({ detail: 'activated' });
    });

    it('name, slug, description, image, category and position can all be changed', async () => {
      const id = await idOf('brass-bookmark');
      const form = await editForm('brass-bookmark');
      await postForm(`/admin/products/${id}`, {
        ...form,
        name: 'Copper Bookmark',
        slug: 'copper-bookmark',
        description: 'Now in copper.',
        image: 'https://cdn.example.com/bookmark.png',
        category: '',
        position: '0',
      }).expect(303);
      // Position 0 ties with the first product; ties go by id.
      const [first, second] = await storefront();
      expect(first.slug).toBe('field-notebook');
      expect(second).toMatchObject({ slug: 'copper-bookmark', name: 'Copper Bookmark', image: 'https://cdn.example.com/bookmark.png' });
      expect((await store.api.get('/api/products/copper-bookmark').expect(200)).body).toMatchObject({
        description: 'Now in copper.',
        category: null,
      });
      const [entry] = await audit('product brass-bookmark');
      expect(entry.detail).toBe(
        'slug "brass-bookmark" → "copper-bookmark"; name "Brass Bookmark" → "Copper Bookmark"; image "/images/bookmark.svg" → "https://cdn.example.com/bookmark.png"; category "stationery" → null; position 6 → 0; description changed',
      );
    });

    it('a refused edit shows the form again as typed (400) and saves nothing', async () => {
      const id = await idOf('field-notebook');
      const form = await editForm('field-notebook');
      const res = await postForm(`/admin/products/${id}`, { ...form, name: 'Pocket Notebook', stock: 'lots' }).expect(400);
      expect(res.text).toContain('value="Pocket Notebook"');
      expect(res.text).toMatch(
        /id="stock" name="stock" type="text" value="lots"[^>]* aria-describedby="stock-hint stock-error" aria-invalid="true"/,
      );
      expect(res.text).toContain('action="/admin/products/' + id + '"');
      expect((await row('field-notebook'))!.name).toBe('Field Notebook');
      expect((await audit('product field-notebook')).at(-1)).toMatchObject({
        action: 'product.update',
        outcome: 'failure',
        detail: 'refused: stock: Stock must be a whole number from 0 to 1,000,000.',
      });
    });

    it('stock moved by orders while the form was open is kept when the admin left stock alone, and a changed stock is refused (409) until re-checked', async () => {
      const id = await idOf('fineliner-pen-set');
      const form = await editForm('fineliner-pen-set');
      expect(form.stock).toBe('35');
      // An order reserves two meanwhile.
      await store.dataSource.query('UPDATE products SET stock = stock - 2 WHERE id = ?', [id]);
      await postForm(`/admin/products/${id}`, { ...form, name: 'Fineliner Set' }).expect(303);
      expect(await row('fineliner-pen-set')).toMatchObject({ name: 'Fineliner Set', stock: 33 });

      await store.dataSource.query('UPDATE products SET stock = stock - 3 WHERE id = ?', [id]);
      const refused = await postForm(`/admin/products/${id}`, { ...form, name: 'Fineliner Set', stock: '50' }).expect(409);
      expect(refused.text).toContain('While you edited, orders changed the stock from 35 to 30. Check the figure and save again.');
      expect(refused.text).toMatch(/name="stockShown" value="30"/);
      expect(refused.text).toMatch(/id="stock" name="stock" type="text" value="50"/);
      expect((await row('fineliner-pen-set'))!.stock).toBe(30);
      // Saving the form as shown again applies the figure against the current stock.
      await postForm(`/admin/products/${id}`, { ...form, name: 'Fineliner Set', stock: '50', stockShown: '30' }).expect(303);
      expect((await row('fineliner-pen-set'))!.stock).toBe(50);
    });

    it.each(['/admin/products/99999', '/admin/products/abc', '/admin/products/0'])('%s is a 404 page', async (path) => {
      const res = await admin.browser.get(path).expect(404);
      expect(res.type).toBe('text/html');
    });
  });

  describe('the JSON API', () => {
    const api = (method: 'post' | 'patch', path: string) => admin.browser[method](path).set('X-CSRF-Token', admin.csrf);

    it('lists every product, inactive ones too, with everything the admin can set', async () => {
      await store.dataSource.query('UPDATE products SET active = ? WHERE slug = ?', [false, 'risograph-poster']);
      const { items } = (await admin.browser.get('/api/admin/products').expect(200)).body;
      expect(items).toHaveLength(await productCount());
      expect(items.find((p: { slug: string }) => p.slug === 'risograph-poster')).toMatchObject({
        name: 'Risograph Poster',
        price: { amount: 3000, currency: 'USD' },
        image: '/images/poster.svg',
        stock: 12,
        active: false,
        category: 'home',
        position: 4,
        createdAt: expect.any(String),
      });
      const one = (await admin.browser.get(`/api/admin/products/${await idOf('risograph-poster')}`).expect(200)).body;
      expect(one.slug).toBe('risograph-poster');
      await admin.browser.get('/api/admin/products/99999').expect(404);
    });

    it('POST creates a product (201), shown on the storefront and audited', async () => {
      const res = await api('post', '/api/admin/products')
        .send({
          name: 'Wool Socks',
          slug: 'wool-socks',
          price: { amount: 1450, currency: 'USD' },
          stock: 12,
          category: 'apparel',
          image: 'https://cdn.example.com/socks.png',
        })
        .expect(201);
      expect(res.headers.location).toBe(`/api/admin/products/${res.body.id}`);
      expect(res.body).toMatchObject({
        slug: 'wool-socks',
        description: '',
        price: { amount: 1450, currency: 'USD' },
        stock: 12,
        active: true,
      });
      expect(await onStorefront('wool-socks')).toMatchObject({
        price: { amount: 1450, currency: 'USD' },
        image: 'https://cdn.example.com/socks.png',
      });
      expect(await audit('product wool-socks')).toEqual([
        expect.objectContaining({ action: 'product.create', outcome: 'success', detail: 'created: price 14.50 USD; stock 12; active' }),
      ]);
    });

    it('refused input is a 400 naming each field, nothing is created, and the refusal is audited', async () => {
      const res = await api('post', '/api/admin/products')
        .send({ name: '', slug: 'Wool Hat', price: { amount: 12.5, currency: 'EUR' }, stock: -1, image: '/etc/passwd', colour: 'red' })
        .expect(400);
      expect(res.body.error.code).toBe('invalid_request');
      const byPath = Object.fromEntries(res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
      expect(Object.keys(byPath).sort()).toEqual(['colour', 'image', 'name', 'price', 'price.currency', 'slug', 'stock']);
      expect(byPath['price.currency']).toBe("This store sells in USD: the price's currency must be USD.");
      expect(byPath.price).toBe('Price must be more than 0 and at most $100,000.00.');
      expect(byPath.colour).toBe('"colour" is not a product field.');
      expect(res.body.error.message).toMatch(/^The product is invalid: /);
      expect(await row('Wool Hat')).toBeUndefined();
      const [entry] = await audit('product (new)');
      expect(entry).toMatchObject({
        action: 'product.create',
        outcome: 'failure',
        detail: expect.stringContaining('stock: Stock must be a whole number'),
      });
    });

    it('a taken slug is a 409', async () => {
      const res = await api('post', '/api/admin/products')
        .send({ name: 'Mug', slug: 'enamel-mug', price: { amount: 100, currency: 'USD' }, stock: 1 })
        .expect(409);
      expect(res.body.error).toMatchObject({
        code: 'slug_taken',
        details: [{ path: 'slug', message: expect.stringContaining('enamel-mug') }],
      });
    });

    it('PATCH changes only what it names; deactivating takes the product off the storefront', async () => {
      const id = await idOf('canvas-tote-bag');
      const res = await api('patch', `/api/admin/products/${id}`)
        .send({ price: { amount: 2450, currency: 'USD' } })
        .expect(200);
      expect(res.body).toMatchObject({ slug: 'canvas-tote-bag', price: { amount: 2450, currency: 'USD' }, stock: 30, active: true });
      expect((await onStorefront('canvas-tote-bag'))!.price.amount).toBe(2450);
      await api('patch', `/api/admin/products/${id}`).send({ active: false }).expect(200);
      expect(await onStorefront('canvas-tote-bag')).toBeUndefined();
      expect((await audit('product canvas-tote-bag')).map((r) => r.detail)).toEqual(['price 22.00 USD → 24.50 USD', 'deactivated']);
    });

    it('PATCH refuses an empty change, bad values, and a stock whose expectedStock no longer holds', async () => {
      const id = await idOf('organic-t-shirt');
      expect((await api('patch', `/api/admin/products/${id}`).send({}).expect(400)).body.error.details).toEqual([
        { path: '', message: 'Send at least one product field to change.' },
      ]);
      expect((await api('patch', `/api/admin/products/${id}`).send({ stock: 2.5 }).expect(400)).body.error.details).toEqual([
        { path: 'stock', message: 'Stock must be a whole number from 0 to 1,000,000.' },
      ]);
      const res = await api('patch', `/api/admin/products/${id}`).send({ stock: 10, expectedStock: 5 }).expect(409);
      expect(res.body.error).toMatchObject({
        code: 'stock_changed',
        message: 'While you edited, orders changed the stock from 5 to 3. Check the figure and save again.',
      });
      expect((await row('organic-t-shirt'))!.stock).toBe(3);
      await api('patch', `/api/admin/products/${id}`).send({ stock: 10, expectedStock: 3 }).expect(200);
      expect((await row('organic-t-shirt'))!.stock).toBe(10);
      expect((await audit('product organic-t-shirt')).map((r) => r.outcome)).toEqual(['failure', 'failure', 'failure', 'success']);
      await api('patch', '/api/admin/products/99999').send({ stock: 1 }).expect(404);
    });
  });
});

describe('admin products in a store selling in yen (no decimals)', () => {
  const store = useTestStore({ STORE_CURRENCY: 'JPY' });
  let admin: Admin;

  beforeAll(async () => {
    await ensureAdmin(store);
    admin = await logIn(store);
  });

  it('"1200" is ¥1200, and the form says so', async () => {
    const form = await admin.browser.get('/admin/products/new').expect(200);
    expect(form.text).toContain('<label for="price">Price (JPY)</label>');
    expect(form.text).toContain('In JPY, a whole number: for example 1200.');
    await admin.browser
      .post('/admin/products')
      .type('form')
      .send({ ...NEW_PRODUCT, _csrf: admin.csrf, price: '1200' })
      .expect(303);
    const shown = (await store.api.get('/api/products/linen-apron').expect(200)).body;
    expect(shown.price).toEqual({ amount: 1200, currency: 'JPY' });
  });

  it('"12.5" is refused: yen have no decimals', async () => {
    const res = await admin.browser
      .post('/admin/products')
      .type('form')
      .send({ ...NEW_PRODUCT, _csrf: admin.csrf, slug: 'half-yen', price: '12.5' })
      .expect(400);
    expect(res.text).toContain('<p class="field-error" id="price-error">JPY amounts have no decimals.</p>');
    expect(res.text).toMatch(/id="price" name="price" type="text" value="12\.5"/);
  });
});
