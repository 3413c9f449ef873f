import http from 'node:http';
import type { Browser } from 'playwright-core';
import { eventually, launchBrowser, openTrackedPage } from '../support/browser';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { useTeardown } from '../support/teardown';

// The tracker every browser test reads its "no problem logged" checks from. A load cut short
// because the shopper left the page is not a problem; one cancelled while the page stays is.

describe('the tracked page', () => {
  const teardown = useTeardown();
  let browser: Browser;
  let origin: string;
  const hanging = new Set<http.ServerResponse>();

  beforeAll(async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/never') {
        hanging.add(res); // answered only when the test ends: the browser has to give up on it
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      if (req.url === '/leave') res.end('<!doctype html><title>a</title><img src="/never" alt=""><a id="go" href="/next">next</a>');
      else if (req.url === '/stay')
        res.end(
          '<!doctype html><title>b</title><script>const c = new AbortController(); fetch("/never", { signal: c.signal }).catch(() => {}); setTimeout(() => c.abort(), 300);</script>',
        );
      else res.end('<!doctype html><title>next</title><p>here</p>');
    });
    await teardown.track(listenOnLoopback(server), (s) => {
      for (const res of hanging) res.destroy();
      return closeServer(s);
    });
    origin = `http://127.0.0.1:${portOf(server)}`;
    browser = await teardown.track(launchBrowser(), (b) => b.close());
  });

  it('does not count what leaving the page cancelled', async () => {
    const tab = await teardown.track(openTrackedPage(browser), (t) => t.close());
    await tab.page.goto(`${origin}/leave`, { waitUntil: 'domcontentloaded' });
    await eventually(() => expect(hanging.size).toBeGreaterThan(0));
    await tab.page.click('#go');
    await tab.page.waitForURL(`${origin}/next`);
    await eventually(() => expect(tab.events.filter((e) => e.kind === 'requestfailed')).toHaveLength(1));
    expect(tab.events.find((e) => e.kind === 'requestfailed')).toMatchObject({
      type: 'cancelled',
      text: `GET ${origin}/never failed: net::ERR_ABORTED`,
    });
    expect(tab.problems()).toEqual([]);
  });

  it('counts a load the page itself cancelled while it stayed', async () => {
    const tab = await teardown.track(openTrackedPage(browser), (t) => t.close());
    await tab.page.goto(`${origin}/stay`);
    await eventually(() =>
      expect(tab.problems()).toEqual([`[requestfailed:error] GET ${origin}/never failed: net::ERR_ABORTED (at ${origin}/stay)`]),
    );
  });
});
