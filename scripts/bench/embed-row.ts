import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PerformanceResourceTiming } from 'node:perf_hooks';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../test/support/browser';
import { median } from './bench-stats';
import { formatKilobytes, formatMs, type BenchRow } from './bench-table';

/** How the embed row runs. */
export interface EmbedSettings {
  readonly embedFile: string;
  /** Page loads, each in a fresh browser context (no cache, new connections); the median counts. */
  readonly loads: number;
  readonly maxGzipBytes: number;
  readonly maxPaintMs: number;
}

/**
 * A blog page with `body`: the widget embedded as the README says (a `data-padlock-store`
 * container and the store's embed.js), or the reference below. Before any script runs, the page watches every shadow root the widget
 * attaches; when a product card (`[data-product-card]`) appears it marks the time, and marks
 * "painted" in the task after the next animation frame, i.e. once that frame has been drawn.
 */
function blogPage(body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A blog post</title>
<script>
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    if (!performance.getEntriesByName('padlock-mounted').length) performance.mark('padlock-mounted');
    new MutationObserver((_records, observer) => {
      if (!root.querySelector('[data-product-card]')) return;
      observer.disconnect();
      performance.mark('padlock-product-in-dom');
      requestAnimationFrame(() => setTimeout(() => performance.mark('padlock-product-painted')));
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
})();
</script></head>
<body><h1>Notes from the workshop</h1><p>Things I use every day:</p>
${body}
</body></html>`;
}

const widgetBody = (storeOrigin: string): string => `<div data-padlock-store></div>
<script src="${storeOrigin}/embed.js" async></script>`;

/**
 * The reference: no widget, an inline script that makes the widget's catalog request (same URL,
 * CORS mode, no credentials) and puts one bare list item per product into a shadow root. Its
 * time from that request to the first item painted is the floor for the widget's same span on
 * this machine at this moment: a new TLS connection, the store's answer, one render and a frame.
 */
const floorBody = (storeOrigin: string): string => `<div id="floor"></div>
<script>
fetch(${JSON.stringify(`${storeOrigin}/api/products?limit=24&offset=0`)}, { mode: 'cors', credentials: 'omit', headers: { Accept: 'application/json' } })
  .then((response) => response.json())
  .then((page) => {
    const list = document.createElement('ul');
    for (const product of page.items) {
      const item = document.createElement('li');
      item.setAttribute('data-product-card', product.slug);
      item.textContent = product.name;
      list.append(item);
    }
    document.getElementById('floor').attachShadow({ mode: 'open' }).append(list);
  });
</script>`;

/** Serves the blog page over plain HTTP on loopback (a blog without a certificate). */
async function startBlog(storeOrigin: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const page = blogPage(widgetBody(storeOrigin));
  const floor = blogPage(floorBody(storeOrigin));
  const server = http.createServer((req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(req.url === '/floor' ? floor : page),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/post`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One cold load of the reference page: its catalog request to the first item painted. */
async function measureFloor(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('padlock-product-painted').length > 0, undefined, { timeout: 15_000 });
    return await page.evaluate(() => {
      const products = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/api/products'));
      return performance.getEntriesByName('padlock-product-painted')[0].startTime - (products?.startTime ?? Number.NaN);
    });
  } finally {
    await context.close();
  }
}

/**
 * The embed script's gzipped size (public/build/embed.js at gzip -9) and, in headless Chromium,
 * the time from the moment the page requests embed.js to the first product card painted
 * (download, parse, the catalog API call and rendering), median of `loads` cold loads.
 */
export async function measureEmbed(storeOrigin: string, settings: EmbedSettings): Promise<BenchRow> {
  const gzipBytes = zlib.gzipSync(fs.readFileSync(settings.embedFile), { level: 9 }).length;
  const blog = await startBlog(storeOrigin);
  const browser = await launchBrowser();
  /** Per load, from the page's request for embed.js: script received, first product card in the DOM, painted. */
  const loads: {
    scriptMs: number;
    mountedMs: number;
    productsStartMs: number;
    productsEndMs: number;
    inDomMs: number;
    paintedMs: number;
  }[] = [];
  /** Per reference load: from its catalog request to its first item painted. */
  const floorLoads: number[] = [];
  try {
    for (let i = 0; i < settings.loads; i++) {
      floorLoads.push(await measureFloor(browser, blog.url.replace(/\/post$/, '/floor')));
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await context.newPage();
        await page.goto(blog.url);
        await page.waitForFunction(() => performance.getEntriesByName('padlock-product-painted').length > 0, undefined, {
          timeout: 15_000,
        });
        loads.push(
          await page.evaluate(() => {
            const script = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/embed.js')) as
              PerformanceResourceTiming | undefined;
            const from = script?.startTime ?? Number.NaN;
            const at = (mark: string) => performance.getEntriesByName(mark)[0].startTime - from;
            const products = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/api/products')) as
              PerformanceResourceTiming | undefined;
            return {
              scriptMs: script ? script.responseEnd - from : Number.NaN,
              mountedMs: at('padlock-mounted'),
              productsStartMs: products ? products.startTime - from : Number.NaN,
              productsEndMs: products ? products.responseEnd - from : Number.NaN,
              inDomMs: at('padlock-product-in-dom'),
              paintedMs: at('padlock-product-painted'),
            };
          }),
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await blog.stop();
  }
  const paintMs = median(loads.map((l) => l.paintedMs));
  const requestToPaint = median(loads.map((l) => l.paintedMs - l.productsStartMs));
  const floorMs = median(floorLoads);
  const times = loads.map((l) => l.paintedMs);
  return {
    id: 'embed',
    name: 'embed: embed.js gzipped; Chromium, script start to first product painted',
    measured:
      `${formatKilobytes(gzipBytes)} (${gzipBytes} bytes); ${formatMs(paintMs)} (median of ${times.length} cold loads: ` +
      `${times.map((t) => t.toFixed(0)).join(', ')} ms; medians from the script request: script received ` +
      `${formatMs(median(loads.map((l) => l.scriptMs)))}, widget mounted ${formatMs(median(loads.map((l) => l.mountedMs)))}, ` +
      `catalog request sent ${formatMs(median(loads.map((l) => l.productsStartMs)))} and answered ` +
      `${formatMs(median(loads.map((l) => l.productsEndMs)))}, first product in the DOM ${formatMs(median(loads.map((l) => l.inDomMs)))})`,
    reference:
      `catalog request to first product painted: widget ${formatMs(requestToPaint)}, bare inline fetch and list ` +
      `${formatMs(floorMs)} (median of ${floorLoads.length} cold loads alternating with the widget's)`,
    budget: `≤ ${settings.maxGzipBytes / 1024} KB; ≤ ${settings.maxPaintMs} ms`,
    checks: [
      { label: formatKilobytes(gzipBytes), actual: gzipBytes, limit: settings.maxGzipBytes, direction: 'max' },
      { label: formatMs(paintMs), actual: paintMs, limit: settings.maxPaintMs, direction: 'max' },
    ],
  };
}
