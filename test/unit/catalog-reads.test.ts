import { apiReadKeys } from '../../server/catalog/catalog-reads';
import { catalogApiRead } from '../../server/catalog/catalog.routes';
import { seoRead } from '../../server/seo/seo.routes';

// The cached-read lane answers only what these name; everything else goes to the routes, whose
// schema decides. A URL named here must mean exactly the entry the route would have used.
describe('the catalog reads the cached-read lane may answer', () => {
  const key = (url: string) => catalogApiRead(url)?.key;

  it('names the default page, the widget page and a product by the keys the routes use', () => {
    expect(key('/api/products')).toBe(apiReadKeys.list(24, 0, undefined));
    expect(key('/api/products?limit=24&offset=0')).toBe(apiReadKeys.list(24, 0, undefined));
    expect(key('/api/products?limit=100&offset=1000000&category=home-and-kitchen')).toBe(
      apiReadKeys.list(100, 1_000_000, 'home-and-kitchen'),
    );
    expect(key('/api/products/field-notebook')).toBe(apiReadKeys.product('field-notebook'));
    expect(catalogApiRead('/api/products')?.cors).toBe(true);
  });

  it.each([
    '/api/products?',
    '/api/products?limit=0&offset=0',
    '/api/products?limit=101&offset=0',
    '/api/products?limit=024&offset=0',
    '/api/products?limit=24&offset=00',
    '/api/products?limit=24&offset=1000001',
    '/api/products?offset=0&limit=24',
    '/api/products?limit=24',
    '/api/products?limit=24&offset=0&category=',
    '/api/products?limit=24&offset=0&category=Home',
    '/api/products?limit=24&offset=0&category=-home',
    '/api/products?limit=24&offset=0&category=home--garden',
    `/api/products?limit=24&offset=0&category=${'a'.repeat(61)}`,
    '/api/products?limit=24&offset=0&category=home&x=1',
    '/api/products/',
    '/api/products/Field-Notebook',
    '/api/products/field%2Dnotebook',
    '/api/products/a/b',
    '/api/productsx',
    '/API/products',
  ])('leaves %s to the routes', (url) => {
    expect(catalogApiRead(url)).toBeUndefined();
  });

  it('names the snapshots, with their Cache-Control and without CORS', () => {
    expect(seoRead('/seo/catalog')).toEqual({ key: 'seo:catalog:', cacheControl: 'public, max-age=300', cors: false });
    expect(seoRead('/seo/products/field-notebook')?.key).toBe('seo:product:field-notebook');
    for (const url of ['/seo/catalog?category=home', '/seo/products/', '/seo/products/a/b', '/seo/catalog/'])
      expect(seoRead(url)).toBeUndefined();
  });
});
