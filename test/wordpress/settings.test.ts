import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { settingsUrl, testConnection } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, storeCertificateFile, type BlogWithStore } from '../support/wp-fixture';
import { holdRefusingPort, startSilentServer } from '../support/loopback';
import { useTeardown } from '../support/teardown';

// The plugin's settings page, driven through WordPress's real form (nonce, options.php or
// admin-post.php round trip): saving the store URL, refusing a plain-HTTP one, "Test connection"
// against a store that allows the blog, one that does not, one with a certificate the blog does
// not trust and one that is down, and Force HTTPS refused on a blog without HTTPS.

describe('the Padlock Store settings page in wp-admin', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let page: Page;
  /** A store with the same certificate (so the blog trusts it) that does not allow the blog's origin. */
  let notAllowing: RunningStoreHandle;
  /** A store whose certificate the blog was not told to trust. */
  let untrusted: RunningStoreHandle;

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore({ skipSettings: true }), (e) => e.stop());
    page = env.admin.page;
    const certDir = path.dirname(storeCertificateFile(env.store));
    notAllowing = await teardown.track(
      startRunningStore({
        EMBED_ORIGINS: 'https://some-other-blog.example',
        TLS_CERT_FILE: path.join(certDir, 'localhost-cert.pem'),
        TLS_KEY_FILE: path.join(certDir, 'localhost-key.pem'),
      }),
      (s) => s.stop(),
    );
    untrusted = await teardown.track(startRunningStore({ EMBED_ORIGINS: env.site.origin }), (s) => s.stop());
  });

  async function submitStoreUrl(url: string): Promise<void> {
    await page.goto(settingsUrl(env.site));
    await page.locator('#padlock_store_url').fill(url);
    await Promise.all([page.waitForNavigation(), page.locator('#submit').click()]);
  }

  async function savedStoreUrl(): Promise<string> {
    await page.goto(settingsUrl(env.site));
    return page.locator('#padlock_store_url').inputValue();
  }

  it('shows the settings page with the store URL field, Force HTTPS and Test connection', async () => {
    const response = await page.goto(settingsUrl(env.site));
    expect(response?.status()).toBe(200);
    expect(await page.locator('#padlock_store_url').isVisible()).toBe(true);
    expect(await page.locator('#padlock_force_https').isVisible()).toBe(true);
    expect(await page.locator('#padlock_force_https').isChecked()).toBe(false);
    expect(await page.locator('#padlock-test-connection').isVisible()).toBe(true);
  });

  it('saves the store’s https URL through the form; reloading the page shows it', async () => {
    await submitStoreUrl(env.store.publicUrl);
    expect(page.url()).toContain('page=padlock-store');
    expect(await page.locator('.notice-error, .error').count()).toBe(0);
    expect(await savedStoreUrl()).toBe(env.store.publicUrl);
  });

  it('refuses an http:// store URL with an error next to the form and keeps the saved one', async () => {
    const plainHttp = `http://localhost:${env.store.httpPort}`;
    await submitStoreUrl(plainHttp);
    const error = page.locator('.notice-error, .error').filter({ hasText: /https/i });
    await error.first().waitFor({ state: 'visible' });
    expect((await error.first().textContent()) ?? '').toMatch(/https/i);
    expect(await savedStoreUrl()).toBe(env.store.publicUrl);
  });

  it('“Test connection” reports that the running store answered over HTTPS and allows this blog', async () => {
    expect(await savedStoreUrl()).toBe(env.store.publicUrl);
    const result = await testConnection(page, env.site);
    expect(result.classes).toContain('notice-success');
    expect(result.classes).not.toContain('notice-error');
    expect(result.text).toMatch(/HTTPS/);
    expect(result.text).toMatch(/certificate/i);
    expect(result.text).toMatch(/allowed/i);
    expect(result.text).not.toMatch(/not allowed/i);
    await screenshot(page, 'wordpress-settings');
  });

  it('“Test connection” says “not allowed” for a store whose EMBED_ORIGINS leave this blog out', async () => {
    await submitStoreUrl(notAllowing.publicUrl);
    expect(await savedStoreUrl()).toBe(notAllowing.publicUrl);
    const result = await testConnection(page, env.site);
    expect(result.classes).toContain('notice-error');
    expect(result.classes).not.toContain('notice-success');
    expect(result.text).toMatch(/not allowed/i);
    // The blog's origin is named, so the owner knows what to add to EMBED_ORIGINS.
    expect(result.text).toContain(env.site.origin);
  });

  it('“Test connection” fails for a store whose certificate the blog does not trust', async () => {
    await submitStoreUrl(untrusted.publicUrl);
    const result = await testConnection(page, env.site);
    expect(result.classes).toContain('notice-error');
    expect(result.classes).not.toContain('notice-success');
    expect(result.text).toMatch(/certificate/i);
  });

  it('“Test connection” fails, quickly, for a store that is down', async () => {
    const down = await teardown.track(holdRefusingPort(), (p) => p.release());
    await submitStoreUrl(`https://localhost:${down.port}`);
    const started = Date.now();
    const result = await testConnection(page, env.site);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.classes).toContain('notice-error');
    expect(result.classes).not.toContain('notice-success');
    expect(result.text).not.toMatch(/not allowed/i);
    expect(result.text).toMatch(
      /could not|couldn.t|cannot|can.t|unable|did not answer|no answer|not answer|unreachable|not reach|refused|failed|down/i,
    );
  });

  it('“Test connection” gives up on a store that accepts the connection but never answers', async () => {
    const silent = await startSilentServer();
    try {
      await submitStoreUrl(`https://localhost:${silent.port}`);
      const started = Date.now();
      const result = await testConnection(page, env.site);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.classes).toContain('notice-error');
      expect(result.classes).not.toContain('notice-success');
      expect(silent.connections()).toBeGreaterThan(0);
    } finally {
      await silent.stop();
    }
  });

  it('refuses to tick Force HTTPS on a blog served over plain HTTP, with the reason, and keeps the store URL', async () => {
    await submitStoreUrl(env.store.publicUrl);
    await page.goto(settingsUrl(env.site));
    await page.locator('#padlock_force_https').check();
    await Promise.all([page.waitForNavigation(), page.locator('#submit').click()]);
    const refusal = page.locator('#setting-error-padlock_store_https_no_https');
    expect(await refusal.isVisible()).toBe(true);
    expect(await refusal.textContent()).toContain(`This site does not answer over HTTPS at https://${env.site.host}`);
    await screenshot(page, 'wordpress-settings-https-refused');

    await page.goto(settingsUrl(env.site));
    expect(await page.locator('#padlock_force_https').isChecked()).toBe(false);
    expect(await page.locator('#padlock_store_url').inputValue()).toBe(env.store.publicUrl);
    const status = page.locator('#padlock-https-status tr[data-check="blog_https"]');
    expect(await status.getAttribute('data-status')).toBe('problem');
  });

  it('logged no PHP notice, warning or error from the plugin, and no browser error in wp-admin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
    expect(env.admin.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
  });
});
