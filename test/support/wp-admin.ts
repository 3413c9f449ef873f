import type { Page } from 'playwright-core';
import { PLUGIN_FILE, WP_ADMIN, type WordPressSite } from './wordpress';

// What a site owner does in wp-admin, through WordPress's real pages and forms (with their nonces).

/** Logs in through wp-login.php; `origin` is the blog origin to use (the main one by default). */
export async function logIn(page: Page, site: WordPressSite, origin = site.origin): Promise<void> {
  // Straight to the plugins page: the dashboard would load its widgets for nothing.
  const landing = `${origin}/wp-admin/plugins.php`;
  await page.goto(`${origin}/wp-login.php?redirect_to=${encodeURIComponent(landing)}`);
  await page.locator('#user_login').fill(WP_ADMIN.user);
  await page.locator('#user_pass').fill(WP_ADMIN.password);
  await Promise.all([page.waitForURL(landing), page.locator('#wp-submit').click()]);
  await page.locator('#wpadminbar').waitFor({ state: 'attached' });
}

/** Activates "Padlock Store" by clicking its Activate link on plugins.php. */
export async function activatePadlockStore(page: Page, site: WordPressSite, origin = site.origin): Promise<void> {
  await page.goto(`${origin}/wp-admin/plugins.php`);
  const row = page.locator(`tr[data-plugin="${PLUGIN_FILE}"]`);
  await row.waitFor();
  if ((await row.getAttribute('class'))?.split(/\s+/).includes('active')) return;
  await Promise.all([page.waitForURL(/plugins\.php\?.*activate=true/), row.locator('span.activate a').click()]);
  await page.locator(`tr[data-plugin="${PLUGIN_FILE}"].active`).waitFor();
}

/** The plugin's settings page URL. */
export function settingsUrl(site: WordPressSite, origin = site.origin): string {
  return `${origin}/wp-admin/options-general.php?page=padlock-store`;
}

export interface StoreSettings {
  readonly storeUrl: string;
  readonly forceHttps: boolean;
}

/** Opens the settings page, fills the form and submits it with `#submit`; the page shows the result. */
export async function saveStoreSettings(page: Page, site: WordPressSite, settings: StoreSettings, origin = site.origin): Promise<void> {
  await page.goto(settingsUrl(site, origin));
  await page.locator('#padlock_store_url').fill(settings.storeUrl);
  await page.locator('#padlock_force_https').setChecked(settings.forceHttps);
  await Promise.all([
    page.waitForURL(/options-general\.php\?page=padlock-store/),
    page.waitForLoadState('load'),
    page.locator('#submit').click(),
  ]);
  await page.waitForLoadState('load');
}

/**
 * Logs in, activates the plugin and saves its settings through the real form, then checks that
 * the page reloaded shows them (so a test does not start from a configuration that did not stick).
 */
export async function setUpPadlockStore(page: Page, site: WordPressSite, settings: StoreSettings): Promise<void> {
  await logIn(page, site);
  await activatePadlockStore(page, site);
  await saveStoreSettings(page, site, settings);
  await page.goto(settingsUrl(site));
  const saved = await page.locator('#padlock_store_url').inputValue();
  const forced = await page.locator('#padlock_force_https').isChecked();
  if (saved !== settings.storeUrl || forced !== settings.forceHttps) {
    throw new Error(`the settings did not stick: store URL "${saved}", Force HTTPS ${forced}; wanted ${JSON.stringify(settings)}`);
  }
}

/** Clicks "Test connection" on the settings page and returns the result notice's classes and text (whitespace collapsed). */
export async function testConnection(page: Page, site: WordPressSite): Promise<{ classes: string[]; text: string }> {
  await page.goto(settingsUrl(site));
  await Promise.all([page.waitForNavigation(), page.locator('#padlock-test-connection').click()]);
  await page.waitForURL(/options-general\.php\?.*page=padlock-store/);
  const result = page.locator('#padlock-connection-result');
  await result.waitFor({ state: 'visible' });
  return {
    classes: ((await result.getAttribute('class')) ?? '').split(/\s+/),
    text: ((await result.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
  };
}
