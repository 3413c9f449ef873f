import http from 'node:http';
import type { Browser, Locator, Page } from 'playwright-core';
import { eventually, launchBrowser, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { useTeardown } from '../support/teardown';

// Runs inside the page (these tests compile without the DOM library).
declare function getComputedStyle(element: unknown): { display: string; color: string; letterSpacing: string; fontSize: string };

// A blog on another origin (http://127.0.0.1:<port>, allowed by the default EMBED_ORIGINS) embeds
// two independent widgets of the store with one script tag, under CSS written to break them.

function blogPage(storeUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>A blog that sells things</title>
  <style>
    /* Hostile host styles: none of this may reach inside the widgets. */
    body * { display: inline !important; color: red !important; font-family: serif !important; letter-spacing: 3px !important; }
    button { display: none !important; }
    h2, h3 { font-size: 60px !important; }
  </style>
</head>
<body>
  <h1 id="blog-title">My blog</h1>
  <p id="blog-text">Here is the shop.</p>
  <button id="blog-button" type="button">A button of the blog itself</button>
  <div data-padlock-store></div>
  <p>And the sticker pack I wrote about:</p>
  <div data-padlock-store data-view="product" data-product="sticker-pack"></div>
  <script src="${storeUrl}/embed.js" async></script>
</body>
</html>`;
}

describe('two widgets on a blog page of another origin', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let blogUrl: string;
  let browser: Browser;
  let tab: TrackedPage;
  let page: Page;
  let cartKey: string;
  let cartId: string;

  const first = (): Locator => page.locator('[data-padlock-store]').nth(0);
  const second = (): Locator => page.locator('[data-padlock-store]').nth(1);
  const countIn = async (widget: Locator): Promise<string> => ((await widget.locator('[data-cart-count]').textContent()) ?? '').trim();
  const storedCartId = (): Promise<unknown> => page.evaluate(`localStorage.getItem(${JSON.stringify(cartKey)})`);

  beforeAll(async () => {
    store = await teardown.track(startRunningStore(), (s) => s.stop());
    cartKey = `padlock-store:cart:${store.publicUrl}`;
    const html = blogPage(store.publicUrl);
    const blog = http.createServer((req, res) => {
      if (req.url === '/blog/shop') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      } else {
        // Includes the browser's /favicon.ico probe.
        res.writeHead(204).end();
      }
    });
    await teardown.track(listenOnLoopback(blog), closeServer);
    blogUrl = `http://127.0.0.1:${portOf(blog)}/blog/shop`;
    browser = await teardown.track(launchBrowser(), (b) => b.close());
    tab = await teardown.track(openTrackedPage(browser), (t) => t.close());
    page = tab.page;
  });

  it('renders both widgets: the catalog and the sticker pack', async () => {
    await page.goto(blogUrl);
    await eventually(async () => expect(await first().locator('[data-product-card]').count()).toBe(8));
    await second().locator('[data-view="product"] h2').waitFor();
    expect(await second().locator('[data-view="product"] h2').textContent()).toBe('Sticker Pack');
    expect(await second().locator('[data-view="product"] .price').textContent()).toBe('$6.00');
    expect(await second().locator('[data-view="catalog"]').count()).toBe(0);
    expect(await first().locator('[data-view="product"]').count()).toBe(0);
    expect([await countIn(first()), await countIn(second())]).toEqual(['0', '0']);
    // Each widget lives in its own open shadow root.
    expect(await page.evaluate(`Array.from(document.querySelectorAll('[data-padlock-store]')).map((el) => !!el.shadowRoot)`)).toEqual([
      true,
      true,
    ]);
    // Only looking costs the store nothing: no cart yet, in the page or in the database.
    expect(await storedCartId()).toBeNull();
    expect(await store.dataSource.query('SELECT id FROM carts')).toEqual([]);
    await screenshot(page, 'two-widgets-1-blog');
  });

  it('keeps the widgets working under the blog’s hostile CSS (Shadow DOM isolation)', async () => {
    // The hostile rules are really in force on the blog's own elements...
    expect(await page.locator('#blog-button').isHidden()).toBe(true);
    expect(await page.locator('#blog-text').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 0, 0)');
    // ...but not inside the widgets: their buttons are shown, in the widget's colours.
    const viewButton = first().locator('[data-product-card="enamel-mug"] [data-action="view"]');
    const addButton = second().locator('[data-view="product"] [data-action="add-to-cart"]');
    for (const button of [viewButton, addButton, first().locator('[data-action="open-cart"]')]) {
      expect(await button.isVisible()).toBe(true);
      const style = await button.evaluate((el) => {
        const s = getComputedStyle(el);
        return { display: s.display, color: s.color, letterSpacing: s.letterSpacing };
      });
      expect(style.display).not.toBe('none');
      expect(style.color).not.toBe('rgb(255, 0, 0)');
      expect(style.letterSpacing).not.toBe('3px');
    }
    const heading = second().locator('[data-view="product"] h2');
    const headingStyle = await heading.evaluate((el) => ({ color: getComputedStyle(el).color, fontSize: getComputedStyle(el).fontSize }));
    expect(headingStyle.color).not.toBe('rgb(255, 0, 0)');
    expect(headingStyle.fontSize).not.toBe('60px');
    // The grid keeps its layout: cards sit side by side, not collapsed inline.
    const boxes = await first()
      .locator('[data-product-card]')
      .evaluateAll((els) => els.slice(0, 2).map((el) => el.getBoundingClientRect().toJSON()));
    expect(boxes[1].x).toBeGreaterThan(boxes[0].x + boxes[0].width - 1);
    expect(boxes[1].y).toBeCloseTo(boxes[0].y, 0);
  });

  it('navigating the first widget leaves the second where it was', async () => {
    await first().locator('[data-product-card="enamel-mug"] [data-action="view"]').click();
    await first().locator('[data-view="product"]').waitFor();
    expect(await first().locator('[data-view="product"] h2').textContent()).toBe('Enamel Mug');
    expect(await first().locator('[data-view="catalog"]').count()).toBe(0);
    expect(await second().locator('[data-view="product"] h2').textContent()).toBe('Sticker Pack');
    expect(await second().locator('[data-view="catalog"]').count()).toBe(0);
    expect(await second().locator('[data-view="product"]').count()).toBe(1);
  });

  it('adding to the cart in the second widget counts in both, and survives a reload through one shared cart', async () => {
    await second().locator('[data-view="product"] [data-action="add-to-cart"]').click();
    await eventually(async () => expect([await countIn(first()), await countIn(second())]).toEqual(['1', '1']));
    expect(await second().locator('[data-error]').textContent()).toBe('');

    const stored = await storedCartId();
    expect(typeof stored).toBe('string');
    cartId = stored as string;
    const carts: { id: string }[] = await store.dataSource.query('SELECT id FROM carts');
    expect(carts.map((c) => c.id)).toEqual([cartId]);
    const items: { slug: string; quantity: number | string }[] = await store.dataSource.query(
      'SELECT p.slug, ci.quantity FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = ?',
      [cartId],
    );
    expect(items.map((i) => [i.slug, Number(i.quantity)])).toEqual([['sticker-pack', 1]]);
    // Adding did not reset the first widget's view.
    expect(await first().locator('[data-view="product"] h2').textContent()).toBe('Enamel Mug');

    await page.reload();
    await eventually(async () => expect([await countIn(first()), await countIn(second())]).toEqual(['1', '1']));
    expect(await storedCartId()).toBe(cartId);
    // Both widgets start over from their markup after the reload.
    await eventually(async () => expect(await first().locator('[data-product-card]').count()).toBe(8));
    expect(await second().locator('[data-view="product"] h2').textContent()).toBe('Sticker Pack');
    // Still the one cart: neither widget made another one.
    expect((await store.dataSource.query<{ id: string }[]>('SELECT id FROM carts')).map((c) => c.id)).toEqual([cartId]);
    await screenshot(page, 'two-widgets-2-after-reload');
  });

  it('Checkout sends the whole tab to the store’s checkout, which links back to the blog page', async () => {
    await first().locator('[data-action="open-cart"]').click();
    const line = first().locator('[data-view="cart"] [data-cart-line="sticker-pack"]');
    await line.waitFor();
    expect(await first().locator('[data-cart-total]').textContent()).toBe('$6.00');
    await screenshot(page, 'two-widgets-3-cart');

    await first().locator('[data-action="checkout"]').click();
    await page.waitForURL(new RegExp(`^${store.publicUrl.replace(/[.]/g, '\\.')}/checkout/[A-Za-z0-9_-]{43}$`));
    const token = page.url().split('/').pop()!;
    // The top-level page left the blog (the widget did not open the checkout in a frame or popup).
    expect(page.frames()).toHaveLength(1);
    expect(tab.context.pages()).toHaveLength(1);

    await page.locator('[data-secure-badge]').waitFor({ state: 'visible' });
    const back = page.locator('p.back a');
    expect(await back.textContent()).toContain('Back to the shop');
    expect(await back.getAttribute('href')).toBe(blogUrl);
    const lines = await page.locator('.summary tr[data-line] td').allTextContents();
    expect(lines.map((s) => s.trim())).toEqual(['Sticker Pack', '1', '$6.00']);

    const checkouts: { cart_id: string; return_url: string }[] = await store.dataSource.query(
      'SELECT cart_id, return_url FROM checkouts WHERE id = ?',
      [token],
    );
    expect(checkouts).toEqual([{ cart_id: cartId, return_url: blogUrl }]);
    await screenshot(page, 'two-widgets-4-checkout');
  });

  it('logged no CSP violation, page error or failed request, on the blog or the checkout', () => {
    expect(tab.cspViolations()).toEqual([]);
    expect(tab.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
    expect(tab.problems()).toEqual([]);
  });
});
