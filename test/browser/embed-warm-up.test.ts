import http from 'node:http';
import type { Browser } from 'playwright-core';
import { eventually, launchBrowser, openTrackedPage, type TrackedPage } from '../support/browser';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { useTeardown } from '../support/teardown';

// The first currency formatter a page builds costs Chromium 40–95 ms (BENCHMARKS.md, embed). The
// widget builds one while its catalog request is in flight, not after the answer has arrived.

describe('the widget warms its money formatting up while the catalog loads', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let blogUrl: string;
  let browser: Browser;
  let tab: TrackedPage;

  beforeAll(async () => {
    store = await teardown.track(startRunningStore(), (s) => s.stop());
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title>
<script>
  // Counts the currency formatters the page builds, and when.
  window.formattersBuilt = [];
  const Original = Intl.NumberFormat;
  Intl.NumberFormat = function (...args) {
    if (args[1] && args[1].style === 'currency') window.formattersBuilt.push(performance.now());
    return new Original(...args);
  };
</script></head>
<body><div data-padlock-store></div><script src="${store.publicUrl}/embed.js" async></script></body></html>`;
    const blog = http.createServer((req, res) => {
      if (req.url === '/post') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      else res.writeHead(204).end();
    });
    await teardown.track(listenOnLoopback(blog), closeServer);
    blogUrl = `http://127.0.0.1:${portOf(blog)}/post`;
    browser = await teardown.track(launchBrowser(), (b) => b.close());
    tab = await teardown.track(openTrackedPage(browser), (t) => t.close());
  });

  it('builds a formatter before the catalog answer is released, then shows the prices', async () => {
    const { page } = tab;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/products?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(blogUrl);
    await eventually(async () => expect(await page.evaluate('window.formattersBuilt.length')).toBeGreaterThan(0));
    expect(await page.locator('[data-padlock-store] [data-product-card]').count()).toBe(0);

    release();
    const cards = page.locator('[data-padlock-store] [data-product-card]');
    await eventually(async () => expect(await cards.count()).toBe(8));
    expect(await cards.first().locator('.price').textContent()).toMatch(/^\$\d+\.\d{2}$/);
    expect(tab.problems()).toEqual([]);
  });
});
