import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { saveStoreSettings, settingsUrl, testConnection } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, storeCertificateFile, type BlogWithStore } from '../support/wp-fixture';
import { selfSignedFor } from '../support/wp-tls-proxy';
import { useTeardown } from '../support/teardown';

// A store (or a proxy in front of it) that answers the blog's HTTPS requests with a redirect
// to http://: the plugin does not follow it, so nothing goes over plain HTTP, and "Test
// connection" says so in plain words. A redirect to another https:// URL is still followed.

interface Listening {
  readonly port: number;
  stop(): Promise<void>;
}

function listen(server: http.Server): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

describe('a store that redirects the blog’s requests', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let page: Page;
  /** Requests that reached the plain-HTTP server (must stay 0). */
  const plainHits: string[] = [];
  let plain: Listening;
  let redirector: Listening;
  let redirectorUrl: string;
  /** Where the redirector sends requests: `http` (the plain server) or `https` (the real store). */
  let target: 'http' | 'https' = 'http';

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore({ skipSettings: true }), (e) => e.stop());
    page = env.admin.page;

    plain = await teardown.track(
      listen(
        http.createServer((req, res) => {
          plainHits.push(req.url ?? '');
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: 'ok', originAllowed: true }));
        }),
      ),
      (s) => s.stop(),
    );

    // Its own subject name: OpenSSL picks a trusted certificate by subject, and the store's is "localhost".
    const pems = await selfSignedFor('localhost', 'padlock-redirect-test');
    redirector = await teardown.track(
      listen(
        https.createServer({ cert: pems.cert, key: pems.key }, (req, res) => {
          const base = target === 'http' ? `http://localhost:${plain.port}` : env.store.publicUrl;
          res.writeHead(302, { Location: `${base}${req.url ?? '/'}` });
          res.end();
        }) as unknown as http.Server,
      ),
      (s) => s.stop(),
    );
    redirectorUrl = `https://localhost:${redirector.port}`;

    // The blog trusts both the store's certificate and the redirector's (one PEM bundle).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-redirect-'));
    teardown.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const bundle = path.join(dir, 'ca.pem');
    fs.writeFileSync(bundle, `${fs.readFileSync(storeCertificateFile(env.store), 'utf8').trim()}\n${pems.cert.trim()}\n`);
    env.site.trustStoreCertificate(bundle);

    await saveStoreSettings(page, env.site, { storeUrl: redirectorUrl, forceHttps: false });
    await page.goto(settingsUrl(env.site));
    expect(await page.locator('#padlock_store_url').inputValue()).toBe(redirectorUrl);
  });

  it('“Test connection” fails with a plain message when the store redirects to http://, and sends nothing over HTTP', async () => {
    target = 'http';
    const result = await testConnection(page, env.site);
    expect(result.classes).toContain('notice-error');
    expect(result.classes).not.toContain('notice-success');
    expect(result.text).toContain(`The store at ${redirectorUrl} redirected to http://localhost:${plain.port}/api/embed-check?origin=`);
    expect(result.text).toContain('which is not HTTPS, so the plugin did not follow');
    expect(result.text).toContain('PUBLIC_URL');
    expect(plainHits).toEqual([]);
  });

  it('a redirect to another https:// address (here: the real store) is followed, and the check passes', async () => {
    target = 'https';
    const result = await testConnection(page, env.site);
    expect(result.text).toContain(`The store answered at ${redirectorUrl}.`);
    expect(result.classes).toContain('notice-success');
    expect(plainHits).toEqual([]);
  });

  it('the SEO snapshot is not fetched through a redirect to http://, but is through one to https://', async () => {
    const snapshot = async (): Promise<{ body: string | null; reason: string }> =>
      JSON.parse(
        await env.site.php(
          `global $wpdb;
$wpdb->query("DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\\\_transient\\\\_%padlock\\\\_store\\\\_%'");
wp_cache_flush();
$store = $input['store'];
$url = Padlock_Store_Client::snapshot_url($store, 'product', 'sticker-pack');
$body = Padlock_Store_Client::snapshot($store, $url);
echo json_encode(['body' => $body, 'reason' => Padlock_Store_Client::failure_reason($url)]);`,
          { store: redirectorUrl },
        ),
      ) as { body: string | null; reason: string };

    target = 'http';
    const refused = await snapshot();
    expect(refused.body).toBeNull();
    expect(refused.reason).toContain(`redirected to http://localhost:${plain.port}/seo/products/sticker-pack`);
    expect(refused.reason).toContain('not HTTPS');
    expect(plainHits).toEqual([]);

    target = 'https';
    const followed = await snapshot();
    expect(followed.body).toContain('Sticker Pack');
    expect(plainHits).toEqual([]);
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
