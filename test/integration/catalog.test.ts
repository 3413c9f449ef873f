import { useTestStore } from '../support/test-store';

describe('catalog API', () => {
  const store = useTestStore();

  it('lists the demo catalog in a stable order with absolute https image URLs', async () => {
    const res = await store.api.get('/api/products').expect(200);
    expect(res.body.total).toBe(8);
    expect(res.body.items).toHaveLength(8);
    expect(res.body.items[0]).toEqual({
      id: expect.any(Number),
      slug: 'field-notebook',
      name: 'Field Notebook',
      description: expect.any(String),
      price: { amount: 1200, currency: 'USD' },
      image: `${store.config.publicUrl}/images/notebook.svg`,
      inStock: true,
      category: 'stationery',
    });
    const again = await store.api.get('/api/products').expect(200);
    expect(again.body.items.map((p: { slug: string }) => p.slug)).toEqual(res.body.items.map((p: { slug: string }) => p.slug));
  });

  it('lists one category, in catalog order, paginated within it', async () => {
    const slugs = (body: { items: { slug: string }[] }): string[] => body.items.map((p) => p.slug);
    const all = await store.api.get('/api/products?category=stationery').expect(200);
    expect(all.body.total).toBe(4);
    expect(slugs(all.body)).toEqual(['field-notebook', 'sticker-pack', 'fineliner-pen-set', 'brass-bookmark']);
    expect(all.body.items.every((p: { category: string }) => p.category === 'stationery')).toBe(true);

    const second = await store.api.get('/api/products?category=stationery&limit=2&offset=2').expect(200);
    expect(second.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(slugs(second.body)).toEqual(['fineliner-pen-set', 'brass-bookmark']);

    const apparel = await store.api.get('/api/products?category=apparel').expect(200);
    expect(slugs(apparel.body)).toEqual(['canvas-tote-bag', 'organic-t-shirt']);
  });

  it('answers an empty page for a category with no products', async () => {
    const res = await store.api.get('/api/products?category=garden-tools').expect(200);
    expect(res.body).toEqual({ items: [], total: 0, limit: 24, offset: 0 });
  });

  it.each([
    ['Home & Kitchen', /"category" must be a category slug/],
    ['home--kitchen', /"category" must be a category slug/],
    ['', /"category" is not allowed to be empty/],
    ['x'.repeat(61), /"category" length must be less than or equal to 60/],
  ])('refuses the category %j with 400 and says what a category looks like', async (category, message) => {
    const res = await store.api.get('/api/products').query({ category }).expect(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses an unknown query parameter', async () => {
    const res = await store.api.get('/api/products?color=red').expect(400);
    expect(res.body.error.message).toMatch(/"color" is not allowed/);
  });
});
