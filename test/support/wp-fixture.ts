import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openTrackedPage, type TrackedPage } from './browser';
import { startRunningStore, type RunningStoreHandle } from './running-store';
import { activatePadlockStore, logIn, setUpPadlockStore } from './wp-admin';
import { newBlogAddress, newHostName, startWordPress, type BlogAddress, type WordPressSite } from './wordpress';
import { freePort } from './free-port';

/** The store's generated self-signed certificate (the blog trusts it through PADLOCK_STORE_CA_FILE). */
export function storeCertificateFile(store: RunningStoreHandle): string {
  const file = path.join(store.dataDir, 'tls', 'localhost-cert.pem');
  if (!fs.existsSync(file)) throw new Error(`the store wrote no certificate at ${file}`);
  return file;
}

/** A second name of the blog, reached through a TLS proxy that is started later on `proxyPort`. */
export interface SecureAlias {
  readonly host: string;
  readonly proxyPort: number;
  /** `https://<host>:<proxyPort>`: where browsers reach it (through the proxy). */
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
  /** Runs `steps` in order at teardown (before the fixture's own), each one even if another failed. */
  onStop(step: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export interface BlogWithStoreOptions {
  /** Also give the blog an https alias (its own host name) for a TLS proxy, allowed by the store. */
  readonly secureAlias?: boolean;
  /**
   * Also an alias reached through a TLS proxy whose WordPress address still says
   * `http://<host>:<proxyPort>`: a blog that got HTTPS at its proxy without changing its settings.
   */
  readonly httpHomeAlias?: boolean;
  /** Settings saved through the settings page; by default the store's URL and Force HTTPS off. */
  readonly forceHttps?: boolean;
  /** Log in and activate the plugin, but save no settings (the test uses the form itself). */
  readonly skipSettings?: boolean;
  /** Only log in: the plugins folder is empty (the test installs the plugin itself, from its zip). */
  readonly withoutPlugin?: boolean;
}

/** Runs every step, then throws the first failure (teardown must not stop half way). */
export async function runAll(steps: ReadonlyArray<(() => Promise<unknown>) | undefined>): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (error) {
      first ??= error;
    }
  }
  if (first) throw first;
}

/**
 * Starts a store that allows the blog's origins (EMBED_ORIGINS), a fresh WordPress, Chromium
 * with the blog's host names mapped to loopback, logs in and activates the plugin, and saves the
 * store URL through the settings page. `stop()` tears everything down, even after a failure.
 */
export async function startBlogWithStore(options: BlogWithStoreOptions = {}): Promise<BlogWithStore> {
  const address: BlogAddress = await newBlogAddress();
  const taken = new Set([address.port]);
  const alias = async (prefix: string, homeScheme: 'http' | 'https'): Promise<SecureAlias> => {
    let proxyPort = await freePort();
    while (taken.has(proxyPort)) proxyPort = await freePort();
    taken.add(proxyPort);
    const host = newHostName(prefix);
    return { host, proxyPort, origin: `https://${host}:${proxyPort}`, home: `${homeScheme}://${host}:${proxyPort}` };
  };
  const secure = options.secureAlias ? await alias('secure', 'https') : null;
  const httpHome = options.httpHomeAlias ? await alias('proxied', 'http') : null;
  const extraSteps: Array<() => Promise<unknown>> = [];
  let store: RunningStoreHandle | undefined;
  let site: WordPressSite | undefined;
  let browser: Browser | undefined;
  let admin: TrackedPage | undefined;
  const stop = (): Promise<void> =>
    runAll([
      ...extraSteps.reverse(),
      admin && (() => admin!.close()),
      browser && (() => browser!.close()),
      site && (() => site!.stop()),
      store && (() => store!.stop()),
    ]);
  try {
    const origins = [address.origin, ...[secure, httpHome].flatMap((a) => (a ? [a.origin] : []))];
    store = await startRunningStore({ EMBED_ORIGINS: origins.join(',') });
    site = await startWordPress(address, { storeCaFile: storeCertificateFile(store), linkPlugin: !options.withoutPlugin });
    for (const a of [secure, httpHome]) if (a) site.addHost(a.host, a.home);
    browser = await launchBrowser([site.hostResolverRules()]);
    admin = await openTrackedPage(browser);
    if (options.withoutPlugin || options.skipSettings) {
      await logIn(admin.page, site);
      if (!options.withoutPlugin) await activatePadlockStore(admin.page, site);
    } else {
      await setUpPadlockStore(admin.page, site, { storeUrl: store.publicUrl, forceHttps: options.forceHttps ?? false });
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    store,
    site,
    browser,
    admin,
    secure,
    httpHome,
    onStop: (step) => extraSteps.push(step),
    stop,
  };
}

/** PHP notices, warnings and errors that name the plugin's files, from WordPress's debug.log. */
export function pluginPhpProblems(site: WordPressSite): string[] {
  return site
    .debugLog()
    .split('\n')
    .filter((line) => /\/wp-bridge\//.test(line) && /PHP (Notice|Warning|Deprecated|Fatal|Parse|Error)/i.test(line));
}
