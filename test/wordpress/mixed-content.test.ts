import fs from 'node:fs';
import path from 'node:path';
import { openTrackedPage } from '../support/browser';
import { pluginPhpProblems, startBlogWithStore, trustProxies, type BlogWithStore, type SecureAlias } from '../support/wp-fixture';
import { fetchOnce } from '../support/wp-http';
import { useTeardown } from '../support/teardown';

// "No mixed content on store pages": a store page served over https writes this site's own
// http:// URLs as https:// — in its content, image src and srcset, theme styles, inline data —
// through WordPress's filters. Two https names of the same blog, each behind its own TLS proxy:
//  - `secure-…`, whose WordPress address is https: WordPress builds https URLs itself, but the
//    post's content still holds http:// URLs of the site (a blog that moved to https);
//  - `proxied-…`, whose WordPress address still says http:// and whose proxy chain sends
//    `X-Forwarded-Proto: https, http`, which WordPress itself does not map to is_ssl(): every URL
//    WordPress builds (uploads, srcset, theme and core styles, emoji script) says http://.
// Other hosts' URLs are left alone, as are the same pages over plain http and pages without the store.

const THEME_STYLE_PHP = `<?php
// Written by test/wordpress/mixed-content.test.ts: a theme stylesheet, enqueued the usual way.
add_action('wp_enqueue_scripts', static function () {
	wp_enqueue_style('padlock-test-theme-style', get_theme_file_uri('style.css'), array(), '1');
});
`;

interface Upload {
  readonly id: number;
  /** Path below /wp-content/uploads, e.g. `/2026/12/padlock-photo.jpg`. */
  readonly full: string;
  readonly large: string;
}

describe('no mixed content on store pages served over https', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let secure: SecureAlias;
  let proxied: SecureAlias;
  let upload: Upload;
  /** The http:// origin each https name's old content uses: `http://secure-…` (no port), `http://proxied-…:<port>` (its WordPress address). */
  const oldOrigin = (alias: SecureAlias): string => (alias === secure ? `http://${alias.host}` : alias.home);

  /** Runs PHP as the administrator, on the blog's main host by default. */
  const php = (code: string, input?: unknown, host?: string): Promise<string> =>
    env.site.php(`wp_set_current_user(1);\n${code}`, input, host);

  /** The last `RESULT <json>` line a PHP snippet printed. */
  const result = <T>(out: string): T => {
    const line = out
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`no RESULT line in:\n${out}`);
    return JSON.parse(line.slice(7)) as T;
  };

  /** Padlock_Mixed_Content::http_subresources() of a page. */
  const httpSubresources = async (html: string): Promise<string[]> =>
    result<string[]>(await php(`echo "\\nRESULT " . wp_json_encode(Padlock_Mixed_Content::http_subresources($input)) . "\\n";`, html));

  const imageContent = (origin: string, extra = ''): string =>
    [
      `<!-- wp:image {"id":${upload.id},"sizeSlug":"large"} -->`,
      `<figure class="wp-block-image size-large"><img src="${origin}/wp-content/uploads${upload.large}" alt="Padlock" class="wp-image-${upload.id}"/></figure>`,
      '<!-- /wp:image -->',
      `<p><img src="${origin}/wp-content/uploads${upload.full}" alt="hard-coded" width="120"></p>`,
      extra,
    ].join('\n');

  const otherHosts = (alias: SecureAlias): string =>
    `<p><a href="http://elsewhere.example/page">elsewhere</a> <a href="http://${alias.host}.evil.example/x">look-alike</a></p>`;

  const posts = new Map<SecureAlias, { store: string; plain: string; foreignImage: string }>();

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore({ secureAlias: true, httpHomeAlias: { forwardedProto: 'https, http' } }), (e) =>
      e.stop(),
    );
    secure = env.secure!;
    proxied = env.httpHome!;
    trustProxies(env.site, ['127.0.0.1']); // The aliases' TLS proxies connect from 127.0.0.1.
    const muPlugins = path.join(env.site.contentDir, 'mu-plugins');
    fs.mkdirSync(muPlugins, { recursive: true });
    fs.writeFileSync(path.join(muPlugins, 'padlock-test-theme-style.php'), THEME_STYLE_PHP);

    upload = result<Upload>(
      await php(`require_once ABSPATH . 'wp-admin/includes/image.php';
$dir = wp_upload_dir();
$file = $dir['path'] . '/padlock-photo.jpg';
$image = imagecreatetruecolor(1600, 1067);
imagefill($image, 0, 0, imagecolorallocate($image, 40, 90, 160));
imagejpeg($image, $file, 80);
$id = wp_insert_attachment(array('post_mime_type' => 'image/jpeg', 'post_title' => 'Padlock photo', 'post_status' => 'inherit'), $file);
$meta = wp_generate_attachment_metadata($id, $file);
wp_update_attachment_metadata($id, $meta);
echo "\\nRESULT " . wp_json_encode(array('id' => $id, 'full' => $dir['subdir'] . '/padlock-photo.jpg', 'large' => $dir['subdir'] . '/' . $meta['sizes']['large']['file'])) . "\\n";`),
    );
    for (const alias of [secure, proxied]) {
      const origin = oldOrigin(alias);
      const store = await env.site.createPost(`Shop on ${alias.host}`, imageContent(origin, `${otherHosts(alias)}\n[padlock_store]`));
      const plain = await env.site.createPost(`Story on ${alias.host}`, imageContent(origin, otherHosts(alias)));
      const foreignImage = await env.site.createPost(
        `Foreign image on ${alias.host}`,
        `<p><img src="http://elsewhere.example/pixel.png" alt="elsewhere"></p>\n[padlock_store]`,
      );
      posts.set(alias, { store: store.path, plain: plain.path, foreignImage: foreignImage.path });
    }
  });

  const overHttps = async (alias: SecureAlias, urlPath: string): Promise<string> => {
    const response = await fetchOnce(`${alias.origin}${urlPath}`, { ca: alias.proxy.certPem, timeoutMs: 30_000 });
    expect(response.status).toBe(200);
    return response.body;
  };

  /**
   * The same page over plain http: straight to php -S, with the Host header the proxy would have
   * sent (so WordPress sees its own address), but no X-Forwarded-Proto.
   */
  const overHttp = async (alias: SecureAlias, urlPath: string): Promise<string> => {
    const response = await fetchOnce(`http://127.0.0.1:${env.site.port}${urlPath}`, {
      headers: { Host: new URL(alias.origin).host },
      timeoutMs: 30_000,
    });
    expect(response.status).toBe(200);
    return response.body;
  };

  const ofHost = (urls: string[], host: string): string[] => urls.filter((u) => new URL(u).hostname === host);

  const imgTag = (html: string, alt: string): string => {
    const tag = new RegExp(`<img\\b[^>]*\\balt="${alt}"[^>]*>`).exec(html)?.[0];
    if (!tag) throw new Error(`no <img alt="${alt}"> in the page`);
    return tag;
  };

  describe.each([
    ['whose WordPress address is https, with old http:// URLs in its content', () => secure],
    ['whose WordPress address still says http://, behind proxies WordPress does not recognise', () => proxied],
  ])('a blog %s', (_name, aliasOf) => {
    let alias: SecureAlias;
    beforeAll(() => {
      alias = aliasOf();
    });

    it('over https, the store page loads nothing of this site over http://: content images, srcset, styles', async () => {
      const html = await overHttps(alias, posts.get(alias)!.store);
      expect(html).toMatch(/<div\b[^>]*\bdata-padlock-store\b/);
      expect(await httpSubresources(html)).toEqual([]);

      const block = imgTag(html, 'Padlock');
      expect(block).toContain(`src="${alias.origin}/wp-content/uploads${upload.large}"`);
      const srcset = /\ssrcset="([^"]+)"/.exec(block)?.[1] ?? '';
      const candidates = srcset.split(',').map((c) => c.trim().split(/\s+/)[0]);
      expect(candidates.length).toBeGreaterThanOrEqual(3);
      for (const url of candidates) expect(url.startsWith(`${alias.origin}/wp-content/uploads/`)).toBe(true);
      expect(imgTag(html, 'hard-coded')).toContain(`src="${alias.origin}/wp-content/uploads${upload.full}"`);
      expect(html).toMatch(
        new RegExp(
          `<link\\b[^>]*id='padlock-test-theme-style-css'[^>]*href='${alias.origin}/wp-content/themes/twentytwentythree/style\\.css\\?ver=1'`,
        ),
      );
    });

    it('over https, other hosts keep their http:// URLs (links, images), including look-alike host names', async () => {
      const html = await overHttps(alias, posts.get(alias)!.store);
      expect(html).toContain('href="http://elsewhere.example/page"');
      expect(html).toContain(`href="http://${alias.host}.evil.example/x"`);
      const foreign = await overHttps(alias, posts.get(alias)!.foreignImage);
      expect(await httpSubresources(foreign)).toEqual(['http://elsewhere.example/pixel.png']);
    });

    it('over plain http, the same store page is not rewritten', async () => {
      const html = await overHttp(alias, posts.get(alias)!.store);
      expect(html).toMatch(/<div\b[^>]*\bdata-padlock-store\b/);
      expect(imgTag(html, 'hard-coded')).toContain(`src="${oldOrigin(alias)}/wp-content/uploads${upload.full}"`);
      expect(ofHost(await httpSubresources(html), alias.host)).toContain(`${oldOrigin(alias)}/wp-content/uploads${upload.full}`);
    });

    it('over https, a page without the store is not rewritten', async () => {
      const html = await overHttps(alias, posts.get(alias)!.plain);
      expect(html).not.toMatch(/data-padlock-store/);
      expect(imgTag(html, 'hard-coded')).toContain(`src="${oldOrigin(alias)}/wp-content/uploads${upload.full}"`);
      const left = ofHost(await httpSubresources(html), alias.host);
      expect(left).toContain(`${oldOrigin(alias)}/wp-content/uploads${upload.full}`);
      if (alias === proxied) {
        // The URLs stored in the content (the image and its srcset) stay http:// off store pages.
        // The theme style does not: behind a trusted proxy WordPress is told the request is
        // HTTPS, so the URLs it builds itself are https:// on every page.
        expect(left.filter((u) => u.includes('/wp-content/uploads/')).length).toBeGreaterThanOrEqual(3);
        expect(left.filter((u) => u.includes('/themes/'))).toEqual([]);
      }
    });

    it('in Chromium, the https store page shows the store and its images with no "Mixed Content" message', async () => {
      const tab = await openTrackedPage(env.browser);
      try {
        const url = `${alias.origin}${posts.get(alias)!.store}`;
        const response = await tab.page.goto(url);
        expect(response?.status()).toBe(200);
        await tab.page.waitForLoadState('load');
        expect(await tab.page.evaluate('window.isSecureContext')).toBe(true);
        await tab.page.locator('[data-padlock-root] [data-product-card]').first().waitFor();
        const images = await tab.page.evaluate(`Array.from(document.querySelectorAll('img[alt="Padlock"], img[alt="hard-coded"]'))
          .map((img) => [img.alt, img.complete && img.naturalWidth > 0, img.currentSrc])`);
        expect(images).toEqual([
          ['Padlock', true, expect.stringMatching(new RegExp(`^${alias.origin}/wp-content/uploads/`))],
          ['hard-coded', true, `${alias.origin}/wp-content/uploads${upload.full}`],
        ]);
        expect(tab.events.filter((e) => /Mixed Content/i.test(e.text)).map((e) => e.text)).toEqual([]);
        expect(tab.problems()).toEqual([]);
      } finally {
        await tab.close();
      }
    });
  });

  it('to_https() rewrites this site only: any port, any letter case, srcset lists, JSON; not other or look-alike hosts', async () => {
    const host = env.site.host;
    const cases: Record<string, string> = {
      port: `<img src="http://${host}:${env.site.port}/a.png">`,
      noPort: `http://${host}/a.png`,
      bare: `http://${host}`,
      upper: `<script src="HTTP://${host.toUpperCase()}/x.js"></script>`,
      srcset: `http://${host}/a-300.jpg 300w, http://${host}:8080/a-1024.jpg 1024w, http://other.example/b.jpg 2x`,
      json: `{"src":"http:\\/\\/${host}:${env.site.port}\\/wp-includes\\/js\\/x.js"}`,
      css: `body{background:url(http://${host}/bg.png)}`,
      protocolRelative: `<img src="//${host}/a.png">`,
      https: `https://${host}/a.png`,
      other: `http://other.example/${host}/a.png`,
      suffix: `http://${host}.evil.com/a.png`,
      longer: `http://${host}x/a.png`,
      userinfo: `http://${host}@evil.com/a.png`,
      portUserinfo: `http://${host}:80@evil.com/a.png`,
    };
    const out = result<{ origin: string; forwardedOrigin: string; rewritten: Record<string, string>; forwarded: string }>(
      await php(
        `$rewritten = array_map(array('Padlock_Mixed_Content', 'to_https'), $input['cases']);
$origin = Padlock_Force_Https::https_origin();
// The same during an https request on port 8443: the port the browser used is kept.
$_SERVER['HTTPS'] = 'on';
$_SERVER['HTTP_HOST'] = $input['host'] . ':8443';
echo "\\nRESULT " . wp_json_encode(array('origin' => $origin, 'forwardedOrigin' => Padlock_Force_Https::https_origin(),
	'rewritten' => $rewritten, 'forwarded' => Padlock_Mixed_Content::to_https($input['cases']['port']))) . "\\n";`,
        { cases, host },
      ),
    );
    const o = out.origin;
    expect(o).toBe(`https://${host}`);
    expect(out.rewritten).toEqual({
      port: `<img src="${o}/a.png">`,
      noPort: `${o}/a.png`,
      bare: o,
      upper: `<script src="${o}/x.js"></script>`,
      srcset: `${o}/a-300.jpg 300w, ${o}/a-1024.jpg 1024w, http://other.example/b.jpg 2x`,
      json: `{"src":"${o.replace(/\//g, '\\/')}\\/wp-includes\\/js\\/x.js"}`,
      css: `body{background:url(${o}/bg.png)}`,
      protocolRelative: cases.protocolRelative,
      https: cases.https,
      other: cases.other,
      suffix: cases.suffix,
      longer: cases.longer,
      userinfo: cases.userinfo,
      portUserinfo: cases.portUserinfo,
    });
    expect(out.forwardedOrigin).toBe(`https://${host}:8443`);
    expect(out.forwarded).toBe(`<img src="https://${host}:8443/a.png">`);
  });

  it('http_subresources() lists what a page loads over http:// (src, srcset, poster, stylesheets, icons, CSS), not links, comments or script text', async () => {
    const html = `<html><head>
<link rel="stylesheet" href="http://g.example/s.css"><link rel="canonical" href="http://canonical.example/">
<link href="http://h.example/i.png" rel="shortcut icon"><link rel='preload' as='font' href='http://p.example/f.woff2'>
<style>body{background:url("http://i.example/bg.png")} @import 'http://j.example/imp.css'; .x{background:url(https://ok.example/x.png)}</style>
<script src="http://a.example/s.js"></script><script>var x = "<img src='http://in-script.example/x.png'>";</script>
</head><body>
<img src='https://ok.example/a.png' srcset="http://b.example/a-300.jpg 300w, https://ok.example/a.jpg 600w, HTTP://C.EXAMPLE/up.jpg 2x">
<iframe src=http://d.example/frame></iframe><video poster="http://e.example/p.jpg"><source src="http://f.example/v.mp4"></video>
<div style="background-image: url(http://k.example/div.png)"></div><a href="http://link.example/">a link</a>
<form action="http://form.example/"></form><!-- <img src="http://comment.example/x.png"> -->
<img src="//protocol-relative.example/x.png"><img src="http://m.example/a.png?x=1&amp;y=2"><img src="http://a.example/s.js">
</body></html>`;
    expect((await httpSubresources(html)).sort()).toEqual(
      [
        'http://g.example/s.css',
        'http://h.example/i.png',
        'http://p.example/f.woff2',
        'http://i.example/bg.png',
        'http://j.example/imp.css',
        'http://a.example/s.js',
        'http://b.example/a-300.jpg',
        'HTTP://C.EXAMPLE/up.jpg',
        'http://d.example/frame',
        'http://e.example/p.jpg',
        'http://f.example/v.mp4',
        'http://k.example/div.png',
        'http://m.example/a.png?x=1&y=2',
      ].sort(),
    );
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
