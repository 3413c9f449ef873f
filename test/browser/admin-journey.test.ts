import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createAdmin } from '../../server/admin/auth/admin-accounts';
import { eventually, launchBrowser, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { BRAINTREE_AVS_POSTAL_MISMATCH } from '../support/payments';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { registerSecrets } from '../support/secret-scan';
import { validCheckoutForm } from '../support/shopper';
import { useTeardown } from '../support/teardown';

// A store admin in Chromium: logs in, filters the orders to held ones, opens an order the
// Braintree sandbox held for a failed address check, captures it, refunds part, reads the
// timeline — on a store started as main.ts starts it, with AVS_POLICY=hold.

const ADMIN = { email: 'owner@shop.test', password: 'correct horse battery staple' };

describe('the admin in Chromium', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let browser: Browser;
  let tab: TrackedPage;
  let page: Page;
  let orderNumber: string;
  let orderUrl: string;
  let ca: string;

  const api = () => ({
    get: (p: string) => request(store.publicUrl).get(p).ca(ca),
    post: (p: string) => request(store.publicUrl).post(p).ca(ca),
  });
  const text = async (selector: string): Promise<string> =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  /** A shopper's order paid with Braintree's sandbox, whose postal-code check fails: held. */
  async function heldOrder(): Promise<string> {
    const cart = await api().post('/api/carts').send({}).expect(201);
    const product = await api().get('/api/products/enamel-mug').expect(200);
    await api().post(`/api/carts/${cart.body.id}/items`).send({ productId: product.body.id, quantity: 1 }).expect(201);
    const checkout = await api()
      .post(`/api/carts/${cart.body.id}/checkout`)
      .send({ returnUrl: 'http://localhost:8000/blog/shop' })
      .expect(201);
    const token = new URL(checkout.body.checkoutUrl as string).pathname.split('/').pop()!;
    await api()
      .post(`/checkout/${token}`)
      .type('form')
      .send(validCheckoutForm({ ...BRAINTREE_AVS_POSTAL_MISMATCH, email: 'mallory@example.com' }))
      .expect(303);
    await api().post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce: 'fake-valid-nonce' }).expect(303);
    const [row] = await store.dataSource.query("SELECT id FROM orders WHERE email = 'mallory@example.com'");
    return `PS-${String(row.id).padStart(6, '0')}`;
  }

  beforeAll(async () => {
    store = await teardown.track(startRunningStore({ AVS_POLICY: 'hold' }), (s) => s.stop());
    ca = fs.readFileSync(path.join(store.dataDir, 'tls', 'localhost-cert.pem'), 'utf8');
    await createAdmin(store.dataSource, ADMIN.email, ADMIN.password);
    registerSecrets('admin password', [ADMIN.password]);
    orderNumber = await heldOrder();
    browser = await teardown.track(launchBrowser(), (b) => b.close());
    // A phone-sized window: the admin must work on one.
    tab = await teardown.track(openTrackedPage(browser, { viewport: { width: 390, height: 844 } }), (t) => t.close());
    page = tab.page;
  });

  it('sends a visitor to the login page and logs the admin in with the form', async () => {
    await page.goto(`${store.publicUrl}/admin/orders`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await Promise.all([page.waitForURL(`${store.publicUrl}/admin/orders`), page.getByRole('button', { name: 'Log in' }).click()]);
    expect(await text('h1')).toBe('Orders');
  });

  it('filters the list to held orders and finds the one flagged by the address check', async () => {
    await page.getByLabel('Status').selectOption({ label: 'On hold' });
    await Promise.all([page.waitForURL(/status=on_hold/), page.getByRole('button', { name: 'Show' }).click()]);
    const rows = page.locator('tr[data-order]');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-order')).toBe(orderNumber);
    expect(await text(`tr[data-order="${orderNumber}"]`)).toContain('Address check failed');
    await screenshot(page, 'admin-order-list');
  });

  it('opens the order: address check in plain words, the gateway reference, the actions it allows', async () => {
    await Promise.all([page.waitForURL(/\/admin\/orders\/\d+$/), page.getByRole('link', { name: orderNumber }).click()]);
    orderUrl = page.url();
    expect(await text('[data-order-status]')).toBe('On hold');
    expect(await text('[data-address-check]')).toBe(
      'Address check: Street address matched, postal code did not match, security code was not checked.',
    );
    expect(await text('[data-payment]')).toMatch(/Braintree · authorised · reference \S+/);
    expect(await page.getByRole('button', { name: 'Capture payment' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Refund' }).count()).toBe(0);
  });

  it('captures it: the order is paid and the result is shown', async () => {
    await Promise.all([page.waitForURL(/done=capture$/), page.getByRole('button', { name: 'Capture payment' }).click()]);
    expect(await text('[data-action-result]')).toBe('Payment captured.');
    expect(await text('[data-order-status]')).toBe('Paid');
  });

  it('refunds part of it, in dollars; a larger refund than what is left is refused with the reason', async () => {
    // Braintree refunds only settled transactions; its sandbox settles a capture after one second
    // (the real one overnight) and says so with a webhook. Before that, Braintree refuses refunds.
    await eventually(async () => {
      const settled: unknown[] = await store.dataSource.query("SELECT id FROM gateway_events WHERE type = 'transaction_settled'");
      expect(settled).toHaveLength(1);
    });
    await page.getByLabel(/Refund amount/).fill('5.50');
    await Promise.all([page.waitForURL(/done=refund$/), page.getByRole('button', { name: 'Refund', exact: true }).click()]);
    expect(await text('[data-order-status]')).toBe('Partially refunded');
    await page.getByLabel(/Refund amount/).fill('100');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 409),
      page.getByRole('button', { name: 'Refund', exact: true }).click(),
    ]);
    expect(await text('[data-action-error]')).toMatch(/At most \$17\.50 of this payment can still be refunded\./);
    expect(await page.getByLabel(/Refund amount/).inputValue()).toBe('100');
  });

  it('shows the payment timeline, oldest first: placed, held, captured, refunded, with the admin’s actions', async () => {
    await page.goto(orderUrl);
    const entries = await page.locator('[data-timeline] li strong').allTextContents();
    expect(entries).toEqual([
      'Pending payment',
      'Pending payment → On hold',
      'On hold → Paid',
      `${ADMIN.email}: capture (success)`,
      'Braintree callback: transaction_settled',
      'Paid → Partially refunded',
      `${ADMIN.email}: refund (success)`,
      `${ADMIN.email}: refund (failure)`,
    ]);
    await screenshot(page, 'admin-order-page');
  });

  it('creates a product, which the storefront shows at once', async () => {
    await page.getByRole('link', { name: 'Products' }).click();
    await Promise.all([page.waitForURL(/\/admin\/products\/new$/), page.getByRole('link', { name: 'New product' }).click()]);
    await page.getByLabel('Name', { exact: true }).fill('Linen Apron');
    await page.getByLabel('Slug').fill('linen-apron');
    await page.getByLabel('Description').fill('A heavy linen apron with two pockets.');
    await page.getByLabel(/^Price/).fill('34.50');
    await page.getByLabel('Stock').fill('7');
    await page.getByLabel('Category').fill('home');
    await page.getByLabel(/^Active/).check();
    await Promise.all([page.waitForURL(/\/admin\/products\?created=\d+$/), page.getByRole('button', { name: /Create|Save/ }).click()]);
    expect(await text('body')).toContain('Linen Apron');

    const storefront = await openTrackedPage(browser);
    try {
      await storefront.page.goto(`${store.publicUrl}/`);
      const card = storefront.page.locator('[data-padlock-store] [data-product-card="linen-apron"]');
      await card.waitFor();
      expect(((await card.textContent()) ?? '').replace(/\s+/g, ' ')).toContain('Linen Apron$34.50');
      expect(storefront.problems()).toEqual([]);
    } finally {
      await storefront.close();
    }
  });

  it('logged no CSP violation, page error or failed request', () => {
    expect(tab.cspViolations()).toEqual([]);
    // The refused refund answers 409 (a page that says why); Chromium logs that status as a console error.
    expect(tab.problems().filter((line) => !/status of 409 \(Conflict\) \(at [^)]*\/refund\)$/.test(line))).toEqual([]);
  });
});
