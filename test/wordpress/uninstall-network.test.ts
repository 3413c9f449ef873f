import { startWordPress, type WordPressSite } from '../support/wordpress';
import { useTeardown } from '../support/teardown';

// uninstall.php on a multisite network with more sites than get_sites() returns by default
// (100): the plugin's data goes from every one of them, as WordPress runs uninstall.php.

const SITES = 105;

describe('uninstall on a network of more than 100 sites', () => {
  const teardown = useTeardown();
  let site: WordPressSite;

  beforeAll(async () => {
    site = await teardown.track(startWordPress({ title: 'Padlock network' }, 'network'), (s) => s.stop());
    // The single-site install becomes a network (what Tools → Network Setup does), then the
    // config file says so (what the owner pastes into wp-config.php).
    const made = await site
      .php(
        `global $wpdb;
require_once ABSPATH . 'wp-admin/includes/upgrade.php'; // dbDelta(), install_network(), populate_network()
// As wp-admin/network.php does: a single site's $wpdb does not name the network tables yet.
foreach ($wpdb->tables('ms_global') as $table => $prefixed) { $wpdb->$table = $prefixed; }
install_network();
$result = populate_network(1, $input['domain'], get_option('admin_email'), 'Padlock network', '/', false);
if (is_wp_error($result)) { fwrite(STDERR, $result->get_error_message()); exit(1); }
echo 'network';`,
        { domain: `${site.host}:${site.port}` },
      )
      .catch((error: Error) => {
        throw new Error(`${error.message.slice(0, 300)}\n${site.debugLog()}`);
      });
    expect(made).toBe('network');
    site.addConfig(
      [
        "define('WP_ALLOW_MULTISITE', true);",
        "define('MULTISITE', true);",
        "define('SUBDOMAIN_INSTALL', false);",
        `define('DOMAIN_CURRENT_SITE', '${site.host}:${site.port}');`,
        "define('PATH_CURRENT_SITE', '/');",
        "define('SITE_ID_CURRENT_SITE', 1);",
        "define('BLOG_ID_CURRENT_SITE', 1);",
      ].join('\n'),
    );
  }, 120_000);

  it(`creates ${SITES} sites, each with the plugin's options, transients and scheduled check`, async () => {
    const started = Date.now();
    const out = await site.php(
      `if (!is_multisite()) { fwrite(STDERR, 'not a network'); exit(1); }
for ($i = 2; $i <= $input['sites']; $i++) {
	$id = wp_insert_site(array('domain' => $input['domain'], 'path' => "/site-$i/", 'title' => "Site $i", 'user_id' => 1));
	if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
}
foreach (get_sites(array('fields' => 'ids', 'number' => 0)) as $blog) {
	switch_to_blog($blog);
	update_option('padlock_store_settings', array('store_url' => 'https://shop.example', 'force_https' => true));
	update_option('padlock_store_https_state', array('ok' => true));
	set_transient('padlock_store_seo_' . md5((string) $blog), array('ok' => true, 'body' => 'x'), 600);
	wp_schedule_event(time() + 3600, 'hourly', 'padlock_store_https_check');
	restore_current_blog();
}
echo get_sites(array('count' => true, 'number' => 0));`,
      { domain: site.host + ':' + String(site.port), sites: SITES },
      undefined,
      170_000,
    );
    console.log(`created ${SITES - 1} sites and the plugin's data in ${Date.now() - started} ms`);
    expect(out).toBe(String(SITES));
  }, 180_000);

  it('uninstall.php, run as WordPress runs it, leaves nothing of the plugin on any site', async () => {
    const leftovers = `$left = array();
foreach (get_sites(array('fields' => 'ids', 'number' => 0)) as $blog) {
	switch_to_blog($blog);
	global $wpdb;
	$names = $wpdb->get_col("SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%padlock\\\\_store%'");
	$cron  = wp_next_scheduled('padlock_store_https_check');
	if ($names || $cron) { $left[$blog] = array('options' => $names, 'cron' => $cron); }
	restore_current_blog();
}
echo json_encode($left);`;
    const before = JSON.parse(await site.php(leftovers, null, undefined, 60_000)) as Record<string, unknown>;
    expect(Object.keys(before)).toHaveLength(SITES);

    const started = Date.now();
    await site.php(
      `define('WP_UNINSTALL_PLUGIN', 'wp-bridge/padlock-store.php');
include WP_PLUGIN_DIR . '/wp-bridge/uninstall.php';
echo 'done';`,
      null,
      undefined,
      120_000,
    );
    console.log(`uninstall.php on ${SITES} sites took ${Date.now() - started} ms`);
    expect(JSON.parse(await site.php(leftovers, null, undefined, 60_000))).toEqual([]);
  }, 240_000);
});
