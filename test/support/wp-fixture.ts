import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openTrackedPage, type TrackedPage } from './browser';
import { startRunningStore, type RunningStoreHandle } from './running-store';
import { activatePadlockStore, logIn, setUpPadlockStore } from './wp-admin';
import { Teardown } from './teardown';
import { newHostName, startWordPress, type WordPressSite } from './wordpress';
import { startTlsProxy, type TlsProxy, type TlsProxyOptions } from './wp-tls-proxy';

/** The store's generated self-signed certificate (the blog trusts it through PADLOCK_STORE_CA_FILE). */
export function storeCertificateFile(store: RunningStoreHandle): string {
  const file = path.join(store.dataDir, 'tls', 'localhost-cert.pem');
  if (!fs.existsSync(file)) throw new Error(`the store wrote no certificate at ${file}`);
  return file;
}

/** A second name of the blog, reached through its own TLS proxy (started by the fixture). */
export interface SecureAlias {
  readonly host: string;
  readonly proxy: TlsProxy;
  /** `https://<host>:<proxy port>`: where browsers reach it (through the proxy). */
  readonly origin: string;
  /** Its WordPress address (WP_HOME): `origin`, or the same with http:// for a blog whose settings still say http. */
  readonly home: string;
}

/** A store, a WordPress blog with the plugin active and set up, and a Chromium for both. */
export interface BlogWithStore {
  readonly store: RunningStoreHandle;
  readonly site: WordPressSite;
  readonly browser: Browser;
  /** The tab where the administrator is logged in. */
  readonly admin: TrackedPage;
  readonly secure: SecureAlias | null;
  readonly httpHome: SecureAlias | null;
  /** A TLS proxy in front of the blog's main host name (`mainProxy` option), allowed by the store. */
  readonly mainProxy: TlsProxy | null;
  /** Stops everything, each part even if another failed. */
  stop(): Promise<void>;
}

export interface BlogWithStoreOptions {
  /** Also give the blog an https alias (its own host name) behind a TLS proxy, allowed by the store. */
  readonly secureAlias?: boolean | TlsProxyOptions;
  /**
   * Also an alias reached through a TLS proxy whose WordPress address still says
   * `http://<host>:<proxy port>`: a blog that got HTTPS at its proxy without changing its settings.
   */
  readonly httpHomeAlias?: boolean | TlsProxyOptions;
  /**
   * Also a TLS proxy for the blog's own host name (its home stays http://), e.g. with a
   * certificate from a system-trusted test CA: the blog's https address, once a test points
   * the plugin's `padlock_store_https_origin` filter at it. Its origin is in EMBED_ORIGINS.
   */
  readonly mainProxy?: (siteHost: string) => Promise<TlsProxyOptions>;
  /** Settings saved through the settings page; by default the store's URL and Force HTTPS off. */
  readonly forceHttps?: boolean;
  /** Log in and activate the plugin, but save no settings (the test uses the form itself). */
  readonly skipSettings?: boolean;
  /** Only log in: the plugins folder is empty (the test installs the plugin itself, from its zip). */
  readonly withoutPlugin?: boolean;
}

/**
 * Starts a fresh WordPress, the TLS proxies of its aliases, a store that allows the blog's
 * origins (EMBED_ORIGINS) and whose certificate the blog trusts, Chromium with the blog's host
 * names mapped to loopback; logs in, activates the plugin and saves the store URL through the
 * settings page. Everything listens on a port the system picks. Each part is registered for
 * teardown as soon as it runs: a failure stops what was started, and `stop()` stops all of it.
 */
export async function startBlogWithStore(options: BlogWithStoreOptions = {}): Promise<BlogWithStore> {
  const undo = new Teardown();
  try {
    const site = await undo.track(startWordPress({ linkPlugin: !options.withoutPlugin }), (s) => s.stop());
    const alias = async (
      prefix: string,
      homeScheme: 'http' | 'https',
      proxyOptions: boolean | TlsProxyOptions | undefined,
    ): Promise<SecureAlias | null> => {
      if (!proxyOptions) return null;
      const host = newHostName(prefix);
      const proxy = await undo.track(startTlsProxy(host, site.port, proxyOptions === true ? {} : proxyOptions), (p) => p.stop());
      const home = `${homeScheme}://${host}:${proxy.port}`;
      site.addHost(host, home);
      return { host, proxy, origin: proxy.origin, home };
    };
    const secure = await alias('secure', 'https', options.secureAlias);
    const httpHome = await alias('proxied', 'http', options.httpHomeAlias);
    const mainProxy = options.mainProxy
      ? await undo.track(startTlsProxy(site.host, site.port, await options.mainProxy(site.host)), (p) => p.stop())
      : null;
    const origins = [site.origin, ...[secure, httpHome, mainProxy].flatMap((a) => (a ? [a.origin] : []))];
    const store = await undo.track(startRunningStore({ EMBED_ORIGINS: origins.join(',') }), (s) => s.stop());
    site.trustStoreCertificate(storeCertificateFile(store));
    const browser = await undo.track(launchBrowser([site.hostResolverRules()]), (b) => b.close());
    const admin = await undo.track(openTrackedPage(browser), (tab) => tab.close());
    if (options.withoutPlugin || options.skipSettings) {
      await logIn(admin.page, site);
      if (!options.withoutPlugin) await activatePadlockStore(admin.page, site);
    } else {
      await setUpPadlockStore(admin.page, site, { storeUrl: store.publicUrl, forceHttps: options.forceHttps ?? false });
    }
    return { store, site, browser, admin, secure, httpHome, mainProxy, stop: () => undo.run() };
  } catch (error) {
    await undo.run().catch(() => undefined);
    throw error;
  }
}

/** PHP notices, warnings and errors that name the plugin's files, from WordPress's debug.log. */
export function pluginPhpProblems(site: WordPressSite): string[] {
  return site
    .debugLog()
    .split('\n')
    .filter((line) => /\/wp-bridge\//.test(line) && /PHP (Notice|Warning|Deprecated|Fatal|Parse|Error)/i.test(line));
}

/**
 * Makes the blog trust these proxy addresses, as a site owner would in wp-config.php
 * (PADLOCK_STORE_TRUSTED_PROXIES, here from a must-use plugin, which loads before the plugin).
 */
export function trustProxies(site: WordPressSite, addresses: readonly string[]): void {
  const muPlugins = path.join(site.contentDir, 'mu-plugins');
  fs.mkdirSync(muPlugins, { recursive: true });
  fs.writeFileSync(
    path.join(muPlugins, 'padlock-test-trusted-proxies.php'),
    `<?php\ndefine('PADLOCK_STORE_TRUSTED_PROXIES', ${JSON.stringify(addresses.join(','))});\n`,
  );
}
