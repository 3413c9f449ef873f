import type { Page, Request } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { eventually, fillCheckoutAddress, type TrackedPage } from './browser';
import type { RunningStoreHandle } from './running-store';
import { futureExpiry } from './stripe-checkout-browser';

/** The origins of the local sandboxes' browser pages, read from the store's startup log line. */
export interface SandboxPageOrigins {
  readonly stripe: string;
  readonly braintree: string;
}

/**
 * Reads where the store's sandboxes serve their pages from the warning the store logs when it
 * starts them ("payment gateways run against the local sandbox"), so a test can tell the store's
 * origin from the gateway's.
 */
export function sandboxPageOrigins(logLines: readonly string[]): SandboxPageOrigins {
  for (const line of logLines) {
    let entry: { msg?: unknown; sandboxes?: Record<string, unknown> };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    const { sandboxes } = entry;
    if (
      typeof entry.msg === 'string' &&
      /local sandbox/.test(entry.msg) &&
      sandboxes &&
      typeof sandboxes.stripe === 'string' &&
      typeof sandboxes.braintree === 'string'
    ) {
      return { stripe: sandboxes.stripe, braintree: sandboxes.braintree };
    }
  }
  throw new Error('the store did not log the origins of its stripe and braintree sandboxes');
}

/** What one shopper sent to the store: every request to the store's origin, with its body. */
export interface StoreRequestLog {
  readonly requests: { readonly method: string; readonly url: string; readonly body: string }[];
}

/** Records every request the tab sends to `storeOrigin` (including navigations and form posts). */
export function recordStoreRequests(tab: TrackedPage, storeOrigin: string): StoreRequestLog {
  const log: StoreRequestLog = { requests: [] };
  tab.context.on('request', (request: Request) => {
    let origin: string;
    try {
      origin = new URL(request.url()).origin;
    } catch {
      return;
    }
    if (origin === storeOrigin) log.requests.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' });
  });
  return log;
}

/** The checkout a shopper reached, at its pay step. */
export interface PayStepReached {
  readonly checkoutUrl: string;
  readonly token: string;
  readonly orderNumber: string;
  /** The order's total as the pay step shows it, e.g. `$21.00`. */
  readonly total: string;
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').trim();

/**
 * The storefront part of every payment journey, as a shopper does it in the tab: opens the
 * standalone storefront, adds one `slug` from its catalog card, opens the cart, checks out, fills
 * the checkout form (as the shopper journey does, with a valid email) and waits for the pay step.
 */
export async function shopToPayStep(page: Page, store: RunningStoreHandle, slug: string, email: string): Promise<PayStepReached> {
  const response = await page.goto(`${store.publicUrl}/`);
  if (response?.status() !== 200) throw new Error(`storefront answered ${response?.status()}`);
  await page.locator('[data-padlock-root]').waitFor();
  const card = page.locator(`[data-product-card="${slug}"]`);
  await card.waitFor();
  await card.locator('[data-action="add-to-cart"]').click();
  await eventually(async () => expect(await text(page, '[data-cart-count]')).toBe('1'));

  await page.locator('[data-action="open-cart"]').click();
  await page.locator(`[data-view="cart"] [data-cart-line="${slug}"]`).waitFor();
  await page.locator('[data-action="checkout"]').click();
  await page.waitForURL(/\/checkout\/[A-Za-z0-9_-]{43}$/);
  const checkoutUrl = page.url();
  const token = checkoutUrl.split('/').pop()!;
  expect(checkoutUrl).toBe(`${store.publicUrl}/checkout/${token}`);

  await page.locator('#email').fill(email);
  await fillCheckoutAddress(page, 'standard');
  await Promise.all([
    page.waitForResponse((r) => r.url() === checkoutUrl && r.request().method() === 'POST' && r.status() === 303),
    page.locator('form.checkout-form button[type="submit"]').click(),
  ]);
  await page.locator('[data-pay-step]').waitFor({ state: 'visible' });
  await braintreeFieldsLoaded(page);
  expect(page.url()).toBe(checkoutUrl);
  expect(await text(page, '[data-order-status]')).toBe('Awaiting payment');
  return { checkoutUrl, token, orderNumber: await text(page, '[data-order-number]'), total: await text(page, '[data-total]') };
}

/**
 * Waits for the Braintree fields frame, when the pay step offers Braintree, to have loaded its card
 * field: a shopper who picks the other method before that leaves the page while the frame's
 * requests are in flight, and Chromium reports them as aborted.
 */
async function braintreeFieldsLoaded(page: Page): Promise<void> {
  const section = page.locator('[data-pay-method="braintree"]');
  if ((await section.count()) === 0) return;
  await section.frameLocator('iframe').locator('#card-number').waitFor();
}

/**
 * Waits until the tab shows the order page with the status "Paid". A page that says "Payment is
 * being confirmed" reloads itself every few seconds until the callback has landed, so this reads
 * the status again (navigations in between are retried) until it is final.
 */
export async function waitForPaidOrderPage(page: Page, store: RunningStoreHandle, timeoutMs = 20_000): Promise<string> {
  await page.waitForURL(new RegExp(`^${escapeRegExp(store.publicUrl)}/orders/[A-Za-z0-9_-]+$`));
  const publicId = new URL(page.url()).pathname.split('/').pop()!;
  await eventually(
    async () => {
      expect(page.url()).toBe(`${store.publicUrl}/orders/${publicId}`);
      expect(await page.locator('[data-order-status]').textContent({ timeout: 2_000 })).toBe('Paid');
    },
    timeoutMs,
    250,
  );
  return publicId;
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern that finds a card number in plain digits or grouped with spaces or dashes. */
export function cardNumberPattern(digits: string): RegExp {
  return new RegExp(digits.split('').join('[\\s-]*'));
}

/** Every row of every table of the store's database, as `{ table: rows }` (SQLite or MariaDB). */
export async function dumpDatabase(dataSource: DataSource): Promise<Record<string, unknown[]>> {
  const sqlite = dataSource.options.type === 'better-sqlite3';
  const tables: string[] = sqlite
    ? (await dataSource.query<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type='table'")).map((r) => r.name)
    : (await dataSource.query<Record<string, string>[]>('SHOW TABLES')).map((r) => Object.values(r)[0]);
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const quoted = sqlite ? `"${table.replace(/"/g, '""')}"` : `\`${table.replace(/`/g, '``')}\``;
    dump[table] = await dataSource.query<unknown[]>(`SELECT * FROM ${quoted}`);
  }
  return dump;
}

/** A card number grouped by four, as a shopper types it. */
export const groupedCardNumber = (digits: string): string => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

/** Types a card (future expiry, CVC 123) on the Stripe sandbox's hosted page. */
export async function typeStripeCard(page: Page, cardNumber: string): Promise<void> {
  await page.locator('#cardNumber').fill(groupedCardNumber(cardNumber));
  await page.locator('#cardExpiry').fill(futureExpiry());
  await page.locator('#cardCvc').fill('123');
}

/** Types the billing name and address on the Stripe sandbox's hosted page. */
export async function typeStripeBilling(page: Page): Promise<void> {
  await page.locator('#billingName').fill('Ada Lovelace');
  await page.locator('#billingAddressLine1').fill('12 Analytical Row');
  await page.locator('#billingLocality').fill('London');
  await page.locator('#billingPostalCode').fill('N1 9GU');
  await page.locator('#billingCountry').selectOption('GB');
}
