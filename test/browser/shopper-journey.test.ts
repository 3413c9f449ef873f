import type { Browser, Page } from 'playwright-core';
import { eventually, fillCheckoutAddress, launchBrowser, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { startRunningStore, stockIn, type RunningStoreHandle } from '../support/running-store';
import { useTeardown } from '../support/teardown';

// The shopper journey of the storefront issue, in a real Chromium against a store started the way
// `main.ts` starts it: catalog → product → cart → quantity 3 → hosted checkout → pay step.

const DEMO_SLUGS = [
  'field-notebook',
  'enamel-mug',
  'canvas-tote-bag',
  'sticker-pack',
  'risograph-poster',
  'fineliner-pen-set',
  'brass-bookmark',
  'organic-t-shirt',
];

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('a shopper buys three enamel mugs on the standalone storefront', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let browser: Browser;
  let tab: TrackedPage;
  let page: Page;
  let checkoutUrl: string;
  let token: string;
  let mugStockAtStart: number;

  beforeAll(async () => {
    store = await teardown.track(startRunningStore(), (s) => s.stop());
    browser = await teardown.track(launchBrowser(), (b) => b.close());
    tab = await teardown.track(openTrackedPage(browser), (t) => t.close());
    page = tab.page;
    mugStockAtStart = await stockIn(store.dataSource, 'enamel-mug');
  });

  // The steps share one tab, as one shopper would; each step needs the previous one.
  it('shows the eight demo products on https://localhost:<port>/', async () => {
    const response = await page.goto(`${store.publicUrl}/`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${store.publicUrl}/`);
    await page.locator('[data-padlock-root]').waitFor();
    const cards = page.locator('[data-product-card]');
    await eventually(async () => expect(await cards.count()).toBe(8));
    const slugs = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-product-card')));
    expect(slugs).toEqual(DEMO_SLUGS);
    const mug = page.locator('[data-product-card="enamel-mug"]');
    expect(await mug.locator('h3').textContent()).toBe('Enamel Mug');
    expect(await mug.locator('.price').textContent()).toBe('$18.00');
    // No "Show more": all eight fit on the first page.
    expect(await page.locator('[data-action="more"]').isHidden()).toBe(true);
    expect(await text(page, '[data-cart-count]')).toBe('0');
    await screenshot(page, 'journey-1-storefront');
  });

  it('opens the enamel mug and adds it to the cart', async () => {
    await page.locator('[data-product-card="enamel-mug"] [data-action="view"]').click();
    const view = page.locator('[data-view="product"]');
    await view.waitFor();
    expect(await view.locator('h2').textContent()).toBe('Enamel Mug');
    expect(await view.locator('.price').textContent()).toBe('$18.00');
    expect(await page.locator('[data-view="catalog"]').count()).toBe(0);

    await view.locator('[data-action="add-to-cart"]').click();
    await eventually(async () => expect(await text(page, '[data-cart-count]')).toBe('1'));
    expect(await page.locator('[data-error]').textContent()).toBe('');
    await screenshot(page, 'journey-2-product');
  });

  it('sets the quantity to 3 in the cart and shows the server total of $54.00', async () => {
    await page.locator('[data-action="open-cart"]').click();
    const line = page.locator('[data-view="cart"] [data-cart-line="enamel-mug"]');
    await line.waitFor();
    expect(await page.locator('[data-cart-total]').textContent()).toBe('$18.00');
    const quantity = line.locator('input[data-quantity]');
    expect(await quantity.inputValue()).toBe('1');

    // The widget sends the PATCH on `change`, which a person triggers by leaving the field.
    await quantity.fill('3');
    await quantity.press('Tab');
    await eventually(async () => expect(await text(page, '[data-cart-total]')).toBe('$54.00'));
    expect(await text(page, '[data-cart-count]')).toBe('3');
    expect(await page.locator('[data-cart-line="enamel-mug"] input[data-quantity]').inputValue()).toBe('3');
    expect(await page.locator('[data-error]').textContent()).toBe('');

    const rows: { quantity: number | string }[] = await store.dataSource.query(
      'SELECT ci.quantity FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE p.slug = ?',
      ['enamel-mug'],
    );
    expect(rows.map((r) => Number(r.quantity))).toEqual([3]);
    // A cart reserves nothing: stock only moves when the order is placed.
    expect(await stockIn(store.dataSource, 'enamel-mug')).toBe(mugStockAtStart);
    await screenshot(page, 'journey-3-cart');
  });

  it('sends the whole tab to the store’s own https checkout page, with the padlock shown', async () => {
    await page.locator('[data-action="checkout"]').click();
    await page.waitForURL(/\/checkout\/[A-Za-z0-9_-]{43}$/);
    checkoutUrl = page.url();
    token = checkoutUrl.split('/').pop()!;
    expect(checkoutUrl).toBe(`${store.publicUrl}/checkout/${token}`);

    expect(await page.evaluate('window.isSecureContext')).toBe(true);
    const badge = page.locator('[data-secure-badge]');
    await badge.waitFor({ state: 'visible' });
    expect(await badge.textContent()).toContain('Secure checkout');
    expect(await page.locator('[data-insecure-warning]').isHidden()).toBe(true);

    // The summary is the cart's, before shipping is chosen.
    const line = page.locator('.summary tr[data-line]');
    expect(await line.count()).toBe(1);
    expect((await line.locator('td').allTextContents()).map((s) => s.trim())).toEqual(['Enamel Mug', '3', '$54.00']);
    expect(await text(page, '[data-total]')).toBe('$54.00');

    // The shop link goes back to the storefront the shopper came from.
    expect(await page.locator('p.back a').getAttribute('href')).toBe(`${store.publicUrl}/`);
    const checkouts: { return_url: string; order_id: number | null }[] = await store.dataSource.query(
      'SELECT return_url, order_id FROM checkouts WHERE id = ?',
      [token],
    );
    expect(checkouts).toEqual([{ return_url: `${store.publicUrl}/`, order_id: null }]);
  });

  it('refuses an empty email next to the field and keeps everything else that was typed', async () => {
    await fillCheckoutAddress(page, 'express');
    expect(await page.locator('#email').inputValue()).toBe('');
    await screenshot(page, 'journey-4-checkout-form');

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === checkoutUrl && r.request().method() === 'POST'),
      page.locator('form.checkout-form button[type="submit"]').click(),
    ]);
    expect(response.status()).toBe(400);
    const emailError = page.locator('#email-error');
    await emailError.waitFor({ state: 'visible' });
    expect(await emailError.textContent()).toMatch(/email/i);
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#email').getAttribute('aria-describedby')).toBe('email-error');
    // The error sits in the email field's own block, not somewhere else on the page.
    expect(await page.locator('.field.has-error:has(#email) #email-error').count()).toBe(1);
    expect(await page.locator('.field-error').count()).toBe(1);
    expect(await text(page, '[data-form-error]')).toContain('Please correct the fields marked below.');

    expect(page.url()).toBe(checkoutUrl);
    expect(await page.locator('#shippingName').inputValue()).toBe('Ada Lovelace');
    expect(await page.locator('#shippingLine1').inputValue()).toBe('12 Analytical Row');
    expect(await page.locator('#shippingCity').inputValue()).toBe('London');
    expect(await page.locator('#shippingPostalCode').inputValue()).toBe('N1 9GU');
    expect(await page.locator('#shippingCountry').inputValue()).toBe('GB');
    expect(await page.locator('#billingSameAsShipping').isChecked()).toBe(true);
    expect(await page.locator('#shippingMethod-express').isChecked()).toBe(true);
    expect(await page.locator('#shippingMethod-standard').isChecked()).toBe(false);
    // Still a secure page after the round trip.
    expect(await page.locator('[data-secure-badge]').isVisible()).toBe(true);

    const orders: unknown[] = await store.dataSource.query('SELECT id FROM orders');
    expect(orders).toEqual([]);
    expect(await stockIn(store.dataSource, 'enamel-mug')).toBe(mugStockAtStart);
    await screenshot(page, 'journey-5-checkout-email-error');
  });

  it('places the order on submit and shows the pay step: $54.00 + $15.00 express = $69.00, awaiting payment', async () => {
    await page.locator('#email').fill('Ada@Example.com');
    await Promise.all([
      page.waitForResponse((r) => r.url() === checkoutUrl && r.request().method() === 'POST' && r.status() === 303),
      page.locator('form.checkout-form button[type="submit"]').click(),
    ]);
    const payStep = page.locator('[data-pay-step]');
    await payStep.waitFor({ state: 'visible' });
    expect(page.url()).toBe(checkoutUrl);

    expect(await text(page, 'h1')).toBe('Review and pay');
    expect(await text(page, '[data-order-status]')).toBe('Awaiting payment');
    const orderNumber = await text(page, '[data-order-number]');
    expect(orderNumber).toMatch(/^PS-\d{6}$/);
    const line = page.locator('.summary tr[data-line]');
    expect((await line.locator('td').allTextContents()).map((s) => s.trim())).toEqual(['Enamel Mug', '3', '$54.00']);
    expect(await text(page, '[data-subtotal]')).toBe('$54.00');
    expect(await text(page, '[data-shipping]')).toBe('$15.00');
    expect(await text(page, '[data-total]')).toBe('$69.00');
    const details = (await page.locator('section.details').textContent()) ?? '';
    expect(details).toContain('ada@example.com');
    expect(details).toContain('Ada Lovelace');
    expect(details).toContain('Express');
    expect(await payStep.textContent()).toContain('reserved until');
    expect(await page.locator('[data-secure-badge]').isVisible()).toBe(true);
    expect(await page.locator('[data-insecure-warning]').isHidden()).toBe(true);
    await screenshot(page, 'journey-6-pay-step');

    const orders: Array<Record<string, unknown>> = await store.dataSource.query(
      'SELECT id, status, email, subtotal, shipping_amount, total, currency, shipping_method, shipping_address_id, billing_address_id FROM orders',
    );
    expect(orders).toHaveLength(1);
    const order = orders[0];
    expect(order).toMatchObject({ status: 'pending_payment', email: 'ada@example.com', currency: 'USD', shipping_method: 'express' });
    expect([Number(order.subtotal), Number(order.shipping_amount), Number(order.total)]).toEqual([5400, 1500, 6900]);
    expect(orderNumber).toBe(`PS-${String(order.id).padStart(6, '0')}`);
    expect(order.billing_address_id).toBe(order.shipping_address_id);
    const lines: Array<{ quantity: number | string; line_total: number | string }> = await store.dataSource.query(
      'SELECT quantity, line_total FROM order_lines WHERE order_id = ?',
      [order.id],
    );
    expect(lines.map((l) => [Number(l.quantity), Number(l.line_total)])).toEqual([[3, 5400]]);
    const checkouts: { order_id: number | null }[] = await store.dataSource.query('SELECT order_id FROM checkouts WHERE id = ?', [token]);
    expect(checkouts.map((c) => c.order_id)).toEqual([order.id]);

    // The three mugs are reserved for this order.
    expect(await stockIn(store.dataSource, 'enamel-mug')).toBe(mugStockAtStart - 3);
  });

  it('reloading the pay step neither re-submits nor reserves twice', async () => {
    await page.reload();
    await page.locator('[data-pay-step]').waitFor({ state: 'visible' });
    expect(await text(page, '[data-order-status]')).toBe('Awaiting payment');
    const orders: unknown[] = await store.dataSource.query('SELECT id FROM orders');
    expect(orders).toHaveLength(1);
    expect(await stockIn(store.dataSource, 'enamel-mug')).toBe(mugStockAtStart - 3);
  });

  it('logged no CSP violation, page error or failed request during the whole journey', () => {
    expect(tab.cspViolations()).toEqual([]);
    expect(tab.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
    // Chromium logs one expected "Failed to load resource" line: the 400 answer to the form
    // posted without an email (the page the shopper sees). Anything else is a problem.
    const expected = (line: string): boolean =>
      line === `[console:error] Failed to load resource: the server responded with a status of 400 (Bad Request) (at ${checkoutUrl})`;
    expect(tab.problems().filter((line) => !expected(line))).toEqual([]);
  });
});
