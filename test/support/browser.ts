import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Request } from 'playwright-core';

/** The system Chromium; browsers are never downloaded for these tests. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots of key steps go (gitignored). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts headless Chromium with a fresh profile (plain `launch` always uses a new temporary one). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...BASE_ARGS, ...extraArgs],
    timeout: 30_000,
  });
}

/** One thing the page reported: a console message, an uncaught error or a failed request. */
export interface PageEvent {
  readonly kind: 'console' | 'pageerror' | 'requestfailed';
  /** The console level; for a failed request 'error', or 'cancelled' when leaving the page cut it short. */
  readonly type: string;
  readonly text: string;
  readonly url: string;
}

/** A page in its own browser context, with everything it logged. */
export interface TrackedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly events: PageEvent[];
  /** Console errors and warnings, uncaught exceptions and failed requests, as readable lines. */
  problems(): string[];
  /** Content-Security-Policy violations reported so far. */
  cspViolations(): string[];
  close(): Promise<void>;
}

// Chromium prints every CSP violation as a console error ("Refused to load/apply/execute ...");
// this init script also reports each `securitypolicyviolation` event, so none can go unnoticed.
const REPORT_CSP_VIOLATIONS = `
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' on ' + e.documentURI);
}, true);
`;

/**
 * Opens a page in a new context that accepts the store's self-signed certificate and records
 * console messages, page errors and failed requests.
 */
export async function openTrackedPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TrackedPage> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  const page = await context.newPage();
  const events: PageEvent[] = [];
  page.on('console', (msg) => {
    events.push({ kind: 'console', type: msg.type(), text: msg.text(), url: msg.location().url || page.url() });
  });
  page.on('pageerror', (error) => {
    events.push({ kind: 'pageerror', type: 'error', text: `${error.name}: ${error.message}`, url: page.url() });
  });
  // Leaving a page cancels what it was still loading (net::ERR_ABORTED): a shopper who clicks
  // "Pay" before the other gateway's fields have loaded. That is the browser moving on, not a
  // failure, so a request begun before a later top-level navigation and aborted is 'cancelled'.
  const begunAt = new WeakMap<Request, number>();
  let requestsSeen = 0;
  let lastTopNavigation = -1;
  page.on('request', (request) => {
    requestsSeen += 1;
    begunAt.set(request, requestsSeen);
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) lastTopNavigation = requestsSeen;
  });
  page.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText ?? 'unknown';
    const leftBehind = errorText === 'net::ERR_ABORTED' && (begunAt.get(request) ?? Infinity) < lastTopNavigation;
    events.push({
      kind: 'requestfailed',
      type: leftBehind ? 'cancelled' : 'error',
      text: `${request.method()} ${request.url()} failed: ${errorText}`,
      url: page.url(),
    });
  });
  return {
    context,
    page,
    events,
    problems: () =>
      events
        .filter((e) => (e.kind === 'console' ? ['error', 'warning', 'assert'].includes(e.type) : e.type !== 'cancelled'))
        .map((e) => `[${e.kind}:${e.type}] ${e.text} (at ${e.url})`),
    cspViolations: () =>
      events.filter((e) => e.kind === 'console' && /Refused to|Content Security Policy|CSP violation/i.test(e.text)).map((e) => e.text),
    close: () => context.close(),
  };
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Retries `assertion` until it stops throwing or `timeoutMs` runs out, then throws its last
 * error (so a failure shows the real expectation, not "timed out").
 */
export async function eventually<T>(assertion: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Fills the checkout page's shipping address (billing same as shipping) and picks a shipping method. */
export async function fillCheckoutAddress(page: Page, shippingMethod: 'standard' | 'express'): Promise<void> {
  await page.locator('#shippingName').fill('Ada Lovelace');
  await page.locator('#shippingLine1').fill('12 Analytical Row');
  await page.locator('#shippingCity').fill('London');
  await page.locator('#shippingPostalCode').fill('N1 9GU');
  await page.locator('#shippingCountry').selectOption('GB');
  await page.locator('#billingSameAsShipping').check();
  await page.locator(`#shippingMethod-${shippingMethod}`).check();
}
