import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { eventually, openTrackedPage } from '../support/browser';
import { escapeRegExp } from '../support/payment-journey';
import { startForeignHttps, startPlainHttpOn, startRedirectingHttps, type HttpsEndpoint } from '../support/https-endpoints';
import { holdRefusingPort } from '../support/loopback';
import { useTeardown } from '../support/teardown';
import { createTestCa, selfSignedCertificate, type TestCa } from '../support/test-ca';
import { saveStoreSettings, settingsUrl } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, type BlogWithStore } from '../support/wp-fixture';
import { fetchFollowing, fetchOnce } from '../support/wp-http';
import { startTlsProxy, type TlsProxy } from '../support/wp-tls-proxy';
import type { CreatedPost } from '../support/wordpress';

// Switching Force HTTPS on checks the blog's https address first, as a visitor's browser would
// reach it: a test CA that the system (and so WordPress) trusts issues the certificates, and a
// test mu-plugin points the plugin's https origin (`padlock_store_https_origin`) at whichever
// endpoint stands in for the blog's HTTPS in each case: nothing at all, plain HTTP, an expired
// certificate, a certificate for another host, a self-signed one, another site, a redirect back
// to http, a loop, and finally a real TLS proxy in front of the blog (from 127.0.0.2), first
// untrusted, then trusted in one click.

const PROXY_ADDRESS = '127.0.0.2';
const DAY = 24 * 60 * 60 * 1000;

const ORIGIN_FILTER = `<?php
// Test only: the https origin the Padlock Store plugin checks and redirects to.
add_filter('padlock_store_https_origin', static function ($origin) {
	$test = get_option('padlock_test_https_origin');
	return is_string($test) && $test !== '' ? $test : $origin;
});
`;

describe('Force HTTPS is switched on only when the blog works over HTTPS', () => {
  const teardown = useTeardown();
  let ca: TestCa;
  let env: BlogWithStore;
  let proxy: TlsProxy;
  let page: Page;
  let shop: CreatedPost;

  beforeAll(async () => {
    ca = await createTestCa();
    teardown.defer(await ca.trustSystemWide());
    env = await teardown.track(
      startBlogWithStore({
        mainProxy: async (host) => ({
          cert: await ca.issue(host, { notAfter: new Date(Date.now() + 90 * DAY) }),
          caPem: ca.certPem,
          upstreamAddress: PROXY_ADDRESS,
        }),
      }),
      (e) => e.stop(),
    );
    proxy = env.mainProxy!;
    page = env.admin.page;
    const muPlugins = path.join(env.site.contentDir, 'mu-plugins');
    fs.mkdirSync(muPlugins, { recursive: true });
    fs.writeFileSync(path.join(muPlugins, 'padlock-test-https-origin.php'), ORIGIN_FILTER);
    shop = await env.site.createPost('The shop', '<p>Our shop:</p>\n\n[padlock_store]');
  });

  afterAll(() => {
    if (env) expect(pluginPhpProblems(env.site)).toEqual([]);
  });

  /** Points the plugin's https origin at `origin` (null: the plugin's own, https://<host>). */
  async function httpsOriginIs(origin: string | null): Promise<void> {
    await env.site.php("update_option('padlock_test_https_origin', (string) $input); echo 'ok';", origin ?? '');
  }

  /** An endpoint stopped at the end of the suite. */
  async function endpoint(started: Promise<HttpsEndpoint>): Promise<HttpsEndpoint> {
    return teardown.track(started, (e) => e.stop());
  }

  /**
   * Ticks Force HTTPS and saves; returns the check's refusals ([code, text]) and whether it stayed
   * on. The check reports every problem at once: the stand-in https origins below are not in the
   * store's EMBED_ORIGINS, so each of those cases also ends with `embed_refused`, which this drops
   * (its own case is further down).
   */
  async function trySwitchingOn(): Promise<{ refusals: [string, string][]; on: boolean }> {
    await saveStoreSettings(page, env.site, { storeUrl: env.store.publicUrl, forceHttps: true });
    const refusals: [string, string][] = [];
    for (const notice of await page.locator('[id^="setting-error-padlock_store_https_"]').all()) {
      const id = (await notice.getAttribute('id'))!;
      const code = id.replace('setting-error-padlock_store_https_', '');
      if (code !== 'embed_refused') refusals.push([code, ((await notice.locator('p').first().textContent()) ?? '').trim()]);
    }
    await page.goto(settingsUrl(env.site));
    return { refusals, on: await page.locator('#padlock_force_https').isChecked() };
  }

  async function switchOff(): Promise<void> {
    await saveStoreSettings(page, env.site, { storeUrl: env.store.publicUrl, forceHttps: false });
  }

  it('an HTTP-only blog: ticking Force HTTPS is refused with the reason, and the store page is not redirected', async () => {
    const { refusals, on } = await trySwitchingOn();
    expect(on).toBe(false);
    expect(refusals).toHaveLength(1);
    expect(refusals[0][0]).toBe('no_https');
    expect(refusals[0][1]).toContain(`This site does not answer over HTTPS at https://${env.site.host}`);
    expect(refusals[0][1]).toContain('Ask your host to set up HTTPS');
    const response = await fetchOnce(shop.url);
    expect(response.status).toBe(200);
    expect(response.headers.location).toBeUndefined();
  });

  it('a port that speaks plain HTTP where HTTPS should be is refused as "no HTTPS"', async () => {
    const plain = await endpoint(startPlainHttpOn());
    await httpsOriginIs(plain.origin(env.site.host));
    const { refusals, on } = await trySwitchingOn();
    expect(on).toBe(false);
    expect(refusals.map(([code]) => code)).toEqual(['no_https']);
    expect(refusals[0][1]).toContain('but not over HTTPS');
  });

  it('nothing listening at the https address is refused as "no HTTPS"', async () => {
    const refusing = await teardown.track(holdRefusingPort(), (r) => r.release());
    await httpsOriginIs(`https://${env.site.host}:${refusing.port}`);
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['no_https']);
  });

  it('an expired certificate is refused, with the date it expired', async () => {
    const expired = await ca.issue(env.site.host, {
      notBefore: new Date(Date.now() - 40 * DAY),
      notAfter: new Date(Date.now() - 10 * DAY),
    });
    const server = await endpoint(startForeignHttps(expired));
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals, on } = await trySwitchingOn();
    expect(on).toBe(false);
    expect(refusals.map(([code]) => code)).toEqual(['certificate_expired']);
    expect(refusals[0][1]).toMatch(/The HTTPS certificate of https:\/\/\S+ expired on .+\d{4}.+ Renew the certificate/);
  });

  it('a certificate for another host is refused, naming both hosts', async () => {
    const other = await ca.issue('shop.other-site.test');
    const server = await endpoint(startForeignHttps(other));
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['certificate_wrong_host']);
    expect(refusals[0][1]).toContain(`is made for shop.other-site.test, not for ${env.site.host}`);
  });

  it('a self-signed certificate is refused as not trusted', async () => {
    const server = await endpoint(startForeignHttps(await selfSignedCertificate(env.site.host)));
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['certificate_untrusted']);
    expect(refusals[0][1]).toContain('is not trusted');
  });

  it('an https answer that is not this site is refused', async () => {
    const server = await endpoint(startForeignHttps(await ca.issue(env.site.host)));
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['not_this_site']);
    expect(refusals[0][1]).toContain('answers over HTTPS, but not with this WordPress site');
  });

  it('https redirecting back to http is refused', async () => {
    const server = await endpoint(
      startRedirectingHttps(await ca.issue(env.site.host), (url) => `http://${env.site.host}:${env.site.port}${url}`),
    );
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['redirects_to_http']);
    expect(refusals[0][1]).toContain(`redirects back to plain HTTP (http://${env.site.host}:${env.site.port}/`);
  });

  it('https redirecting to itself (a loop) is refused', async () => {
    const server = await endpoint(startRedirectingHttps(await ca.issue(env.site.host), (url, host) => `https://${host}${url}`));
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['redirect_loop']);
    expect(refusals[0][1]).toContain('redirects in a loop');
  });

  it('a certificate that is not valid yet is refused, with the date it starts', async () => {
    const early = await ca.issue(env.site.host, { notBefore: new Date(Date.now() + 2 * DAY), notAfter: new Date(Date.now() + 30 * DAY) });
    const server = await endpoint(startForeignHttps(early));
    await httpsOriginIs(server.origin(env.site.host));
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['certificate_not_yet_valid']);
    expect(refusals[0][1]).toMatch(/The HTTPS certificate of https:\/\/\S+ is only valid from .+\d{4}/);
  });

  it('a TLS proxy that tells WordPress nothing about the scheme is refused: Force HTTPS would loop', async () => {
    const silent = await teardown.track(
      startTlsProxy(env.site.host, env.site.port, {
        cert: await ca.issue(env.site.host),
        caPem: ca.certPem,
        upstreamAddress: PROXY_ADDRESS,
        headers: {},
      }),
      (p) => p.stop(),
    );
    await httpsOriginIs(silent.origin);
    const { refusals } = await trySwitchingOn();
    expect(refusals.map(([code]) => code)).toEqual(['https_not_seen']);
    expect(refusals[0][1]).toContain('arrive at WordPress as plain HTTP, and nothing says the visitor used HTTPS');
  });

  it('trusted proxy entries that are not addresses or ranges are refused by name; the valid ones are kept', async () => {
    await page.goto(settingsUrl(env.site));
    await page.locator('#padlock_trusted_proxies').fill('not-an-ip\n10.0.0.0/8\n300.1.1.1\n2001:db8::/129');
    await Promise.all([page.waitForURL(/options-general\.php\?page=padlock-store/), page.locator('#submit').click()]);
    expect(await page.locator('#setting-error-padlock_store_proxy_invalid').textContent()).toContain(
      'These trusted proxy entries are not IP addresses or ranges and were not saved: not-an-ip, 300.1.1.1, 2001:db8::/129.',
    );
    await page.goto(settingsUrl(env.site));
    expect(await page.locator('#padlock_trusted_proxies').inputValue()).toBe('10.0.0.0/8');
    await page.locator('#padlock_trusted_proxies').fill('');
    await Promise.all([page.waitForURL(/options-general\.php\?page=padlock-store/), page.locator('#submit').click()]);
  });

  it('behind a TLS proxy that is not trusted yet: refused, and the status panel offers to trust the proxy it saw', async () => {
    await httpsOriginIs(proxy.origin);
    const { refusals, on } = await trySwitchingOn();
    expect(on).toBe(false);
    expect(refusals.map(([code]) => code)).toEqual(['proxy_untrusted']);
    expect(refusals[0][1]).toContain(`through a proxy at ${PROXY_ADDRESS}, which says the visitor used HTTPS (X-Forwarded-Proto: https)`);
    const row = page.locator('#padlock-https-status tr[data-check="proxy"]');
    expect(await row.getAttribute('data-status')).toBe('warning');
    expect(await row.textContent()).toContain(`through a proxy at ${PROXY_ADDRESS}, which sends X-Forwarded-Proto: https`);

    await Promise.all([page.waitForURL(/padlock-proxy-trusted=1/), page.locator('#padlock-trust-proxy button').click()]);
    expect(await page.locator('#padlock_trusted_proxies').inputValue()).toBe(PROXY_ADDRESS);
    expect(await page.locator('#padlock-https-status tr[data-check="proxy"]').getAttribute('data-status')).toBe('good');
  });

  describe('once the proxy is trusted', () => {
    let plainUrl: string;
    let secureUrl: string;

    beforeAll(async () => {
      plainUrl = shop.url;
      secureUrl = `${proxy.origin}${shop.path}`;
    });

    it('switching on passes; with no store page published yet, store pages get 302 until a check has seen one over https, then 301', async () => {
      await env.site.php('wp_update_post(["ID" => (int) $input, "post_status" => "draft"]); echo "ok";', shop.id);
      const { refusals, on } = await trySwitchingOn();
      expect(refusals).toEqual([]);
      expect(on).toBe(true);
      expect(await page.locator('#padlock-https-findings [data-code="no_store_page"]').count()).toBe(1);

      await env.site.php('wp_update_post(["ID" => (int) $input, "post_status" => "publish"]); echo "ok";', shop.id);
      const temporary = await fetchOnce(plainUrl);
      expect(temporary.status).toBe(302);
      expect(temporary.headers.location).toBe(secureUrl);
      expect(temporary.headers['cache-control']).toContain('no-store');

      await page.goto(settingsUrl(env.site));
      await Promise.all([page.waitForURL(/padlock-https-checked=1/), page.locator('#padlock-check-https').click()]);
      expect(await page.locator('#padlock-https-status tr[data-check="force_https"]').getAttribute('data-status')).toBe('good');
      expect(await page.locator('#padlock-https-status tr[data-check="force_https"]').textContent()).toContain(
        'redirected permanently (301)',
      );
      expect(await page.locator('#padlock-https-status tr[data-check="blog_https"]').textContent()).toMatch(/valid until/);
      expect(await page.locator('#padlock-store-pages li').allTextContents()).toEqual([expect.stringContaining('The shop')]);
      // HTTPS works but the site's address still says http://: WordPress's own switch is pointed to.
      const hint = page.locator('#padlock-update-site-https');
      expect(await hint.textContent()).toContain('use WordPress\'s own "Update your site to use HTTPS" in Tools → Site Health');
      expect(await hint.locator('a').getAttribute('href')).toBe(`${env.site.origin}/wp-admin/site-health.php`);

      const permanent = await fetchOnce(plainUrl);
      expect(permanent.status).toBe(301);
      expect(permanent.headers.location).toBe(secureUrl);
    });

    it('through the proxy the store page answers 200 at once: no loop', async () => {
      const chain = await fetchFollowing(plainUrl, 3, { ca: ca.certPem });
      expect(chain.map((r) => [r.status, r.url])).toEqual([
        [301, plainUrl],
        [200, secureUrl],
      ]);
      expect(chain[1].body).toMatch(/data-padlock-store/);
    });

    it('a client sending X-Forwarded-Proto: https (or the other headers) itself is redirected like any plain-HTTP request', async () => {
      const spoofs: Record<string, string>[] = [
        { 'X-Forwarded-Proto': 'https' },
        { 'X-Forwarded-Ssl': 'on' },
        { Forwarded: 'for=198.51.100.1;proto=https' },
        { 'CF-Visitor': '{"scheme":"https"}' },
        { 'CloudFront-Forwarded-Proto': 'https' },
      ];
      for (const headers of spoofs) {
        for (const localAddress of ['127.0.0.1', '127.0.0.3']) {
          const response = await fetchOnce(plainUrl, { headers, localAddress });
          expect([JSON.stringify(headers), localAddress, response.status, response.headers.location]).toEqual([
            JSON.stringify(headers),
            localAddress,
            301,
            secureUrl,
          ]);
        }
      }
    });

    it('an absolute-form request target (GET http://host/path) is redirected to the right https address', async () => {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(env.site.port, '127.0.0.1', () => {
          socket.write(`GET ${plainUrl} HTTP/1.1\r\nHost: ${env.site.host}:${env.site.port}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 301/);
      expect(/\r\nLocation: (\S+)\r\n/i.exec(raw)?.[1]).toBe(secureUrl);
    });

    it('in Chromium the plain-HTTP address lands on the https page, which shows the store with no mixed content', async () => {
      const tab = await openTrackedPage(env.browser);
      try {
        const response = await tab.page.goto(plainUrl);
        expect(tab.page.url()).toBe(secureUrl);
        expect(response?.status()).toBe(200);
        expect(await tab.page.evaluate('window.isSecureContext')).toBe(true);
        await eventually(async () => expect(await tab.page.locator('[data-padlock-root] [data-product-card]').count()).toBe(8));
        expect(tab.events.filter((e) => /Mixed Content/i.test(e.text))).toEqual([]);
        expect(tab.cspViolations()).toEqual([]);
        expect(tab.problems()).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('wp-admin and the login page are never redirected', async () => {
      for (const url of [`${env.site.origin}/wp-login.php`, `${env.site.origin}/wp-admin/`]) {
        const response = await fetchOnce(url);
        expect([url, response.headers['x-redirect-by']]).not.toEqual([url, 'Padlock Store']);
        expect([url, response.headers.location ?? '']).not.toEqual([url, expect.stringMatching(/^https:/)]);
      }
    });

    it('Site Health lists the three tests as passed', async () => {
      await page.goto(`${env.site.origin}/wp-admin/site-health.php`);
      const passed = page.locator('#health-check-issues-good');
      await eventually(
        async () => expect(await passed.locator('.health-check-accordion-trigger .title').count()).toBeGreaterThan(3),
        30_000,
      );
      const titles = (await passed.locator('.health-check-accordion-trigger .title').allTextContents()).map((t) => t.trim());
      expect(titles).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^This site's HTTPS certificate is valid until /),
          'The store answers over HTTPS and allows this site',
          'Force HTTPS is on',
        ]),
      );
    });

    it('a store that does not allow the https origin: the check names the exact EMBED_ORIGINS value, and redirects drop back to 302', async () => {
      const unlisted = await teardown.track(
        // Its certificate also runs out in 5 days: the check warns 14 days ahead.
        startTlsProxy(env.site.host, env.site.port, {
          cert: await ca.issue(env.site.host, { notAfter: new Date(Date.now() + 5 * DAY) }),
          caPem: ca.certPem,
          upstreamAddress: PROXY_ADDRESS,
        }),
        (p) => p.stop(),
      );
      await httpsOriginIs(unlisted.origin);
      await page.goto(settingsUrl(env.site));
      await Promise.all([page.waitForURL(/padlock-https-checked=1/), page.locator('#padlock-check-https').click()]);
      const finding = page.locator('#padlock-https-findings [data-code="embed_refused"]');
      expect(await finding.textContent()).toContain(
        `The store does not allow ${unlisted.origin} to embed it yet, so the shop would not load on pages served over HTTPS. Add this exact value to the store's EMBED_ORIGINS setting (comma-separated with the others) and restart the store: ${unlisted.origin}`,
      );
      expect(await page.locator('#padlock-https-status tr[data-check="force_https"]').getAttribute('data-status')).toBe('problem');
      expect(await page.locator('#padlock-https-findings [data-code="certificate_expires_soon"]').textContent()).toMatch(
        new RegExp(`The HTTPS certificate of ${escapeRegExp(unlisted.origin)} expires on .+, in [45] days\\. Renew it before then`),
      );
      expect(await page.locator('#padlock-https-status tr[data-check="blog_https"]').getAttribute('data-status')).toBe('warning');
      expect((await fetchOnce(plainUrl)).status).toBe(302);

      await page.goto(`${env.site.origin}/wp-admin/site-health.php`);
      const critical = page.locator('#health-check-issues-critical');
      await eventually(
        async () =>
          expect(await critical.locator('.health-check-accordion-trigger .title').allTextContents()).toContain(
            'Force HTTPS is on, but the last HTTPS check failed',
          ),
        30_000,
      );

      await httpsOriginIs(proxy.origin);
      await page.goto(settingsUrl(env.site));
      await Promise.all([page.waitForURL(/padlock-https-checked=1/), page.locator('#padlock-check-https').click()]);
      expect((await fetchOnce(plainUrl)).status).toBe(301);
    });

    it('PADLOCK_STORE_FORCE_HTTPS false in wp-config.php switches the redirects off, and the settings page says so', async () => {
      const constant = path.join(env.site.contentDir, 'mu-plugins', 'padlock-test-constant.php');
      fs.writeFileSync(constant, "<?php define('PADLOCK_STORE_FORCE_HTTPS', false);\n");
      try {
        const response = await fetchOnce(plainUrl);
        expect(response.status).toBe(200);
        expect(response.headers.location).toBeUndefined();
        await page.goto(settingsUrl(env.site));
        expect(await page.locator('#padlock-force-https-constant').textContent()).toContain('set to false in wp-config.php');
        expect(await page.locator('#padlock_force_https').isDisabled()).toBe(true);
      } finally {
        fs.rmSync(constant, { force: true });
      }
      expect((await fetchOnce(plainUrl)).status).toBe(301);
    });

    it('switching off stops the redirects', async () => {
      await switchOff();
      expect((await fetchOnce(plainUrl)).status).toBe(200);
    });
  });
});
