import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { eventually, screenshot } from '../support/browser';
import { saveStoreSettings } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, type BlogWithStore } from '../support/wp-fixture';
import { PLUGIN_FILE } from '../support/wordpress';
import { useTeardown } from '../support/teardown';

// The plugin as a site owner gets it: the zip `npm run wp:zip` builds, uploaded through
// Plugins → Add New → Upload Plugin, activated, set up, the "Padlock Store" block placed with the
// block editor, then deactivated and deleted through the Plugins page, which runs uninstall.php.

const run = promisify(execFile);

/** The widget markup (between the noptimize markers) of each store container in a page. */
function widgets(html: string): string[] {
  return [...html.matchAll(/<!--noptimize-->([\s\S]*?)<!--\/noptimize-->/g)]
    .map((m) => m[1].trim())
    .filter((w) => w.includes('data-padlock-store'));
}

describe('the plugin from its release zip: upload, settings, the block, uninstall', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;
  let page: Page;
  let workDir: string;
  let zip: string;
  let blockPostUrl = '';

  const pluginRow = () => page.locator(`tr[data-plugin="${PLUGIN_FILE}"]`);
  const installedDir = (): string => path.join(env.site.contentDir, 'plugins', 'wp-bridge');
  const ourOptions = async (): Promise<string[]> =>
    JSON.parse(
      await env.site.php(
        'global $wpdb; echo json_encode($wpdb->get_col("SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE \'%padlock\\\\_store%\' ORDER BY option_name"));',
      ),
    ) as string[];

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-zip-'));
    teardown.defer(() => fs.rmSync(workDir, { recursive: true, force: true }));
    zip = path.join(workDir, 'padlock-store-wp-bridge.zip');
    await run('node', [path.join(__dirname, '..', '..', 'scripts', 'wp-zip.mjs'), zip]);
    env = await teardown.track(startBlogWithStore({ withoutPlugin: true }), (e) => e.stop());
    page = env.admin.page;
  });

  it('installs from the zip through Upload Plugin, and activates from the result page', async () => {
    expect(fs.readdirSync(path.join(env.site.contentDir, 'plugins'))).toEqual([]);
    await page.goto(`${env.site.origin}/wp-admin/plugin-install.php?tab=upload`);
    await page.locator('#pluginzip').setInputFiles(zip);
    await Promise.all([page.waitForURL(/update\.php\?action=upload-plugin/), page.locator('#install-plugin-submit').click()]);
    await page.getByText('Plugin installed successfully.').waitFor();

    // A real copy of the plugin, unpacked by WordPress (not the harness's link to the sources).
    expect(fs.lstatSync(installedDir()).isSymbolicLink()).toBe(false);
    for (const file of [
      'padlock-store.php',
      'uninstall.php',
      'readme.txt',
      'blocks/store/block.json',
      'blocks/store/render.php',
      'includes/class-padlock-force-https.php',
    ]) {
      expect(fs.readFileSync(path.join(installedDir(), file), 'utf8')).toBe(
        fs.readFileSync(path.join(__dirname, '..', '..', 'wp-bridge', file), 'utf8'),
      );
    }

    await Promise.all([page.waitForURL(/plugins\.php/), page.getByRole('link', { name: 'Activate Plugin' }).click()]);
    await pluginRow().and(page.locator('.active')).waitFor();
    expect(await pluginRow().locator('.plugin-title strong').textContent()).toBe('Padlock Store');
  });

  it('the “Settings” link on its Plugins row opens its settings page, where the store URL is saved', async () => {
    await Promise.all([
      page.waitForURL(/options-general\.php\?page=padlock-store$/),
      pluginRow().getByRole('link', { name: 'Settings' }).click(),
    ]);
    await saveStoreSettings(page, env.site, { storeUrl: env.store.publicUrl, forceHttps: false });
    const saved = JSON.parse(await env.site.php("echo json_encode(get_option('padlock_store_settings'));")) as unknown;
    expect(saved).toEqual({ store_url: env.store.publicUrl, force_https: false, trusted_proxies: [] });
  });

  it('registers the “Padlock Store” block with the shortcode’s attributes', async () => {
    const registered = JSON.parse(
      await env.site.php(
        "$t = WP_Block_Type_Registry::get_instance()->get_registered('padlock-store/store'); echo json_encode(['title' => $t->title, 'attributes' => $t->attributes, 'dynamic' => $t->is_dynamic(), 'editor' => $t->editor_script_handles]);",
      ),
    ) as { title: string; attributes: Record<string, { default: string }>; dynamic: boolean; editor: string[] };
    expect(registered.title).toBe('Padlock Store');
    expect(registered.dynamic).toBe(true);
    // WordPress adds its own (className, lock) to every block's.
    expect(Object.keys(registered.attributes)).toEqual(expect.arrayContaining(['view', 'product', 'category']));
    expect(registered.attributes.view.default).toBe('catalog');
    expect(registered.editor).toHaveLength(1);
  });

  it('in the block editor: inserted, set to the sticker pack in its sidebar, and published', async () => {
    await page.goto(`${env.site.origin}/wp-admin/post-new.php`);
    await page.waitForFunction(() => {
      const wp = (globalThis as unknown as { wp?: { blocks?: { getBlockType(name: string): unknown } } }).wp;
      return Boolean(wp?.blocks?.getBlockType('padlock-store/store'));
    });
    // The welcome guide would cover the editor; insert the block as the inserter does, selected.
    await page.evaluate(() => {
      const wp = (globalThis as unknown as { wp: any }).wp; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (wp.data.select('core/edit-post').isFeatureActive('welcomeGuide'))
        wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
      wp.data.dispatch('core/editor').editPost({ title: 'Our sticker pack' });
      wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('padlock-store/store'));
      wp.data.dispatch('core/edit-post').openGeneralSidebar('edit-post/block');
    });
    const placeholder = page.locator('.wp-block-padlock-store-store');
    await placeholder.getByText('Shows the catalog.').waitFor();

    await page.getByLabel('View', { exact: true }).selectOption('product');
    await placeholder.getByText('Enter a product slug').waitFor();
    await page.getByLabel('Product slug', { exact: true }).fill('Sticker Pack');
    await placeholder.getByText('Shows the product “sticker-pack”.').waitFor();
    await screenshot(page, 'wordpress-block-editor');

    const saved = await page.evaluate(async () => {
      const wp = (globalThis as unknown as { wp: any }).wp; // eslint-disable-line @typescript-eslint/no-explicit-any
      wp.data.dispatch('core/editor').editPost({ status: 'publish' });
      await wp.data.dispatch('core/editor').savePost();
      const editor = wp.data.select('core/editor');
      return {
        content: editor.getEditedPostContent() as string,
        link: editor.getPermalink() as string,
        failed: editor.didPostSaveRequestFail() as boolean,
      };
    });
    expect(saved.failed).toBe(false);
    expect(saved.content).toBe('<!-- wp:padlock-store/store {"view":"product","product":"sticker-pack"} /-->');
    blockPostUrl = saved.link;
    const stored = await env.site.php(`echo get_post(url_to_postid(${JSON.stringify(saved.link)}))->post_content;`);
    expect(stored).toBe(saved.content);
  });

  it('the published block renders exactly what the same shortcode renders', async () => {
    const shortcodePost = await env.site.createPost('Sticker pack (shortcode)', '[padlock_store view="product" product="sticker-pack"]');
    const fromBlock = widgets((await env.site.fetch(blockPostUrl)).body);
    const fromShortcode = widgets((await env.site.fetch(shortcodePost.url)).body);
    expect(fromBlock).toHaveLength(1);
    expect(fromBlock[0]).toMatch(/data-view="product"/);
    expect(fromBlock[0]).toMatch(/data-product="sticker-pack"/);
    expect(fromBlock[0]).toContain('>Sticker Pack</a>');
    expect(fromBlock).toEqual(fromShortcode);
  });

  it('deleting it from the Plugins page removes its files, its settings and its cached snapshots', async () => {
    const before = await ourOptions();
    expect(before).toContain('padlock_store_settings');
    expect(before.some((name) => name.startsWith('_transient_padlock_store_'))).toBe(true);

    await page.goto(`${env.site.origin}/wp-admin/plugins.php`);
    await Promise.all([page.waitForURL(/plugins\.php\?.*deactivate=true/), pluginRow().locator('span.deactivate a').click()]);
    page.once('dialog', (dialog) => void dialog.accept());
    await pluginRow().locator('span.delete a').click();
    await page.getByText('Padlock Store was successfully deleted.').waitFor({ timeout: 30_000 });

    expect(fs.existsSync(installedDir())).toBe(false);
    await eventually(async () => expect(await ourOptions()).toEqual([]));
    expect(await env.site.php("echo var_export(get_option('padlock_store_settings', 'gone'), true);")).toBe("'gone'");
  });

  it('logged no PHP notice, warning or error from the plugin, and no browser error in wp-admin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
    expect(env.admin.events.filter((e) => e.kind === 'pageerror')).toEqual([]);
  });
});
