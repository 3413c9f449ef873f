import type { Browser, FrameLocator, Page } from 'playwright-core';
import { eventually, launchBrowser, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import {
  cardNumberPattern,
  dumpDatabase,
  escapeRegExp,
  groupedCardNumber,
  recordStoreRequests,
  sandboxPageOrigins,
  shopToPayStep,
  typeStripeBilling,
  typeStripeCard,
  waitForPaidOrderPage,
  type SandboxPageOrigins,
  type StoreRequestLog,
} from '../support/payment-journey';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { futureExpiry } from '../support/stripe-checkout-browser';
import { useTeardown } from '../support/teardown';

// The payment journeys of a shopper in a real Chromium, against a store started the way `main.ts`
// starts it, with its local Stripe and Braintree sandboxes: storefront → checkout → pay step →
// the gateway's own page or fields → back on the store's order page, paid. Then the proof that no
// card number ever reached the store: its whole database, its logs (which carry the sandboxes'
// too) and every request the browser sent to it.

const STRIPE_OK = '4242424242424242';
const STRIPE_DECLINED = '4000000000000002';
const BRAINTREE_OK = '4111111111111111';
const TYPED_CARDS = [STRIPE_OK, STRIPE_DECLINED, BRAINTREE_OK];

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').trim();

interface OrderRow {
  id: number;
  status: string;
  total: number | string;
  return_url: string;
}

interface PaymentRow {
  gateway: string;
  status: string;
  amount: number | string;
  captured_amount: number | string;
}

describe('a shopper pays on the gateways’ own pages and fields, and the store never sees the card', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let browser: Browser;
  let sandboxes: SandboxPageOrigins;
  let tab: TrackedPage | undefined;
  /** Everything every tab sent to the store's origin, for the final check. */
  const storeRequests: StoreRequestLog[] = [];

  beforeAll(async () => {
    store = await teardown.track(startRunningStore(), (s) => s.stop());
    sandboxes = sandboxPageOrigins(store.logLines);
    browser = await teardown.track(launchBrowser(), (b) => b.close());
  });

  // Each journey is a new shopper: a fresh browser context, so a fresh cart.
  beforeEach(async () => {
    tab = await openTrackedPage(browser);
    storeRequests.push(recordStoreRequests(tab, store.publicUrl));
  });

  afterEach(async () => {
    await tab?.close().catch(() => undefined);
    tab = undefined;
  });

  async function orderRow(publicId: string): Promise<OrderRow> {
    const rows: OrderRow[] = await store.dataSource.query('SELECT id, status, total, return_url FROM orders WHERE public_id = ?', [
      publicId,
    ]);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  async function paymentsOf(orderId: number): Promise<PaymentRow[]> {
    return store.dataSource.query('SELECT gateway, status, amount, captured_amount FROM payments WHERE order_id = ? ORDER BY id', [
      orderId,
    ]);
  }

  /** The order page the shopper lands on: "Paid", the order number, and the link back to the shop. */
  async function expectPaidOrderPage(page: Page, orderNumber: string): Promise<string> {
    const publicId = await waitForPaidOrderPage(page, store);
    expect(await text(page, 'h1')).toBe('Your order');
    expect(await text(page, '[data-order-number]')).toBe(orderNumber);
    const back = page.locator('p.back a');
    expect(await back.textContent()).toBe('← Back to the shop');
    // The storefront page the shopper started from.
    expect(await back.getAttribute('href')).toBe(`${store.publicUrl}/`);
    return publicId;
  }

  /**
   * No CSP violation and no uncaught error on any page of the journey (the store's, the hosted
   * page and the fields frame), and no other console error or failed request except `allowed`.
   * The sandbox's hosted page has no favicon, so Chromium's 404 for `/favicon.ico` on the
   * sandbox's origin (never the store's) is expected.
   */
  function expectCleanTab(current: TrackedPage, allowed: readonly RegExp[] = []): void {
    expect(current.cspViolations()).toEqual([]);
    expect(current.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
    const sandboxFavicon = new RegExp(
      `^\\[console:error\\] Failed to load resource: the server responded with a status of 404 \\(Not Found\\) \\(at ${escapeRegExp(sandboxes.stripe)}/favicon\\.ico\\)$`,
    );
    expect(current.problems().filter((line) => !sandboxFavicon.test(line) && !allowed.some((pattern) => pattern.test(line)))).toEqual([]);
  }

  /** Clicks "Pay on the secure payment page" and checks the tab is on the sandbox's own page. */
  async function goToHostedPage(page: Page, total: string): Promise<string> {
    const method = page.locator('[data-pay-method="stripe"]');
    expect(await text(page, '[data-pay-method="stripe"] h3')).toBe('Card (secure payment page)');
    await method.locator('[data-pay-with="stripe"]').click();
    await page.waitForURL(new RegExp(`^${escapeRegExp(sandboxes.stripe)}/c/pay/cs_[A-Za-z0-9_]+$`));
    const hosted = new URL(page.url());
    expect(hosted.origin).toBe(sandboxes.stripe);
    expect(hosted.origin).not.toBe(store.publicUrl);
    expect(hosted.port).not.toBe(new URL(store.publicUrl).port);
    expect(await text(page, '[data-sandbox-banner]')).toContain('Sandbox — no real payment');
    expect(await text(page, '[data-total]')).toBe(total);
    return page.url();
  }

  it('Stripe: pays with 4242 4242 4242 4242 on the hosted page and comes back to a paid order page', async () => {
    const current = tab!;
    const { page } = current;
    const reached = await shopToPayStep(page, store, 'field-notebook', 'ada@example.com');
    expect(reached.total).toBe('$17.00'); // $12.00 + $5.00 standard shipping
    const hostedUrl = await goToHostedPage(page, reached.total);
    expect(await text(page, '[data-email]')).toBe('ada@example.com');
    expect(await page.locator('[data-error]').count()).toBe(0);

    await typeStripeCard(page, STRIPE_OK);
    await typeStripeBilling(page);
    await screenshot(page, 'payment-1-stripe-hosted-page');
    await page.getByRole('button', { name: `Pay ${reached.total}` }).click();

    const publicId = await expectPaidOrderPage(page, reached.orderNumber);
    await screenshot(page, 'payment-1-stripe-order-paid');
    const order = await orderRow(publicId);
    expect(order).toMatchObject({ status: 'paid', return_url: `${store.publicUrl}/` });
    const payments = await paymentsOf(order.id);
    expect(payments.map((p) => [p.gateway, p.status])).toEqual([['stripe', 'captured']]);
    expect(Number(payments[0].captured_amount)).toBe(Number(order.total));
    expect(Number(order.total)).toBe(1700);

    // The hosted page is done with: going back to it says so instead of taking a second payment.
    const again = await page.context().newPage();
    await again.goto(hostedUrl);
    expect(await again.locator('h1').textContent()).toBe('This payment is complete');
    await again.close();

    // The link back leads to the storefront.
    await page.locator('p.back a').click();
    await page.waitForURL(`${store.publicUrl}/`);
    await page.locator('[data-padlock-root] [data-product-card]').first().waitFor();
    expectCleanTab(current);
  });

  it('Stripe: 4000 0000 0000 0002 is declined on the hosted page; 4242… on the same page then pays', async () => {
    const current = tab!;
    const { page } = current;
    const reached = await shopToPayStep(page, store, 'sticker-pack', 'grace@example.com');
    expect(reached.total).toBe('$11.00');
    const hostedUrl = await goToHostedPage(page, reached.total);

    await typeStripeCard(page, STRIPE_DECLINED);
    await typeStripeBilling(page);
    await Promise.all([
      page.waitForResponse((r) => r.url() === hostedUrl && r.request().method() === 'POST' && r.status() === 402),
      page.getByRole('button', { name: `Pay ${reached.total}` }).click(),
    ]);
    const error = page.locator('[data-error]');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe('Your card was declined.');
    // Still the same session's page; the card is never echoed back, the billing details are kept.
    expect(page.url()).toBe(hostedUrl);
    expect(await page.locator('#cardNumber').inputValue()).toBe('');
    expect(await page.locator('#cardCvc').inputValue()).toBe('');
    expect(await page.locator('#billingName').inputValue()).toBe('Ada Lovelace');
    expect(await page.locator('#billingCountry').inputValue()).toBe('GB');
    await screenshot(page, 'payment-2-stripe-hosted-page-declined');

    const [pending] = await store.dataSource.query('SELECT id, status FROM orders WHERE id = ?', [Number(reached.orderNumber.slice(3))]);
    expect(pending).toMatchObject({ status: 'pending_payment' });

    await typeStripeCard(page, STRIPE_OK);
    await typeStripeBilling(page);
    await page.getByRole('button', { name: `Pay ${reached.total}` }).click();

    const publicId = await expectPaidOrderPage(page, reached.orderNumber);
    await screenshot(page, 'payment-2-stripe-order-paid');
    const order = await orderRow(publicId);
    expect(order.status).toBe('paid');
    expect(order.id).toBe(Number(reached.orderNumber.slice(3)));
    const payments = await paymentsOf(order.id);
    expect(payments.map((p) => [p.gateway, p.status])).toEqual([['stripe', 'captured']]);
    expect(Number(payments[0].captured_amount)).toBe(1100);

    // The only console error is the browser's note about the decline page's 402, on the sandbox.
    expectCleanTab(current, [
      new RegExp(
        `^\\[console:error\\] Failed to load resource: the server responded with a status of 402 \\(Payment Required\\) \\(at ${escapeRegExp(hostedUrl)}\\)$`,
      ),
    ]);
  });

  /** The Braintree section of the pay step and the sandbox's fields frame inside it. */
  async function braintreeFields(page: Page, amount: string): Promise<FrameLocator> {
    const section = page.locator('[data-pay-method="braintree"]');
    expect(await section.locator('h3').textContent()).toBe('Card or PayPal (Braintree)');
    const iframe = section.locator('iframe[title="Card or PayPal (sandbox)"]');
    await iframe.waitFor();
    const src = new URL((await iframe.getAttribute('src'))!);
    expect(src.origin).toBe(sandboxes.braintree);
    expect(src.origin).not.toBe(store.publicUrl);
    expect(src.searchParams.get('origin')).toBe(store.publicUrl);
    const fields = section.frameLocator('iframe[title="Card or PayPal (sandbox)"]');
    await fields.locator('#card-number').waitFor();
    expect(((await fields.locator('[data-sandbox-banner]').textContent()) ?? '').trim()).toContain('Sandbox — no real payment');
    expect(((await fields.locator('h1').textContent()) ?? '').trim()).toBe(`Pay ${amount} USD`);
    return fields;
  }

  it('Braintree: pays with 4111 1111 1111 1111 in the sandbox fields on the pay step', async () => {
    const current = tab!;
    const { page } = current;
    const requests = storeRequests[storeRequests.length - 1];
    const reached = await shopToPayStep(page, store, 'brass-bookmark', 'alan@example.com');
    expect(reached.total).toBe('$14.00');
    const fields = await braintreeFields(page, '14.00');

    await fields.locator('#card-number').fill(groupedCardNumber(BRAINTREE_OK));
    await fields.locator('#card-expiry').fill(futureExpiry());
    await fields.locator('#card-cvv').fill('123');
    await fields.locator('#card-postal').fill('N1 9GU');
    await screenshot(page, 'payment-3-braintree-pay-step');
    const paid = requests.requests.length;
    await fields.getByRole('button', { name: 'Pay 14.00 USD by card' }).click();

    const publicId = await expectPaidOrderPage(page, reached.orderNumber);
    await screenshot(page, 'payment-3-braintree-order-paid');
    const order = await orderRow(publicId);
    expect(order.status).toBe('paid');
    const payments = await paymentsOf(order.id);
    expect(payments.map((p) => [p.gateway, p.status])).toEqual([['braintree', 'captured']]);
    expect(Number(payments[0].captured_amount)).toBe(1400);

    // What the store received from the pay step: the one-time nonce, nothing else.
    const posts = requests.requests.slice(paid).filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url)).toEqual([`${reached.checkoutUrl}/pay/braintree`]);
    const form = new URLSearchParams(posts[0].body);
    expect([...form.keys()]).toEqual(['nonce']);
    expect(form.get('nonce')).toMatch(/^tokencc_/);
    expectCleanTab(current);
  });

  it('Braintree: pays with the sandbox PayPal button in the fields frame', async () => {
    const current = tab!;
    const { page } = current;
    const reached = await shopToPayStep(page, store, 'enamel-mug', 'mary@example.com');
    expect(reached.total).toBe('$23.00');
    const fields = await braintreeFields(page, '23.00');
    await fields.getByRole('button', { name: 'Pay with PayPal (sandbox)' }).click();

    const publicId = await expectPaidOrderPage(page, reached.orderNumber);
    const order = await orderRow(publicId);
    expect(order.status).toBe('paid');
    expect((await paymentsOf(order.id)).map((p) => [p.gateway, p.status])).toEqual([['braintree', 'captured']]);
    expectCleanTab(current);
  });

  it('kept no typed card number anywhere at the store: not in any table, log line or request it received', async () => {
    // The journeys above ran: four paid orders, each paid once.
    const orders: { status: string }[] = await store.dataSource.query('SELECT status FROM orders ORDER BY id');
    expect(orders.map((o) => o.status)).toEqual(['paid', 'paid', 'paid', 'paid']);

    // Every order's gateway callback has arrived and been stored (Stripe's checkout.session.completed,
    // Braintree's transaction_settled), so the dump and the logs below include what they carried.
    await eventually(async () => {
      const events: { order_id: number | string }[] = await store.dataSource.query(
        'SELECT DISTINCT order_id FROM gateway_events ORDER BY order_id',
      );
      expect(events.map((e) => Number(e.order_id))).toEqual([1, 2, 3, 4]);
    }, 15_000);

    const dump = await dumpDatabase(store.dataSource);
    expect(Object.keys(dump)).toEqual(
      expect.arrayContaining(['orders', 'payments', 'gateway_events', 'order_events', 'addresses', 'checkouts']),
    );
    const database = JSON.stringify(dump);
    const logs = store.logLines.join('\n');
    // The sandboxes' logs are in there too.
    expect(logs).toContain('sandbox stripe checkout attempt');
    const requests = storeRequests.flatMap((log) => log.requests.map((r) => `${r.method} ${r.url}\n${r.body}`)).join('\n');
    expect(requests).toContain('/pay/braintree');

    for (const digits of TYPED_CARDS) {
      const pattern = cardNumberPattern(digits);
      // The pattern finds the number however it is written.
      expect(pattern.test(`x${groupedCardNumber(digits)}x`) && pattern.test(digits.replace(/(\d{4})(?=\d)/g, '$1-'))).toBe(true);
      expect({ card: digits, inDatabase: pattern.exec(database)?.[0] ?? null }).toEqual({ card: digits, inDatabase: null });
      expect({ card: digits, inLogs: pattern.exec(logs)?.[0] ?? null }).toEqual({ card: digits, inLogs: null });
      expect({ card: digits, inRequests: pattern.exec(requests)?.[0] ?? null }).toEqual({ card: digits, inRequests: null });
    }
  });
});
