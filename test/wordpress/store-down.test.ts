import { holdRefusingPort, startSilentServer, type RefusingPort, type SilentServer } from '../support/loopback';
import { useTeardown } from '../support/teardown';
import { saveStoreSettings } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, type BlogWithStore } from '../support/wp-fixture';
import type { CreatedPost } from '../support/wordpress';

// When the store cannot be reached, a post with the shortcode still renders, quickly, with a
// friendly notice in place of the snapshot — whether the store refuses connections or accepts
// them and never answers — and the failure is remembered so that later visitors do not wait.

const UNAVAILABLE = 'padlock-store-unavailable';

describe('a post with the store while the store is down', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let post: CreatedPost;
  /** A store that is down: connections to it are refused. */
  let refusing: RefusingPort;
  /** Accepts TCP connections and then says nothing: a hung store, or a firewall that drops. */
  let silent: SilentServer;

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore(), (e) => e.stop());
    post = await env.site.createPost('The shop', '<p>Shop below.</p>\n\n[padlock_store]');
    refusing = await teardown.track(holdRefusingPort(), (p) => p.release());
    silent = await teardown.track(startSilentServer(), (s) => s.stop());
  });

  it('shows the snapshot while the store is up (so what follows is the store being down)', async () => {
    const response = await env.site.fetch(post.url);
    expect(response.status).toBe(200);
    expect(response.body).toContain('class="padlock-seo"');
    expect(response.body).not.toContain(UNAVAILABLE);
  });

  it('a store that refuses connections: 200 within 3 s with the “short break” notice, and the rest of the post', async () => {
    await saveStoreSettings(env.admin.page, env.site, { storeUrl: `https://localhost:${refusing.port}`, forceHttps: false });
    const response = await env.site.fetch(post.url);
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(3000);
    expect(response.body).toContain(UNAVAILABLE);
    expect(response.body).toMatch(new RegExp(`<p class="${UNAVAILABLE}">[^<]*short break`));
    expect(response.body).not.toContain('class="padlock-seo"');
    expect(response.body).toContain('Shop below.');
    expect(response.body).toMatch(/<div\b[^>]*\bdata-padlock-store\b/);
  });

  it('a store that accepts the connection and never answers: 200 within 3 s, and the next visitor does not wait again', async () => {
    await saveStoreSettings(env.admin.page, env.site, { storeUrl: `https://localhost:${silent.port}`, forceHttps: false });
    const first = await env.site.fetch(post.url, { timeoutMs: 30_000 });
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(3000);
    expect(first.body).toContain(UNAVAILABLE);
    expect(first.body).toContain('Shop below.');
    // The blog did try the silent store (else the timing above proves nothing).
    expect(silent.connections()).toBeGreaterThan(0);

    const second = await env.site.fetch(post.url, { timeoutMs: 30_000 });
    expect(second.status).toBe(200);
    expect(second.body).toContain(UNAVAILABLE);
    expect(second.ms).toBeLessThan(1000);
  });

  it('pointing the setting back at the running store shows the snapshot again at once', async () => {
    await saveStoreSettings(env.admin.page, env.site, { storeUrl: env.store.publicUrl, forceHttps: false });
    const response = await env.site.fetch(post.url);
    expect(response.status).toBe(200);
    expect(response.body).toContain('class="padlock-seo"');
    expect(response.body).not.toContain(UNAVAILABLE);
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
