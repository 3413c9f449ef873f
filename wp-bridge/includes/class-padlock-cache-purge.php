<?php
/**
 * Empties page caches when Force HTTPS is switched on or off.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * A page cache keeps serving the pages it stored before Force HTTPS changed: without their
 * redirect (or still with it), and with http:// or https:// asset URLs baked in. When the
 * setting changes, this empties the page caches of the common cache plugins, each through
 * its own public function or action and only when that plugin is present, and WordPress's
 * object cache.
 */
final class Padlock_Cache_Purge {

	/**
	 * The per-user transient (shared prefix, so uninstall removes it) holding what the last
	 * purge emptied, for the settings page to say so once.
	 */
	const NOTICE_PREFIX = 'padlock_store_purged_';
	const NOTICE_TTL    = 5 * MINUTE_IN_SECONDS;

	/**
	 * Hooks the notice on the settings page (Padlock_Force_Https calls the purge when the
	 * setting changes).
	 */
	public static function init() {
		add_action( 'admin_notices', array( self::class, 'render_notice' ) );
	}

	/**
	 * Runs all() and keeps its result for the current user's next view of the settings page.
	 */
	public static function purge_and_remember() {
		$purged  = self::all();
		$user_id = get_current_user_id();
		if ( $user_id > 0 ) {
			set_transient( self::NOTICE_PREFIX . $user_id, $purged, self::NOTICE_TTL );
		}
	}

	/**
	 * Empties the page cache of every supported cache plugin that is present, and the object
	 * cache. A plugin whose purge throws is left out of the result; the others still run.
	 *
	 * @return string[] What was emptied, by name (e.g. "WP Rocket", "object cache"), in order.
	 */
	public static function all() {
		$purged = array();
		foreach ( self::purgers() as $name => $purge ) {
			try {
				if ( self::purge_one( $purge ) ) {
					$purged[] = $name;
				}
			} catch ( Throwable $e ) {
				// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- Only a log line: the setting was saved, the cache stays as it was.
				error_log( sprintf( 'Padlock Store: purging %s failed: %s', $name, $e->getMessage() ) );
			}
		}
		return $purged;
	}

	/**
	 * How each cache is emptied: `array( 'function', name )` calls that public function when it
	 * exists, `array( 'action', hook )` fires that public action when something listens to it,
	 * and a callable (returning false when the cache is absent) covers the rest.
	 *
	 * @return array<string, array{0: string, 1: string}|callable(): bool>
	 */
	private static function purgers() {
		return array(
			// docs.wp-rocket.me/article/92-rocketcleandomain: "check function_exists, then rocket_clean_domain()".
			'WP Rocket'            => array( 'function', 'rocket_clean_domain' ),
			// W3 Total Cache's public function (w3-total-cache/w3-total-cache-api.php), the one its own
			// "Empty All Caches" admin action calls (Generic_AdminActions_Flush::w3tc_flush_all).
			'W3 Total Cache'       => array( 'function', 'w3tc_flush_all' ),
			// WP Super Cache's wp_cache_clear_cache( $blog_id ) (wp-cache-phase2.php); on a network,
			// this site's cache only, as Autoptimize's autoptimizePageCacheFlush.php does.
			'WP Super Cache'       => static function () {
				if ( ! function_exists( 'wp_cache_clear_cache' ) ) {
					return false;
				}
				if ( is_multisite() ) {
					wp_cache_clear_cache( get_current_blog_id() );
				} else {
					wp_cache_clear_cache();
				}
				return true;
			},
			// docs.litespeedtech.com/lscache/lscwp/api/: hooks, not classes; `litespeed_purge_all`.
			'LiteSpeed Cache'      => array( 'action', 'litespeed_purge_all' ),
			// WP Fastest Cache's wpFastestCache.php: function wpfc_clear_all_cache( $minified = false ),
			// a wrapper of its `wpfc_clear_all_cache` action (pages only; minified files stay).
			'WP Fastest Cache'     => array( 'function', 'wpfc_clear_all_cache' ),
			// SiteGround Speed Optimizer's global sg_cachepress_purge_cache( $url = '' ): no URL = everything.
			'SiteGround Optimizer' => array( 'function', 'sg_cachepress_purge_cache' ),
			// Cache Enabler's inc/cache_enabler.class.php, "public clear cache hooks":
			// `cache_enabler_clear_site_cache` (this site; the complete cache would be every site).
			'Cache Enabler'        => array( 'action', 'cache_enabler_clear_site_cache' ),
			// Breeze (Cloudways): the `breeze_clear_all_cache` action, the same as its "Purge All Cache".
			'Breeze'               => array( 'action', 'breeze_clear_all_cache' ),
			// WP-Optimize's cache/file-based-page-cache-functions.php: wpo_cache_flush() deletes the
			// page cache files (and flushes the object cache).
			'WP-Optimize'          => array( 'function', 'wpo_cache_flush' ),
			// wpmudev.com/docs/wpmu-dev-plugins/hummingbird-api-docs/: action `wphb_clear_page_cache`
			// (no post id = the whole page cache).
			'Hummingbird'          => array( 'action', 'wphb_clear_page_cache' ),
			// Nginx Helper's includes/class-nginx-helper.php: "expose action to allow other plugins to
			// purge the cache": `rt_nginx_helper_purge_all`.
			'Nginx Helper'         => array( 'action', 'rt_nginx_helper_purge_all' ),
			// Autoptimize's autoptimizeCache::clearall() (its aggregated CSS/JS; it then purges the
			// page caches it knows of itself).
			'Autoptimize'          => static function () {
				if ( ! class_exists( 'autoptimizeCache' ) || ! method_exists( 'autoptimizeCache', 'clearall' ) ) {
					return false;
				}
				autoptimizeCache::clearall();
				return true;
			},
			// Comet Cache's public API class comet_cache::clear() (this host's cache), as
			// Autoptimize's autoptimizePageCacheFlush.php calls it.
			'Comet Cache'          => static function () {
				if ( ! class_exists( 'comet_cache' ) || ! method_exists( 'comet_cache', 'clear' ) ) {
					return false;
				}
				comet_cache::clear();
				return true;
			},
			// WordPress's own object cache (a persistent one, e.g. Redis, keeps options and transients).
			'object cache'         => static function () {
				return wp_cache_flush();
			},
		);
	}

	/**
	 * Empties one cache as purgers() describes it.
	 *
	 * @param array|callable $purger One entry of purgers().
	 * @return bool False when that cache is not present.
	 */
	private static function purge_one( $purger ) {
		if ( ! is_array( $purger ) ) {
			return false !== $purger();
		}
		list( $kind, $name ) = $purger;
		if ( 'function' === $kind ) {
			if ( ! function_exists( $name ) ) {
				return false;
			}
			$name();
			return true;
		}
		if ( ! has_action( $name ) ) {
			return false;
		}
		do_action( $name ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.DynamicHooknameFound -- Other plugins' public hooks.
		return true;
	}

	/**
	 * The sentence for the settings page, e.g. "Purged: WP Rocket, W3 Total Cache, object cache".
	 *
	 * @param string[] $purged Names from all().
	 * @return string Plain text (not escaped).
	 */
	public static function message( array $purged ) {
		if ( ! $purged ) {
			return __( 'Force HTTPS changed; no page cache was found to purge.', 'padlock-store' );
		}
		return sprintf(
			/* translators: %s: comma-separated names of the caches that were emptied, e.g. "WP Rocket, object cache". */
			__( 'Force HTTPS changed, so cached pages were purged. Purged: %s', 'padlock-store' ),
			implode( ', ', $purged )
		);
	}

	/**
	 * Shows (once) what the current user's last Force HTTPS change purged, on the plugin's
	 * settings page only.
	 */
	public static function render_notice() {
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( ! $screen || 'settings_page_padlock-store' !== $screen->id || ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$key    = self::NOTICE_PREFIX . get_current_user_id();
		$purged = get_transient( $key );
		if ( ! is_array( $purged ) ) {
			return;
		}
		delete_transient( $key );
		printf(
			'<div id="padlock-cache-purged" class="notice notice-info is-dismissible"><p>%s</p></div>',
			esc_html( self::message( array_map( 'strval', $purged ) ) )
		);
	}
}
