import fs from 'node:fs';
import path from 'node:path';
import { pluginPhpProblems, startBlogWithStore, trustProxies, type BlogWithStore } from '../support/wp-fixture';
import { fetchOnce } from '../support/wp-http';
import { useTeardown } from '../support/teardown';

// "Every page that shows the store counts": the store placed directly in a post, through synced
// patterns (nested, in a cycle), in a widget of an active sidebar, in a block theme's template or
// template part, or declared by a page builder through `padlock_store_is_store_page`. A tiny
// must-use plugin reports Padlock_Store_Pages::is_store_page() from inside real requests: in a
// header at template_redirect (where Force HTTPS decides first), in a header at template_include
// (late, once the block template is known) and in a comment printed by wp_footer.

const PROBE_PHP = `<?php
// Written by test/wordpress/store-pages.test.ts.
add_action('template_redirect', static function () {
	header('X-Padlock-Store-Page-Early: ' . (Padlock_Store_Pages::is_store_page() ? '1' : '0'));
}, 5);
add_filter('template_include', static function ($template) {
	header('X-Padlock-Store-Page-Late: ' . (Padlock_Store_Pages::is_store_page() ? '1' : '0'));
	return $template;
}, 2000);
add_action('wp_footer', static function () {
	echo '<!--padlock-store-page:' . (Padlock_Store_Pages::is_store_page() ? '1' : '0') . '-->';
}, 1000);
// The block theme has no widget areas: this one is registered and printed in the footer.
add_action('widgets_init', static function () {
	register_sidebar(array('id' => 'padlock-test-sidebar', 'name' => 'Test footer area'));
});
add_action('wp_footer', static function () {
	dynamic_sidebar('padlock-test-sidebar');
}, 5);
// A page builder keeps its layout in post meta and says which pages show the store.
add_filter('padlock_store_is_store_page', static function ($result, $post) {
	return $result || ($post instanceof WP_Post && get_post_meta($post->ID, '_padlock_test_builder_store', true));
}, 10, 2);
`;

interface Probe {
  readonly status: number;
  /** is_store_page() at template_redirect (priority 5). */
  readonly early: string | undefined;
  /** is_store_page() at template_include (priority 2000). */
  readonly late: string | undefined;
  /** is_store_page() in wp_footer. */
  readonly footer: string | null;
  readonly rendersStore: boolean;
  readonly body: string;
}

const block = (name: string, attrs?: Record<string, unknown>): string => `<!-- wp:${name} ${attrs ? `${JSON.stringify(attrs)} ` : ''}/-->`;

describe('which front-end pages show the store (Padlock_Store_Pages)', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;

  /** Runs PHP as the administrator (so kses leaves block markup alone). */
  const php = (code: string, input?: unknown): Promise<string> => env.site.php(`wp_set_current_user(1);\n${code}`, input);

  /** Inserts a post of any type; returns its id and permalink. */
  const insert = async (
    type: string,
    title: string,
    content: string,
    extra: { status?: string; name?: string; terms?: Record<string, string[]>; meta?: Record<string, string> } = {},
  ): Promise<{ id: number; url: string }> => {
    const out = await php(
      `$id = wp_insert_post(wp_slash(array('post_type' => $input['type'], 'post_title' => $input['title'], 'post_name' => $input['name'],
	'post_content' => $input['content'], 'post_status' => $input['status'], 'post_author' => 1)), true);
if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
foreach ($input['terms'] as $tax => $terms) { wp_set_post_terms($id, $terms, $tax); }
foreach ($input['meta'] as $key => $value) { update_post_meta($id, $key, $value); }
echo "\\nINSERTED " . wp_json_encode(array('id' => $id, 'url' => get_permalink($id))) . "\\n";`,
      { type, title, content, status: extra.status ?? 'publish', name: extra.name ?? '', terms: extra.terms ?? {}, meta: extra.meta ?? {} },
    );
    const line = out.split('\n').find((l) => l.startsWith('INSERTED '));
    if (!line) throw new Error(`insert printed no result:\n${out}`);
    return JSON.parse(line.slice(9)) as { id: number; url: string };
  };

  const probe = async (url: string): Promise<Probe> => {
    const response = await fetchOnce(url, { timeoutMs: 30_000 });
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    return {
      status: response.status,
      early: header('x-padlock-store-page-early'),
      late: header('x-padlock-store-page-late'),
      footer: /<!--padlock-store-page:([01])-->/.exec(response.body)?.[1] ?? null,
      rendersStore: /<div\b[^>]*\bdata-padlock-store\b/.test(response.body),
      body: response.body,
    };
  };

  /** The three answers of a page that shows the store from 'wp' on. */
  const STORE_PAGE = { status: 200, early: '1', late: '1', footer: '1', rendersStore: true };
  const NOT_STORE_PAGE = { status: 200, early: '0', late: '0', footer: '0', rendersStore: false };

  const setWidgets = (sidebars: Record<string, string[]>, text: string): Promise<string> =>
    php(
      `update_option('widget_text', array(2 => array('title' => '', 'text' => $input['text'], 'filter' => true, 'visual' => true), '_multiwidget' => 1));
update_option('sidebars_widgets', array_merge($input['sidebars'], array('array_version' => 3)));
echo 'ok';`,
      { sidebars, text },
    );

  let plainPost: { id: number; url: string };
  let storePattern: number;

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore({ secureAlias: true }), (e) => e.stop());
    trustProxies(env.site, ['127.0.0.1']); // The aliases' TLS proxies connect from 127.0.0.1.
    const muPlugins = path.join(env.site.contentDir, 'mu-plugins');
    fs.mkdirSync(muPlugins, { recursive: true });
    fs.writeFileSync(path.join(muPlugins, 'padlock-test-probe.php'), PROBE_PHP);
    expect(
      (await php("switch_theme('twentytwentythree'); echo get_stylesheet() . ' ' . (wp_is_block_theme() ? 'block' : 'classic');")).trim(),
    ).toBe('twentytwentythree block');
    plainPost = await insert('post', 'Just a story', '<!-- wp:paragraph --><p>No shop in this one.</p><!-- /wp:paragraph -->');
  });

  it('a post with the shortcode is a store page from template_redirect on; a post without it is not', async () => {
    const shop = await insert('post', 'The shop', '<p>Our shop:</p>\n\n[padlock_store]');
    expect(await probe(shop.url)).toMatchObject(STORE_PAGE);
    expect(await probe(plainPost.url)).toMatchObject(NOT_STORE_PAGE);
    const escaped = await insert('post', 'How to embed', '<p>Type [[padlock_store]] in a post.</p>');
    expect(await probe(escaped.url)).toMatchObject(NOT_STORE_PAGE);
  });

  it('a page holding a synced pattern that holds the block is a store page; a draft pattern does not count', async () => {
    storePattern = (
      await insert(
        'wp_block',
        'Shop pattern',
        `<!-- wp:paragraph --><p>Buy here</p><!-- /wp:paragraph -->\n${block('padlock-store/store')}`,
      )
    ).id;
    const page = await insert(
      'page',
      'Pattern shop',
      `<!-- wp:paragraph --><p>Welcome</p><!-- /wp:paragraph -->\n${block('block', { ref: storePattern })}`,
    );
    expect(await probe(page.url)).toMatchObject(STORE_PAGE);

    const draft = await insert('wp_block', 'Draft shop pattern', block('padlock-store/store'), { status: 'draft' });
    const withDraft = await insert('page', 'Draft pattern page', block('block', { ref: draft.id }));
    expect(await probe(withDraft.url)).toMatchObject(NOT_STORE_PAGE);
  });

  it('a pattern inside a pattern inside a page counts (nested)', async () => {
    const outer = await insert(
      'wp_block',
      'Outer pattern',
      `<!-- wp:heading --><h2>Shop</h2><!-- /wp:heading -->\n${block('block', { ref: storePattern })}`,
    );
    const page = await insert('page', 'Nested pattern shop', block('block', { ref: outer.id }));
    expect(await probe(page.url)).toMatchObject(STORE_PAGE);
  });

  it('patterns that include each other do not hang the page; the cycle counts only when a pattern on it holds the store', async () => {
    const a = await insert('wp_block', 'Cycle A', '<!-- wp:paragraph --><p>A</p><!-- /wp:paragraph -->');
    const b = await insert('wp_block', 'Cycle B', `${block('block', { ref: a.id })}\n<!-- wp:paragraph --><p>B</p><!-- /wp:paragraph -->`);
    await php(`wp_update_post(wp_slash(array('ID' => $input['a'], 'post_content' => $input['content']))); echo 'ok';`, {
      a: a.id,
      content: `${block('block', { ref: b.id })}\n<!-- wp:paragraph --><p>A</p><!-- /wp:paragraph -->`,
    });
    const page = await insert('page', 'Cycle page', block('block', { ref: a.id }));
    const started = Date.now();
    expect(await probe(page.url)).toMatchObject(NOT_STORE_PAGE);
    expect(Date.now() - started).toBeLessThan(10_000);

    const c = await insert('wp_block', 'Cycle C', block('block', { ref: b.id }));
    const d = await insert('wp_block', 'Cycle D', `${block('block', { ref: c.id })}\n[padlock_store view="cart"]`);
    await php(`wp_update_post(wp_slash(array('ID' => $input['c'], 'post_content' => $input['content']))); echo 'ok';`, {
      c: c.id,
      content: block('block', { ref: d.id }),
    });
    const storeCycle = await insert('page', 'Cycle shop', block('block', { ref: c.id }));
    expect(await probe(storeCycle.url)).toMatchObject(STORE_PAGE);
  });

  it('a text widget with the shortcode in an active sidebar makes every front-end page a store page, not feeds; inactive widgets do not', async () => {
    try {
      await setWidgets({ wp_inactive_widgets: [], 'padlock-test-sidebar': ['text-2'] }, '<p>Shop:</p>[padlock_store view="cart"]');
      expect(await probe(plainPost.url)).toMatchObject(STORE_PAGE);
      expect(await probe(`${env.site.origin}/`)).toMatchObject(STORE_PAGE);
      expect(await probe(`${env.site.origin}/?s=nothing-matches-this`)).toMatchObject(STORE_PAGE);
      const feed = await probe(`${env.site.origin}/?feed=rss2`);
      expect(feed.status).toBe(200);
      expect(feed.early).toBe('0');

      await setWidgets({ wp_inactive_widgets: ['text-2'], 'padlock-test-sidebar': [] }, '<p>Shop:</p>[padlock_store view="cart"]');
      expect(await probe(plainPost.url)).toMatchObject(NOT_STORE_PAGE);
    } finally {
      await setWidgets({ wp_inactive_widgets: [] }, '');
    }
  });

  it('a page builder page counts through the padlock_store_is_store_page filter', async () => {
    const built = await insert('page', 'Builder shop', '', { meta: { _padlock_test_builder_store: '1' } });
    const result = await probe(built.url);
    expect(result).toMatchObject({ status: 200, early: '1', late: '1', footer: '1' });
  });

  describe('a block theme (Twenty Twenty-Three) whose templates hold the store', () => {
    let page: { id: number; url: string };

    beforeAll(async () => {
      page = await insert('page', 'About us', '<!-- wp:paragraph --><p>We sell padlocks.</p><!-- /wp:paragraph -->');
      expect(await probe(plainPost.url)).toMatchObject(NOT_STORE_PAGE);
      expect(await probe(page.url)).toMatchObject(NOT_STORE_PAGE);
      const theme = { wp_theme: ['twentytwentythree'] };
      // As the site editor saves them: template-part blocks name their theme (WordPress 6.1
      // renders none without it).
      // The site owner's edited "Single" template: the store under every post.
      await insert(
        'wp_template',
        'Single',
        [
          block('template-part', { slug: 'header', theme: 'twentytwentythree', tagName: 'header' }),
          block('post-title'),
          block('post-content', { layout: { type: 'constrained' } }),
          block('padlock-store/store', { view: 'catalog' }),
          block('template-part', { slug: 'footer', theme: 'twentytwentythree', tagName: 'footer' }),
        ].join('\n'),
        { name: 'single', terms: theme },
      );
      // A template part holding the store, included by the edited "Page" template.
      await insert('wp_template_part', 'Shop strip', `[padlock_store view="cart"]`, {
        name: 'shop-strip',
        terms: { ...theme, wp_template_part_area: ['uncategorized'] },
      });
      await insert(
        'wp_template',
        'Page',
        [
          block('template-part', { slug: 'header', theme: 'twentytwentythree', tagName: 'header' }),
          block('post-content'),
          block('template-part', { slug: 'shop-strip', theme: 'twentytwentythree' }),
          block('template-part', { slug: 'footer', theme: 'twentytwentythree', tagName: 'footer' }),
        ].join('\n'),
        { name: 'page', terms: theme },
      );
    });

    it('a post served by the edited Single template is a store page once the template is known (template_include, wp_footer)', async () => {
      const result = await probe(plainPost.url);
      expect(result).toMatchObject({ status: 200, early: '0', late: '1', footer: '1', rendersStore: true });
    });

    it('a page served by a template including a template part that holds the store counts too', async () => {
      const result = await probe(page.url);
      expect(result).toMatchObject({ status: 200, early: '0', late: '1', footer: '1', rendersStore: true });
    });

    it('other templates (the home page) do not', async () => {
      const home = await probe(`${env.site.origin}/?s=nothing-matches-this`);
      expect(home).toMatchObject(NOT_STORE_PAGE);
    });
  });

  it('outside a front-end request (before wp, in a REST request) it says false', async () => {
    const out = await php(
      `$before = Padlock_Store_Pages::is_store_page();
$_GET = array('p' => $input['post']);
wp();
$front = Padlock_Store_Pages::is_store_page();
Padlock_Store_Pages::flush();
define('REST_REQUEST', true);
echo "\\nRESULT " . wp_json_encode(array($before, $front, Padlock_Store_Pages::is_store_page())) . "\\n";`,
      { post: (await insert('post', 'Another shop', '[padlock_store]')).id },
    );
    expect(out).toContain('RESULT [false,true,false]');
  });

  it('found() lists the posts, patterns, widgets and templates holding the store, bounded, with the total; first_url() is a store page', async () => {
    await setWidgets({ wp_inactive_widgets: [], 'padlock-test-sidebar': ['text-2'] }, '[padlock_store]');
    try {
      const out = await php(
        `echo "\\nFOUND " . wp_json_encode(array(Padlock_Store_Pages::found(), Padlock_Store_Pages::found(3), Padlock_Store_Pages::first_url())) . "\\n";`,
      );
      const line = out.split('\n').find((l) => l.startsWith('FOUND '));
      expect(line).toBeDefined();
      type Item = { kind: string; title: string; url: string | null; edit_url: string | null };
      type Found = { items: Item[]; total: number };
      const [all, three, firstUrl] = JSON.parse(line!.slice(6)) as [Found, Found, string | null];
      const listed = all.items.map((i) => `${i.kind}: ${i.title}`);
      expect(listed.sort()).toEqual(
        [
          'widget: Text widget in “Test footer area”',
          'template: Single (template)',
          'template: Page (template)',
          'template: Shop strip (template part)',
          'post: The shop',
          'post: Another shop',
          'post: Pattern shop',
          'post: Nested pattern shop',
          'post: Cycle shop',
          'pattern: Shop pattern',
          'pattern: Outer pattern',
          'pattern: Cycle C',
          'pattern: Cycle D',
        ].sort(),
      );
      expect(all.total).toBe(all.items.length);
      for (const item of all.items) {
        if (item.kind === 'post') expect(item.url).toMatch(new RegExp(`^${env.site.origin}/\\?(p|page_id)=\\d+$`));
        else expect(item.url).toBeNull();
        if (item.kind !== 'widget') expect(item.edit_url).toMatch(/\/wp-admin\//);
      }
      expect(three.items).toHaveLength(3);
      expect(three.total).toBe(all.total);

      expect(firstUrl).not.toBeNull();
      expect(all.items.filter((i) => i.kind === 'post').map((i) => i.url)).toContain(firstUrl);
    } finally {
      await setWidgets({ wp_inactive_widgets: [] }, '');
    }
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
