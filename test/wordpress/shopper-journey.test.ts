import type { Page } from 'playwright-core';
import { eventually, fillCheckoutAddress, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { escapeRegExp, typeStripeBilling, typeStripeCard } from '../support/payment-journey';
import { pluginPhpProblems, startBlogWithStore, type BlogWithStore } from '../support/wp-fixture';
import type { CreatedPost } from '../support/wordpress';
import { useTeardown } from '../support/teardown';

// A shopper's whole journey from a post of a plain-HTTP WordPress blog (Force HTTPS off): the
// widget in the post, a product into the cart, Checkout to the store's HTTPS page, the Stripe
// sandbox's hosted page with 4242…, the paid order page, and "← Back to the shop" to the post.

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('a shopper buys from a post of an HTTP WordPress blog', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let post: CreatedPost;
  let tab: TrackedPage;
  let page: Page;
  let checkoutUrl: string;
  let orderPublicId: string;

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore({ forceHttps: false }), (e) => e.stop());
    post = await env.site.createPost(
      'Our little shop',
      '<p>Everything we make, from the studio.</p>\n\n[padlock_store]\n\n<p>Thanks for reading.</p>',
    );
    // The shopper is not the administrator: a fresh context, no WordPress cookies.
    tab = await teardown.track(openTrackedPage(env.browser), (t) => t.close());
    page = tab.page;
  });

  it('shows the store inside the post, on the plain-HTTP page', async () => {
    expect(post.url).toBe(`${env.site.origin}/?p=${post.id}`);
    const response = await page.goto(post.url);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(post.url);
    expect(await page.evaluate('window.isSecureContext')).toBe(false);
    expect(await page.locator('h1').filter({ hasText: 'Our little shop' }).count()).toBe(1);

    const container = page.locator('[data-padlock-store]');
    expect(await container.count()).toBe(1);
    expect(await container.getAttribute('data-store-url')).toBe(env.store.publicUrl);
    // Between the post's own paragraphs, not somewhere else on the page.
    const order = await page.evaluate(`(() => {
      const c = document.querySelector('[data-padlock-store]');
      const ps = Array.from(document.querySelectorAll('p')).filter((p) => /from the studio|Thanks for reading/.test(p.textContent));
      return ps.map((p) => c.compareDocumentPosition(p));
    })()`);
    expect(order).toEqual([2, 4]); // DOCUMENT_POSITION_PRECEDING, DOCUMENT_POSITION_FOLLOWING

    await container.locator('[data-padlock-root]').waitFor();
    const cards = page.locator('[data-padlock-root] [data-product-card]');
    await eventually(async () => expect(await cards.count()).toBe(8));
    expect(await page.evaluate(`!!document.querySelector('[data-padlock-store]').shadowRoot`)).toBe(true);
    expect(await text(page, '[data-padlock-root] [data-cart-count]')).toBe('0');
  });

  it('adds the enamel mug to the cart from its card', async () => {
    await page.locator('[data-padlock-root] [data-product-card="enamel-mug"] [data-action="add-to-cart"]').click();
    await eventually(async () => expect(await text(page, '[data-padlock-root] [data-cart-count]')).toBe('1'));
    expect(await text(page, '[data-padlock-root] [data-error]')).toBe('');
    await screenshot(page, 'wordpress-blog-page');
  });

  it('Checkout sends the whole tab to the store’s HTTPS checkout page, which remembers the post', async () => {
    await page.locator('[data-padlock-root] [data-action="open-cart"]').click();
    await page.locator('[data-padlock-root] [data-view="cart"] [data-cart-line="enamel-mug"]').waitFor();
    await page.locator('[data-padlock-root] [data-action="checkout"]').click();
    await page.waitForURL(new RegExp(`^${escapeRegExp(env.store.publicUrl)}/checkout/[A-Za-z0-9_-]{43}$`));
    checkoutUrl = page.url();
    expect(tab.context.pages()).toHaveLength(1);
    expect(await page.evaluate('window.isSecureContext')).toBe(true);
    await page.locator('[data-secure-badge]').waitFor({ state: 'visible' });
    expect(await text(page, '[data-secure-badge]')).toContain('Secure checkout');
    expect(await page.locator('p.back a').getAttribute('href')).toBe(post.url);
    const token = checkoutUrl.split('/').pop()!;
    const rows: { return_url: string }[] = await env.store.dataSource.query('SELECT return_url FROM checkouts WHERE id = ?', [token]);
    expect(rows).toEqual([{ return_url: post.url }]);
  });

  it('places the order with the checkout form and pays on the Stripe sandbox’s hosted page with 4242 4242 4242 4242', async () => {
    await page.locator('#email').fill('ada@example.com');
    await fillCheckoutAddress(page, 'standard');
    await Promise.all([
      page.waitForResponse((r) => r.url() === checkoutUrl && r.request().method() === 'POST' && r.status() === 303),
      page.locator('form.checkout-form button[type="submit"]').click(),
    ]);
    await page.locator('[data-pay-step]').waitFor({ state: 'visible' });
    expect(await text(page, '[data-order-status]')).toBe('Awaiting payment');
    const total = await text(page, '[data-total]');
    expect(total).toBe('$23.00'); // $18.00 + $5.00 standard shipping

    await page.locator('[data-pay-method="stripe"] [data-pay-with="stripe"]').click();
    await page.waitForURL(/\/c\/pay\/cs_[A-Za-z0-9_]+$/);
    const hosted = new URL(page.url());
    expect(hosted.protocol).toBe('https:');
    expect(hosted.origin).not.toBe(env.store.publicUrl);
    expect(await text(page, '[data-total]')).toBe(total);
    await typeStripeCard(page, '4242424242424242');
    await typeStripeBilling(page);
    await page.getByRole('button', { name: `Pay ${total}` }).click();

    await page.waitForURL(new RegExp(`^${escapeRegExp(env.store.publicUrl)}/orders/[A-Za-z0-9_-]+$`));
    orderPublicId = new URL(page.url()).pathname.split('/').pop()!;
    // "Payment is being confirmed" reloads itself until the callback has landed.
    await eventually(
      async () => expect(await page.locator('[data-order-status]').textContent({ timeout: 2_000 })).toBe('Paid'),
      20_000,
      250,
    );
    const orders: { status: string; return_url: string }[] = await env.store.dataSource.query(
      'SELECT status, return_url FROM orders WHERE public_id = ?',
      [orderPublicId],
    );
    expect(orders).toEqual([{ status: 'paid', return_url: post.url }]);
  });

  it('“← Back to the shop” on the order page returns to the very same blog post', async () => {
    const back = page.locator('p.back a');
    expect(await back.textContent()).toContain('Back to the shop');
    await back.click();
    await page.waitForURL(post.url);
    expect(page.url()).toBe(post.url);
    await eventually(async () => expect(await page.locator('[data-padlock-root] [data-product-card]').count()).toBe(8));
    expect(await page.locator('h1').filter({ hasText: 'Our little shop' }).count()).toBe(1);
  });

  it('logged no CSP violation, page error, failed request or mixed content on the blog, the store or the gateway', () => {
    expect(tab.cspViolations()).toEqual([]);
    expect(tab.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
    expect(tab.events.filter((e) => /Mixed Content/i.test(e.text))).toEqual([]);
    // The sandbox's hosted page has no favicon: Chromium's 404 for it is expected, nothing else.
    const sandboxFavicon =
      /^\[console:error\] Failed to load resource: the server responded with a status of 404 \(Not Found\) \(at https:\/\/[^/]+\/favicon\.ico\)$/;
    expect(tab.problems().filter((line) => !sandboxFavicon.test(line) || line.includes(env.store.publicUrl))).toEqual([]);
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
