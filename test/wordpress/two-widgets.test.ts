import type { Locator, Page } from 'playwright-core';
import { eventually, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { pluginPhpProblems, startBlogWithStore, type BlogWithStore } from '../support/wp-fixture';
import type { CreatedPost } from '../support/wordpress';
import { useTeardown } from '../support/teardown';

// A post with two widgets — a shortcode for one category of the catalog and the "Padlock Store"
// block for one product — renders two independent widgets and loads the embed script once,
// marked so that optimizer plugins leave it alone.

/** The embed script tags of a page's HTML. */
function embedScriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*\bsrc=["'][^"']*\/embed\.js[^"']*["'][^>]*>/gi) ?? [];
}

/** The store containers (opening tags) of a page's HTML. */
function containerTags(html: string): string[] {
  return html.match(/<div\b[^>]*\bdata-padlock-store\b[^>]*>/gi) ?? [];
}

const attribute = (tag: string, name: string): string | null => {
  const match = new RegExp(`\\s${name}=(["'])(.*?)\\1`, 'i').exec(tag);
  return match ? match[2] : null;
};

describe('two store widgets in one WordPress post: a category shortcode and a product block', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let post: CreatedPost;
  let tab: TrackedPage;
  let page: Page;

  const first = (): Locator => page.locator('[data-padlock-store]').nth(0);
  const second = (): Locator => page.locator('[data-padlock-store]').nth(1);
  const countIn = async (widget: Locator): Promise<string> =>
    ((await widget.locator('[data-padlock-root] [data-cart-count]').textContent()) ?? '').trim();

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore(), (e) => e.stop());
    post = await env.site.createPost(
      'Two shops in one post',
      [
        '<p>For the home:</p>',
        '[padlock_store view="catalog" category=" Home "]',
        '<p>And the sticker pack I wrote about:</p>',
        '<!-- wp:padlock-store/store {"view":"product","product":"sticker-pack"} /-->',
      ].join('\n\n'),
    );
    tab = await teardown.track(openTrackedPage(env.browser), (t) => t.close());
    page = tab.page;
  });

  it('the page source has both containers, each wrapped in noptimize markers, and the embed script exactly once', async () => {
    const response = await env.site.fetch(post.url);
    expect(response.status).toBe(200);
    const html = response.body;

    const containers = containerTags(html);
    expect(containers).toHaveLength(2);
    const described = containers.map((tag) =>
      ['data-store-url', 'data-view', 'data-product', 'data-category'].map((name) => attribute(tag, name)),
    );
    expect(described).toEqual([
      [env.store.publicUrl, 'catalog', '', 'home'],
      [env.store.publicUrl, 'product', 'sticker-pack', ''],
    ]);
    // The category's snapshot: its products only.
    const [home, sticker] = html.split(/<div\b[^>]*\bdata-padlock-store\b[^>]*>/).slice(1);
    expect(home).toContain('>Enamel Mug</a>');
    expect(home).toContain('>Risograph Poster</a>');
    expect(home).not.toContain('Field Notebook');
    expect(sticker).toContain('>Sticker Pack</a>');
    const wrapped = html.match(/<!--noptimize-->\s*<div\b[^>]*\bdata-padlock-store\b[^>]*>[\s\S]*?<\/div>\s*<!--\/noptimize-->/g) ?? [];
    expect(wrapped).toHaveLength(2);
    expect(html.split('<!--noptimize-->').length - 1).toBeGreaterThanOrEqual(2);

    const scripts = embedScriptTags(html);
    expect(scripts).toHaveLength(1);
    const tag = scripts[0];
    expect(attribute(tag, 'src')).toBe(`${env.store.publicUrl}/embed.js?ver=0.2.0`);
    expect(tag).toMatch(/\sasync(?:=(["']?)async\1)?(?=[\s>/])/);
    expect(tag).toMatch(/\sdata-cfasync=(["'])false\1/);
    expect(tag).toMatch(/\sdata-no-optimize=(["'])1\1/);
  });

  it('renders both widgets in the browser: the home category and the sticker pack, with one script element', async () => {
    const response = await page.goto(post.url);
    expect(response?.status()).toBe(200);
    expect(await page.locator('[data-padlock-store]').count()).toBe(2);
    const cards = first().locator('[data-padlock-root] [data-product-card]');
    await eventually(async () =>
      expect(await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-product-card')))).toEqual([
        'enamel-mug',
        'risograph-poster',
      ]),
    );
    const product = second().locator('[data-padlock-root] [data-view="product"] h2');
    await product.waitFor();
    expect(await product.textContent()).toBe('Sticker Pack');
    expect(await second().locator('[data-padlock-root] [data-view="product"] .price').textContent()).toBe('$6.00');
    expect(await second().locator('[data-padlock-root] [data-view="catalog"]').count()).toBe(0);
    expect(await first().locator('[data-padlock-root] [data-view="product"]').count()).toBe(0);
    expect(await page.evaluate(`Array.from(document.querySelectorAll('[data-padlock-store]')).map((el) => !!el.shadowRoot)`)).toEqual([
      true,
      true,
    ]);
    expect(await page.evaluate(`document.querySelectorAll('script[src*="/embed.js"]').length`)).toBe(1);
    expect([await countIn(first()), await countIn(second())]).toEqual(['0', '0']);
    await screenshot(page, 'wordpress-two-widgets');
  });

  it('navigating the first widget leaves the second where it was', async () => {
    await first().locator('[data-padlock-root] [data-product-card="enamel-mug"] [data-action="view"]').click();
    const heading = first().locator('[data-padlock-root] [data-view="product"] h2');
    await heading.waitFor();
    expect(await heading.textContent()).toBe('Enamel Mug');
    expect(await first().locator('[data-padlock-root] [data-view="catalog"]').count()).toBe(0);
    expect(await second().locator('[data-padlock-root] [data-view="product"] h2').textContent()).toBe('Sticker Pack');
  });

  it('adding in the second widget counts in both, through one shared cart', async () => {
    await second().locator('[data-padlock-root] [data-view="product"] [data-action="add-to-cart"]').click();
    await eventually(async () => expect([await countIn(first()), await countIn(second())]).toEqual(['1', '1']));
    expect(await first().locator('[data-padlock-root] [data-view="product"] h2').textContent()).toBe('Enamel Mug');
    const carts: { id: string }[] = await env.store.dataSource.query('SELECT id FROM carts');
    expect(carts).toHaveLength(1);
    const items: { slug: string; quantity: number | string }[] = await env.store.dataSource.query(
      'SELECT p.slug, ci.quantity FROM cart_items ci JOIN products p ON p.id = ci.product_id',
    );
    expect(items.map((i) => [i.slug, Number(i.quantity)])).toEqual([['sticker-pack', 1]]);
  });

  it('logged no CSP violation, page error or failed request', () => {
    expect(tab.cspViolations()).toEqual([]);
    expect(tab.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
    expect(tab.problems()).toEqual([]);
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
