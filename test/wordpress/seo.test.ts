import fs from 'node:fs';
import { pluginPhpProblems, startBlogWithStore, storeCertificateFile, type BlogWithStore } from '../support/wp-fixture';
import { fetchOnce } from '../support/wp-http';
import type { CreatedPost } from '../support/wordpress';
import { useTeardown } from '../support/teardown';

// What a crawler (or a visitor without JavaScript) gets from a post with the store: the store's
// server-rendered snapshot inside the container, with schema.org data; the cart view has none.

interface Product {
  readonly slug: string;
  readonly name: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The inside of the (only) store container of a page, from its opening tag to its `<!--/noptimize-->`. */
function containerHtml(html: string): string {
  const match = /<div\b[^>]*\bdata-padlock-store\b[^>]*>([\s\S]*?)<\/div>\s*<!--\/noptimize-->/.exec(html);
  if (!match) throw new Error(`no store container closed by <!--/noptimize--> in:\n${html.slice(0, 3000)}`);
  return match[1];
}

/** Every JSON-LD block of some HTML, parsed. */
function jsonLd(html: string): Array<Record<string, unknown>> {
  const blocks = [...html.matchAll(/<script\b[^>]*type=["']application\/ld\+json["'][^>]*>([\s\S]*?)<\/script>/gi)];
  return blocks.map((m) => JSON.parse(m[1]) as Record<string, unknown>);
}

describe('the store’s snapshot in the HTML WordPress serves (SEO, no JavaScript)', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let catalogPost: CreatedPost;
  let productPost: CreatedPost;
  let cartPost: CreatedPost;
  let products: Product[];

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore(), (e) => e.stop());
    catalogPost = await env.site.createPost('The shop', '[padlock_store]');
    productPost = await env.site.createPost('My favourite stickers', '[padlock_store view="product" product="sticker-pack"]');
    cartPost = await env.site.createPost('Your cart', '[padlock_store view="cart"]');
    const api = await fetchOnce(`${env.store.publicUrl}/api/products`, { ca: fs.readFileSync(storeCertificateFile(env.store), 'utf8') });
    expect(api.status).toBe(200);
    products = (JSON.parse(api.body) as { items: Product[] }).items;
  });

  it('the catalog post carries every product’s name and link to the store inside its container', async () => {
    expect(products).toHaveLength(8);
    const response = await env.site.fetch(catalogPost.url);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    const inside = containerHtml(response.body);
    expect(inside).toContain('class="padlock-seo"');
    for (const product of products) {
      expect(inside).toContain(escapeHtml(product.name));
      expect(inside).toContain(`href="${env.store.publicUrl}/products/${product.slug}"`);
    }
    expect(inside).not.toContain('padlock-store-unavailable');
  });

  it('the catalog post has the schema.org ItemList of the products as JSON-LD', async () => {
    const inside = containerHtml((await env.site.fetch(catalogPost.url)).body);
    const data = jsonLd(inside);
    expect(data).toHaveLength(1);
    const list = data[0];
    expect(list['@context']).toBe('https://schema.org');
    expect(list['@type']).toBe('ItemList');
    const items = list.itemListElement as Array<{
      position: number;
      item: { '@type': string; name: string; url: string; offers: { price: string; priceCurrency: string } };
    }>;
    expect(items.map((i) => i.item.name)).toEqual(products.map((p) => p.name));
    expect(items.map((i) => i.position)).toEqual(products.map((_, index) => index + 1));
    const mug = items.find((i) => i.item.name === 'Enamel Mug')!.item;
    expect(mug['@type']).toBe('Product');
    expect(mug.url).toBe(`${env.store.publicUrl}/products/enamel-mug`);
    expect(mug.offers).toMatchObject({ price: '18.00', priceCurrency: 'USD' });
  });

  it('a product post carries that product, with its schema.org Product', async () => {
    const response = await env.site.fetch(productPost.url);
    expect(response.status).toBe(200);
    const inside = containerHtml(response.body);
    expect(inside).toContain('class="padlock-seo"');
    expect(inside).toContain('Sticker Pack');
    expect(inside).not.toContain('Enamel Mug');
    const data = jsonLd(inside);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      '@type': 'Product',
      name: 'Sticker Pack',
      sku: 'sticker-pack',
      offers: { price: '6.00', priceCurrency: 'USD' },
    });
  });

  it('the cart post has its container but no snapshot (a cart means nothing to a crawler)', async () => {
    const response = await env.site.fetch(cartPost.url);
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/<div\b[^>]*\bdata-padlock-store\b[^>]*\bdata-view=["']cart["']/);
    const inside = containerHtml(response.body);
    expect(inside).not.toContain('padlock-seo');
    expect(jsonLd(inside)).toEqual([]);
    expect(inside).not.toContain('padlock-store-unavailable');
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
