import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { eventually, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { escapeRegExp } from '../support/payment-journey';
import { logIn, settingsUrl } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, trustProxies, type BlogWithStore, type SecureAlias } from '../support/wp-fixture';
import { fetchFollowing, fetchOnce } from '../support/wp-http';
import { useTeardown } from '../support/teardown';
import type { TlsProxy } from '../support/wp-tls-proxy';
import type { CreatedPost } from '../support/wordpress';

// "Force HTTPS" behind TLS-terminating proxies that the site trusts (PADLOCK_STORE_TRUSTED_PROXIES,
// their address 127.0.0.2). The blog answers on three names: its plain-HTTP address (php -S),
// `secure-….test`, whose home URL is its proxy's https origin, and `proxied-….test`, whose home
// still says http:// behind its own proxy. With Force HTTPS on, a plain-HTTP request for a post
// with the store is sent once to https; through a trusted proxy it is served (no loop); the page
// has no mixed content; posts without the store are left alone. (The check that runs before the
// option may be switched on has its own suite, https-check.test.ts; here the option is set
// directly.)

/** Tags that load a subresource over plain HTTP (mixed content on an https page). */
function plainHttpSubresources(html: string): string[] {
  return (
    html.match(
      /<(?:script|img|iframe|source|video|audio|embed|input)\b[^>]*\ssrc=["']http:\/\/[^>]*>|<link\b[^>]*\srel=["'](?:stylesheet|preload|modulepreload|icon)["'][^>]*\shref=["']http:\/\/[^>]*>|<link\b[^>]*\shref=["']http:\/\/[^>]*\srel=["'](?:stylesheet|preload|modulepreload|icon)["'][^>]*>/gi,
    ) ?? []
  );
}

const PROXY_ADDRESS = '127.0.0.2';

/** Sets Force HTTPS directly (no settings page, so no check before it). */
async function setForceHttps(env: BlogWithStore, on: boolean): Promise<void> {
  await env.site.php(
    "$s = get_option('padlock_store_settings'); $s['force_https'] = (bool) $input; update_option('padlock_store_settings', $s); echo 'ok';",
    on,
  );
}

describe('Force HTTPS on a blog behind a TLS-terminating proxy', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let secure: SecureAlias;
  let proxy: TlsProxy;
  /** The blog's name whose WordPress address still says http://, behind its own TLS proxy. */
  let httpHome: SecureAlias;
  let httpHomeProxy: TlsProxy;
  let withStore: CreatedPost;
  let withoutStore: CreatedPost;
  /** Plain HTTP, straight to php -S, on the name whose home is https. */
  let plainUrl: string;
  /** The same post through the proxy. */
  let secureUrl: string;

  beforeAll(async () => {
    env = await teardown.track(
      startBlogWithStore({
        secureAlias: { upstreamAddress: PROXY_ADDRESS },
        // A chain of proxies: the client's scheme first. Debian's wp-config.php maps only an exact
        // `X-Forwarded-Proto: https` to is_ssl(), so here WordPress itself believes it is on plain
        // HTTP, as a stock WordPress behind a proxy does: the plugin alone must see the HTTPS.
        httpHomeAlias: { forwardedProto: 'https, http', upstreamAddress: PROXY_ADDRESS },
        forceHttps: false,
      }),
      (e) => e.stop(),
    );
    secure = env.secure!;
    proxy = secure.proxy;
    httpHome = env.httpHome!;
    httpHomeProxy = httpHome.proxy;
    trustProxies(env.site, [PROXY_ADDRESS]);
    withStore = await env.site.createPost('The shop', '<p>Our shop:</p>\n\n[padlock_store]');
    withoutStore = await env.site.createPost('Just a story', '<p>No shop in this one.</p>');
    plainUrl = `http://${secure.host}:${env.site.port}${withStore.path}`;
    secureUrl = `${secure.origin}${withStore.path}`;
  });

  /** The embed script tag, from the store's https origin. */
  const embedScript = (): RegExp =>
    new RegExp(`<script\\b[^>]*\\ssrc=["']${escapeRegExp(env.store.publicUrl)}/embed\\.js\\?ver=0\\.2\\.0["']`);

  it('before Force HTTPS is on, the post is served over plain HTTP without a redirect', async () => {
    const response = await fetchOnce(withStore.url);
    expect(response.status).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toMatch(/<div\b[^>]*\bdata-padlock-store\b/);
  });

  it('on the https-home alias, the settings page hides the option and says the whole site is HTTPS', async () => {
    const tab = await openTrackedPage(env.browser);
    try {
      await logIn(tab.page, env.site, secure.origin);
      await tab.page.goto(settingsUrl(env.site, secure.origin));
      expect(tab.page.url()).toBe(settingsUrl(env.site, secure.origin));
      expect(await tab.page.locator('#padlock_force_https').count()).toBe(0);
      expect(await tab.page.locator('#padlock-whole-site-https').textContent()).toContain(
        `The whole site is HTTPS: its address is ${secure.origin}/`,
      );
    } finally {
      await tab.close();
    }
    await setForceHttps(env, true);
  });

  it('a plain-HTTP request for the post with the store gets exactly one redirect (302: no check has confirmed it), to the same post on https', async () => {
    const response = await fetchOnce(plainUrl);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(secureUrl);

    const chain = await fetchFollowing(plainUrl, 1, { ca: proxy.certPem });
    expect(chain.map((r) => [r.status, r.url])).toEqual([
      [302, plainUrl],
      [200, secureUrl],
    ]);
  });

  it('through the proxy the post answers 200 at once (no redirect loop), with only https in its markup', async () => {
    const before = proxy.forwarded();
    const chain = await fetchFollowing(secureUrl, 3, { ca: proxy.certPem });
    expect(chain.map((r) => r.status)).toEqual([200]);
    expect(proxy.forwarded()).toBe(before + 1);
    const html = chain[0].body;
    expect(html).toMatch(new RegExp(`<div\\b[^>]*\\bdata-store-url=["']${escapeRegExp(env.store.publicUrl)}["']`));
    expect(html).toMatch(embedScript());
    expect(html).toContain('class="padlock-seo"');
    expect(plainHttpSubresources(html)).toEqual([]);
  });

  it('the plain-HTTP address of the blog is redirected to https too, keeping path and query', async () => {
    const response = await fetchOnce(withStore.url);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location ?? 'http://missing.invalid/');
    expect(location.protocol).toBe('https:');
    expect(location.hostname).toBe(env.site.host);
    expect(location.pathname + location.search).toBe(withStore.path);
  });

  it('a post without the store is not redirected', async () => {
    const response = await fetchOnce(withoutStore.url);
    expect(response.status).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('No shop in this one.');
    expect(response.body).not.toMatch(/data-padlock-store/);
  });

  it('with another plugin already forcing SSL, the visitor is redirected once (by it) and then served, no loop', async () => {
    // Stands in for the usual "SSL" plugins: every plain-HTTP front-end request goes to https,
    // earlier in template_redirect than Padlock Store's own redirect.
    const muPlugins = path.join(env.site.contentDir, 'mu-plugins');
    fs.mkdirSync(muPlugins, { recursive: true });
    const otherPlugin = path.join(muPlugins, 'other-ssl-plugin.php');
    fs.writeFileSync(
      otherPlugin,
      `<?php
add_action('template_redirect', static function () {
	if (is_ssl() || str_starts_with(strtolower($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? ''), 'https')) {
		return;
	}
	wp_redirect(rtrim(home_url(), '/') . $_SERVER['REQUEST_URI'], 301, 'Other SSL plugin');
	exit;
}, 1);
`,
    );
    try {
      const chain = await fetchFollowing(plainUrl, 3, { ca: proxy.certPem });
      expect(chain.map((r) => [r.status, r.url, r.headers['x-redirect-by'] ?? null])).toEqual([
        [301, plainUrl, 'Other SSL plugin'],
        [200, secureUrl, null],
      ]);
      expect(chain[1].body).toMatch(embedScript());
    } finally {
      fs.rmSync(otherPlugin, { force: true });
    }
    // Without it, the redirect is Padlock Store's own again.
    expect((await fetchOnce(plainUrl)).headers['x-redirect-by']).toBe('Padlock Store');
  });

  describe('in Chromium', () => {
    let tab: TrackedPage;
    let page: Page;

    beforeAll(async () => {
      tab = await openTrackedPage(env.browser);
      page = tab.page;
    });

    afterAll(async () => {
      await tab?.close();
    });

    it('typing the plain-HTTP address lands on the https post, which shows the store with no mixed content', async () => {
      const response = await page.goto(plainUrl);
      expect(page.url()).toBe(secureUrl);
      expect(response?.status()).toBe(200);
      expect(response?.request().redirectedFrom()?.url()).toBe(plainUrl);
      expect(response?.request().redirectedFrom()?.redirectedFrom()).toBeNull();
      expect(await page.evaluate('window.isSecureContext')).toBe(true);
      await eventually(async () => expect(await page.locator('[data-padlock-root] [data-product-card]').count()).toBe(8));
      await page.locator('[data-padlock-root] [data-product-card="sticker-pack"] [data-action="add-to-cart"]').click();
      await eventually(async () =>
        expect(((await page.locator('[data-padlock-root] [data-cart-count]').textContent()) ?? '').trim()).toBe('1'),
      );
      await screenshot(page, 'wordpress-force-https');
      expect(tab.events.filter((e) => /Mixed Content/i.test(e.text))).toEqual([]);
      expect(tab.cspViolations()).toEqual([]);
      expect(tab.problems()).toEqual([]);
    });

    it('a blog whose WordPress address still says http://, behind proxies WordPress does not recognise, shows the store over https with no mixed content', async () => {
      const other = await openTrackedPage(env.browser);
      try {
        const url = `${httpHome.origin}${withStore.path}`;
        const direct = await fetchOnce(url, { ca: httpHomeProxy.certPem });
        expect(direct.status).toBe(200);
        expect(direct.headers.location).toBeUndefined();
        const html = direct.body;
        expect(html).toMatch(embedScript());
        expect(plainHttpSubresources(html)).toEqual([]);

        const response = await other.page.goto(url);
        expect(response?.status()).toBe(200);
        expect(other.page.url()).toBe(url);
        expect(await other.page.evaluate('window.isSecureContext')).toBe(true);
        await eventually(async () => expect(await other.page.locator('[data-padlock-root] [data-product-card]').count()).toBe(8));
        await other.page.waitForLoadState('load');
        expect(other.events.filter((e) => /Mixed Content/i.test(e.text)).map((e) => e.text)).toEqual([]);
        expect(other.problems()).toEqual([]);
      } finally {
        await other.close();
      }
    });
  });

  it('with Force HTTPS off again, the plain-HTTP post is served without a redirect and still shows the store', async () => {
    await setForceHttps(env, false);
    const response = await fetchOnce(withStore.url);
    expect(response.status).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('class="padlock-seo"');
    expect(response.body).toMatch(embedScript());
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
