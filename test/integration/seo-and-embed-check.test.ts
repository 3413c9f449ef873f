import { useTestStore } from '../support/test-store';

describe('SEO snapshots and the embed check', () => {
  const store = useTestStore({ EMBED_ORIGINS: 'http://blog.example:8000,https://shop-blog.example' });
  beforeAll(async () => {
    await store.dataSource.query("UPDATE products SET name = 'Mug </script><b>x</b>' WHERE slug = 'enamel-mug'");
  });

  function jsonLd(html: string): unknown {
    const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
    expect(match).not.toBeNull();
    return JSON.parse(match![1]);
  }

  it('serves the catalog as an HTML fragment with names, prices, links and schema.org data', async () => {
    const res = await store.api.get('/seo/catalog').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('<div class="padlock-seo">');
    expect(res.text).toContain('Field Notebook');
    expect(res.text).toContain('$12.00');
    expect(res.text).toContain(`href="${store.config.publicUrl}/products/field-notebook"`);
    const data = jsonLd(res.text) as {
      '@type': string;
      itemListElement: { item: { name: string; offers: { price: string; priceCurrency: string } } }[];
    };
    expect(data['@type']).toBe('ItemList');
    expect(data.itemListElement).toHaveLength(8);
    expect(data.itemListElement[0].item).toMatchObject({ name: 'Field Notebook', offers: { price: '12.00', priceCurrency: 'USD' } });
  });

  it('escapes shop text in the markup and inside the JSON-LD script', async () => {
    const res = await store.api.get('/seo/catalog').expect(200);
    expect(res.text).toContain('Mug &lt;/script&gt;&lt;b&gt;x&lt;/b&gt;');
    expect(res.text.match(/<\/script>/g)).toHaveLength(1);
    const data = jsonLd(res.text) as { itemListElement: { item: { name: string } }[] };
    expect(data.itemListElement.map((e) => e.item.name)).toContain('Mug </script><b>x</b>');
  });

  it('serves one product as a fragment and as an indexable page', async () => {
    const fragment = await store.api.get('/seo/products/sticker-pack').expect(200);
    expect(jsonLd(fragment.text)).toMatchObject({
      '@type': 'Product',
      name: 'Sticker Pack',
      offers: { availability: 'https://schema.org/InStock' },
    });
    const page = await store.api.get('/products/sticker-pack').expect(200);
    expect(page.text).toContain('<link rel="canonical" href="https://localhost:8443/products/sticker-pack">');
    expect(page.text).not.toContain('noindex');
    expect(page.text).toContain('data-view="product" data-product="sticker-pack"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await store.api.get('/products/no-such-product').expect(404).expect('Content-Type', /html/);
    await store.api.get('/seo/products/no-such-product').expect(404);
  });

  it('serves one category of the catalog, and refuses a malformed category or product slug', async () => {
    const res = await store.api.get('/seo/catalog?category=apparel').expect(200);
    const data = jsonLd(res.text) as { itemListElement: { item: { name: string } }[] };
    expect(data.itemListElement.map((e) => e.item.name)).toEqual(['Canvas Tote Bag', 'Organic T-Shirt']);
    expect(res.text).not.toContain('Field Notebook');

    const bad = await store.api.get('/seo/catalog?category=Apparel%20%26%20Bags').expect(400);
    expect(bad.text).toMatch(/category/);
    await store.api.get('/seo/catalog?page=2').expect(400);
    await store.api.get('/seo/products/Sticker_Pack').expect(400);
    await store.api.get('/products/Sticker_Pack').expect(400).expect('Content-Type', /html/);
  });

  it('keeps checkout and order pages out of search engines', async () => {
    const cart = await store.api.post('/api/carts').send({}).expect(201);
    const product = await store.api.get('/api/products/sticker-pack');
    await store.api.post(`/api/carts/${cart.body.id}/items`).send({ productId: product.body.id, quantity: 1 }).expect(201);
    const checkout = await store.api
      .post(`/api/carts/${cart.body.id}/checkout`)
      .send({ returnUrl: 'http://blog.example:8000/shop' })
      .expect(201);
    const page = await store.api.get(new URL(checkout.body.checkoutUrl).pathname).expect(200);
    expect(page.text).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it('tells a plugin whether its blog origin may embed the store', async () => {
    const allowed = await store.api.get('/api/embed-check').query({ origin: 'http://blog.example:8000' }).expect(200);
    expect(allowed.body).toEqual({ status: 'ok', originAllowed: true, publicUrl: store.config.publicUrl });
    const withPath = await store.api.get('/api/embed-check').query({ origin: 'https://shop-blog.example/some/page' }).expect(200);
    expect(withPath.body.originAllowed).toBe(true);
    const refused = await store.api.get('/api/embed-check').query({ origin: 'http://other.example' }).expect(200);
    expect(refused.body.originAllowed).toBe(false);
    await store.api.get('/api/embed-check').query({ origin: 'ftp://x' }).expect(400);
    await store.api.get('/api/embed-check').expect(400);
  });
});
