<?php
/**
 * Plugin Name:       Padlock Store
 * Description:       Puts your Padlock Store on any page with a shortcode or a block. Checkout always runs on the store's own HTTPS page; an optional "Force HTTPS" serves the pages that show the store over HTTPS.
 * Version:           0.2.0
 * Requires at least: 6.1
 * Requires PHP:      8.1
 * Author:            Padlock Store
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       padlock-store
 * Domain Path:       /languages
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

define( 'PADLOCK_STORE_VERSION', '0.2.0' );
define( 'PADLOCK_STORE_FILE', __FILE__ );
define( 'PADLOCK_STORE_DIR', __DIR__ );

require_once __DIR__ . '/includes/class-padlock-message.php';
require_once __DIR__ . '/includes/class-padlock-settings.php';
require_once __DIR__ . '/includes/class-padlock-trusted-proxies.php';
require_once __DIR__ . '/includes/class-padlock-store-client.php';
require_once __DIR__ . '/includes/class-padlock-renderer.php';
require_once __DIR__ . '/includes/class-padlock-store-pages.php';
require_once __DIR__ . '/includes/class-padlock-mixed-content.php';
require_once __DIR__ . '/includes/class-padlock-force-https.php';
require_once __DIR__ . '/includes/class-padlock-https-probe.php';
require_once __DIR__ . '/includes/class-padlock-https-state.php';
require_once __DIR__ . '/includes/class-padlock-tls-inspector.php';
require_once __DIR__ . '/includes/class-padlock-https-check.php';
require_once __DIR__ . '/includes/class-padlock-connection-check.php';
require_once __DIR__ . '/includes/class-padlock-site-health.php';
require_once __DIR__ . '/includes/class-padlock-cache-purge.php';

/**
 * Renders one store widget (shortcode and block both come here).
 *
 * @param array $atts `view` (catalog|product|cart), `product` (slug), `category`.
 * @return string Escaped HTML.
 */
function padlock_store_render( $atts = array() ) {
	return Padlock_Renderer::render( is_array( $atts ) ? $atts : array() );
}

add_action(
	'init',
	static function () {
		load_plugin_textdomain( 'padlock-store', false, dirname( plugin_basename( PADLOCK_STORE_FILE ) ) . '/languages' );
		add_shortcode( 'padlock_store', array( 'Padlock_Renderer', 'shortcode' ) );
		$block = register_block_type( PADLOCK_STORE_DIR . '/blocks/store' );
		foreach ( $block ? (array) $block->editor_script_handles : array() as $handle ) {
			wp_set_script_translations( $handle, 'padlock-store', PADLOCK_STORE_DIR . '/languages' );
		}
	}
);

Padlock_Settings::init();
Padlock_Renderer::init();
Padlock_Store_Pages::init();
Padlock_Mixed_Content::init();
Padlock_Force_Https::init();
Padlock_Https_Probe::init();
Padlock_Site_Health::init();
Padlock_Cache_Purge::init();

if ( is_admin() ) {
	require_once __DIR__ . '/includes/class-padlock-settings-page.php';
	require_once __DIR__ . '/includes/class-padlock-https-status.php';
	Padlock_Connection_Check::init();
	Padlock_Settings_Page::init();
	Padlock_Https_Status::init();
}

register_activation_hook( __FILE__, array( 'Padlock_Settings', 'activate' ) );
