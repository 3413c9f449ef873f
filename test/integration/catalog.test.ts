import { createTestStore, type TestStore } from '../support/test-store';

describe('catalog API', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

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
    });
    const again = await store.api.get('/api/products').expect(200);
    expect(again.body.items.map((p: { slug: string }) => p.slug)).toEqual(res.body.items.map((p: { slug: string }) => p.slug));
  });
});
