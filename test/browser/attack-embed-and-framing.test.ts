import http from 'node:http';
import type { Browser, Frame, Response } from 'playwright-core';
import { eventually, launchBrowser, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { useTeardown } from '../support/teardown';

// The attack suite in a real browser (issue 11 part 7): the storefront widget loads from a blog
// origin in EMBED_ORIGINS and is refused (CORS) from any other; the checkout page cannot be
// framed by another site.

const widgetPage = (storeUrl: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A blog</title></head>
<body><h1>Shop</h1><div data-padlock-store></div><script src="${storeUrl}/embed.js" async></script></body></html>`;

const framingPage = (checkoutUrl: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Win a prize</title></head>
<body><h1>Click the button to claim your prize</h1>
<iframe id="victim" src="${checkoutUrl}" width="800" height="600" style="opacity:0.01"></iframe></body></html>`;

/** A plain-HTTP site on a loopback port the system picks, serving one page at `/page`. */
async function startSite(teardown: ReturnType<typeof useTeardown>, html: () => string): Promise<string> {
  const server = http.createServer((req, res) => {
    if (req.url === '/page') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html());
    else res.writeHead(204).end();
  });
  await teardown.track(listenOnLoopback(server), closeServer);
  return `http://127.0.0.1:${portOf(server)}`;
}

describe('attack suite in Chromium: embedding origins and framing', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let blog: string;
  let attacker: string;
  let browser: Browser;
  let tab: TrackedPage;

  beforeAll(async () => {
    let page = '';
    blog = await startSite(teardown, () => widgetPage(store.publicUrl));
    attacker = await startSite(teardown, () => page);
    // Only the blog may embed the store; the attacker's site differs by its port alone.
    store = await teardown.track(startRunningStore({ EMBED_ORIGINS: blog }), (s) => s.stop());
    // Every site here is on loopback; Chromium's Local Network Access checks would block the
    // frame before its own headers could, and those headers are what this suite tests.
    browser = await teardown.track(launchBrowser(['--disable-features=LocalNetworkAccessChecks']), (b) => b.close());
    tab = await teardown.track(openTrackedPage(browser), (t) => t.close());
    page = widgetPage(store.publicUrl);
  });

  /** The one widget's product cards and error text, as the shadow root shows them. */
  const widget = () => tab.page.locator('[data-padlock-store]');

  it('loads the products on a page of an origin in EMBED_ORIGINS', async () => {
    await tab.page.goto(`${blog}/page`);
    await eventually(async () => expect(await widget().locator('[data-product-card]').count()).toBe(8));
    expect(((await widget().locator('[data-error]').textContent()) ?? '').trim()).toBe('');
    await screenshot(tab.page, 'attack-embed-allowed');
  });

  it('is refused on a page of any other origin: the widget shows its error, no product', async () => {
    const answers: Response[] = [];
    tab.page.on('response', (r) => {
      if (r.url().startsWith(`${store.publicUrl}/api/`)) answers.push(r);
    });
    await tab.page.goto(`${attacker}/page`);
    await eventually(async () => expect(((await widget().locator('[data-error]').textContent()) ?? '').trim()).not.toBe(''));
    expect(await widget().locator('[data-product-card]').count()).toBe(0);
    // The browser was the one to refuse: the store sent no CORS permission to this origin.
    const corsRefusals = tab.problems().filter((p) => p.includes(attacker) && /CORS|Access-Control-Allow-Origin|net::ERR_FAILED/i.test(p));
    expect(corsRefusals.length).toBeGreaterThan(0);
    for (const answer of answers) expect(await answer.headerValue('access-control-allow-origin')).toBeNull();
    await screenshot(tab.page, 'attack-embed-refused');
  });

  it('the checkout page cannot be framed by another site', async () => {
    const api = tab.context.request;
    const cart = (await (await api.post(`${store.publicUrl}/api/carts`, { data: {} })).json()) as { id: string };
    const mug = (await (await api.get(`${store.publicUrl}/api/products/enamel-mug`)).json()) as { id: number };
    await api.post(`${store.publicUrl}/api/carts/${cart.id}/items`, { data: { productId: mug.id, quantity: 1 } });
    const started = await api.post(`${store.publicUrl}/api/carts/${cart.id}/checkout`, { data: { returnUrl: `${blog}/page` } });
    expect(started.status()).toBe(201);
    const { checkoutUrl } = (await started.json()) as { checkoutUrl: string };
    // The checkout page itself works when it is the top-level page.
    const direct = await tab.page.goto(checkoutUrl);
    expect(direct?.status()).toBe(200);
    expect(await tab.page.locator('form input[name="email"]').count()).toBe(1);

    const html = framingPage(checkoutUrl);
    await tab.page.route(`${attacker}/framing`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    await tab.page.goto(`${attacker}/framing`);
    const frame: Frame = await eventually(() => {
      const found = tab.page.frames().find((f) => f !== tab.page.mainFrame());
      if (!found) throw new Error('no frame yet');
      return found;
    });
    // The browser fetched the checkout, saw it must not be framed, and showed nothing of it.
    await eventually(() =>
      expect(tab.problems().filter((p) => p.includes(checkoutUrl) && /ERR_BLOCKED_BY_RESPONSE/.test(p))).toHaveLength(1),
    );
    expect(tab.problems().some((p) => /frame-ancestors 'none'|X-Frame-Options/.test(p))).toBe(true);
    expect(frame.url()).not.toBe(checkoutUrl);
    const inFrame = await frame
      .evaluate('document.querySelectorAll("input[name=email], form").length + ":" + (document.body ? document.body.innerText : "")')
      .catch(() => '0:');
    expect(String(inFrame)).toMatch(/^0:/);
    expect(String(inFrame)).not.toContain('Checkout');
    await screenshot(tab.page, 'attack-checkout-framed');
    // What forbids framing, as the browser received it: both headers agree.
    const headers = await direct!.allHeaders();
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['x-frame-options']).toBe('DENY');
  });
});
