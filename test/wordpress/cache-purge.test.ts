import fs from 'node:fs';
import path from 'node:path';
import { saveStoreSettings, settingsUrl } from '../support/wp-admin';
import { pluginPhpProblems, startBlogWithStore, type BlogWithStore } from '../support/wp-fixture';
import { useTeardown } from '../support/teardown';

// Switching Force HTTPS on or off empties the page caches of the cache plugins that are present
// (pages cached before the change would keep their old redirect and asset URLs). Stand-ins for
// three of them (WP Rocket's function, W3 Total Cache's function, LiteSpeed's action), in a
// mu-plugin, write down each call in an option.

const STAND_INS = `<?php
function padlock_test_record_purge( $name ) {
	$calls   = get_option( 'padlock_test_purges', array() );
	$calls[] = $name;
	update_option( 'padlock_test_purges', $calls, false );
}
function rocket_clean_domain() {
	padlock_test_record_purge( 'rocket_clean_domain' );
}
function w3tc_flush_all() {
	padlock_test_record_purge( 'w3tc_flush_all' );
}
add_action( 'litespeed_purge_all', static function () {
	padlock_test_record_purge( 'litespeed_purge_all' );
} );
`;

describe('cache plugins are purged when Force HTTPS changes', () => {
  const teardown = useTeardown();
  let env: BlogWithStore;

  const takeCalls = async (): Promise<string[]> =>
    JSON.parse(
      await env.site.php(
        "echo json_encode(get_option('padlock_test_purges', array())); update_option('padlock_test_purges', array(), false);",
      ),
    ) as string[];
  const setForceHttps = async (on: boolean): Promise<void> => {
    await env.site.php(
      `update_option('padlock_store_settings', array('store_url' => $input['url'], 'force_https' => ${on ? 'true' : 'false'}));`,
      { url: env.store.publicUrl },
    );
  };
  const storedForceHttps = async (): Promise<boolean> =>
    (await env.site.php("$v = get_option('padlock_store_settings'); echo empty($v['force_https']) ? 'off' : 'on';")) === 'on';

  beforeAll(async () => {
    env = await teardown.track(startBlogWithStore(), (e) => e.stop());
    const muPlugins = path.join(env.site.contentDir, 'mu-plugins');
    fs.mkdirSync(muPlugins, { recursive: true });
    fs.writeFileSync(path.join(muPlugins, 'padlock-test-cache-stand-ins.php'), STAND_INS);
    await takeCalls();
  });

  it('Padlock_Cache_Purge::all() purges the caches present and names them, object cache last', async () => {
    const names = JSON.parse(await env.site.php('echo json_encode(Padlock_Cache_Purge::all());')) as string[];
    expect(names).toEqual(['WP Rocket', 'W3 Total Cache', 'LiteSpeed Cache', 'object cache']);
    expect(await takeCalls()).toEqual(['rocket_clean_domain', 'w3tc_flush_all', 'litespeed_purge_all']);
    expect(await env.site.php('echo Padlock_Cache_Purge::message(Padlock_Cache_Purge::all());')).toBe(
      'Force HTTPS changed, so cached pages were purged. Purged: WP Rocket, W3 Total Cache, LiteSpeed Cache, object cache',
    );
    await takeCalls();
  });

  it('turning Force HTTPS on purges each cache once, and turning it off purges each once again', async () => {
    expect(await storedForceHttps()).toBe(false);
    await setForceHttps(true);
    expect(await storedForceHttps()).toBe(true);
    expect((await takeCalls()).sort()).toEqual(['litespeed_purge_all', 'rocket_clean_domain', 'w3tc_flush_all']);

    await setForceHttps(false);
    expect(await storedForceHttps()).toBe(false);
    expect((await takeCalls()).sort()).toEqual(['litespeed_purge_all', 'rocket_clean_domain', 'w3tc_flush_all']);
  });

  it('updating the option without changing Force HTTPS purges nothing', async () => {
    await setForceHttps(false);
    expect(await takeCalls()).toEqual([]);
  });

  it('saving the settings form without changing Force HTTPS purges nothing and says nothing about caches', async () => {
    const page = env.admin.page;
    await saveStoreSettings(page, env.site, { storeUrl: env.store.publicUrl, forceHttps: false });
    expect(await takeCalls()).toEqual([]);
    expect(await page.locator('#padlock-cache-purged').count()).toBe(0);
  });

  it('ticking Force HTTPS in the form purges once (when the save is accepted) and the page names what was purged', async () => {
    const page = env.admin.page;
    await saveStoreSettings(page, env.site, { storeUrl: env.store.publicUrl, forceHttps: true });
    const accepted = await storedForceHttps();
    const calls = await takeCalls();
    if (accepted) {
      expect(calls.sort()).toEqual(['litespeed_purge_all', 'rocket_clean_domain', 'w3tc_flush_all']);
      const notice = page.locator('#padlock-cache-purged p');
      await notice.waitFor({ state: 'visible' });
      expect(((await notice.textContent()) ?? '').replace(/\s+/g, ' ').trim()).toBe(
        'Force HTTPS changed, so cached pages were purged. Purged: WP Rocket, W3 Total Cache, LiteSpeed Cache, object cache',
      );
      // Shown once.
      await page.goto(settingsUrl(env.site));
      expect(await page.locator('#padlock-cache-purged').count()).toBe(0);
      await setForceHttps(false);
      await takeCalls();
    } else {
      // A save that refuses to switch Force HTTPS on (no working HTTPS here) changes nothing: no purge.
      expect(calls).toEqual([]);
    }
  });

  it('logged no PHP notice, warning or error from the plugin', () => {
    expect(pluginPhpProblems(env.site)).toEqual([]);
  });
});
