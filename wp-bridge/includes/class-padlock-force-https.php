<?php
/**
 * The site owner's "Force HTTPS" toggle.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * When Force HTTPS is in effect, pages that show the store are redirected from http:// to the
 * same address on https:// (302 until a check has seen a store page work over https, 301 after).
 * A request counts as HTTPS when its own connection is, or when a trusted proxy says so
 * (Padlock_Trusted_Proxies); a client sending such a header itself is redirected like any other.
 * wp-admin, wp-login.php, REST, AJAX, cron and XML-RPC requests are never redirected.
 */
final class Padlock_Force_Https {

	const CRON_HOOK = 'padlock_store_https_check';

	/**
	 * An absolute-form request target: a scheme, then `://`.
	 */
	const ABSOLUTE_FORM = '#^[a-z][a-z0-9+.-]*://#i';

	/**
	 * Whether this request was already redirected or let through.
	 *
	 * @var bool
	 */
	private static $decided = false;

	/**
	 * Hooks the redirect, the after-save check and the daily re-check.
	 */
	public static function init() {
		// An absolute-form request target (`GET http://host/path`, RFC 9112 3.2.2) reaches PHP
		// as-is from some servers; WordPress would not find the page in it (a 404 instead of the
		// store page and its redirect). The origin server's view is the path and query.
		if ( isset( $_SERVER['REQUEST_URI'] ) && preg_match( self::ABSOLUTE_FORM, (string) $_SERVER['REQUEST_URI'] ) ) {
			$_SERVER['REQUEST_URI'] = self::request_path();
		}
		// Behind a trusted TLS-terminating proxy PHP sees plain HTTP, so WordPress would build
		// http:// links into an https page: tell WordPress the visitor used HTTPS.
		if ( ! is_ssl() && Padlock_Trusted_Proxies::trusted_proxy_says_https() ) {
			$_SERVER['HTTPS'] = 'on';
		}
		// Before redirect_canonical() (priority 10), so a page is redirected once, straight to https.
		add_action( 'template_redirect', array( self::class, 'maybe_redirect' ), 5 );
		// A block theme's template (which may hold the store) is only known here.
		add_filter( 'template_include', array( self::class, 'redirect_from_template' ), 1000 );
		add_filter( 'redirect_canonical', array( self::class, 'canonical_on_https_origin' ) );
		add_action( 'update_option_' . Padlock_Settings::OPTION, array( self::class, 'after_save' ), 10, 2 );
		add_action( 'add_option_' . Padlock_Settings::OPTION, array( self::class, 'after_add' ), 10, 2 );
		add_action( self::CRON_HOOK, array( self::class, 'daily_check' ) );
	}

	/**
	 * Whether the current request reached this site over HTTPS.
	 *
	 * @return bool
	 */
	public static function request_is_https() {
		return Padlock_Trusted_Proxies::request_is_https();
	}

	/**
	 * The https origin of this site: home_url()'s host, with its port only when home_url() is
	 * already https (an http port does not speak TLS). During an HTTPS request to that host,
	 * the port the browser used is kept.
	 *
	 * @return string
	 */
	public static function https_origin() {
		$home = wp_parse_url( get_option( 'home' ) );
		$host = isset( $home['host'] ) ? strtolower( $home['host'] ) : '';
		$port = null;
		if ( isset( $home['scheme'] ) && 'https' === strtolower( $home['scheme'] ) && isset( $home['port'] ) ) {
			$port = (int) $home['port'];
		}
		if ( self::request_is_https() && isset( $_SERVER['HTTP_HOST'] ) && is_string( $_SERVER['HTTP_HOST'] ) ) {
			$current = wp_parse_url( 'https://' . $_SERVER['HTTP_HOST'] );
			if ( is_array( $current ) && isset( $current['host'] ) && strtolower( $current['host'] ) === $host ) {
				$port = isset( $current['port'] ) ? (int) $current['port'] : null;
			}
		}
		$origin = 'https://' . $host . ( $port && 443 !== $port ? ':' . $port : '' );

		/**
		 * Filters the https origin that store pages are redirected to and load assets from.
		 *
		 * @param string $origin For example https://blog.example.
		 */
		return (string) apply_filters( 'padlock_store_https_origin', $origin );
	}

	/**
	 * Whether this kind of request is never redirected: admin, login, REST, AJAX, cron, XML-RPC,
	 * anything but GET and HEAD.
	 *
	 * @return bool
	 */
	private static function exempt() {
		global $pagenow;
		if ( is_admin() || wp_doing_ajax() || wp_doing_cron() || ( defined( 'REST_REQUEST' ) && REST_REQUEST )
			|| ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST ) || 'wp-login.php' === $pagenow ) {
			return true;
		}
		$method = isset( $_SERVER['REQUEST_METHOD'] ) ? strtoupper( (string) $_SERVER['REQUEST_METHOD'] ) : 'GET';
		return 'GET' !== $method && 'HEAD' !== $method;
	}

	/**
	 * template_redirect: redirects a plain-HTTP store page to the same path over HTTPS.
	 */
	public static function maybe_redirect() {
		if ( self::$decided || ! Padlock_Settings::force_https() || self::exempt() || self::request_is_https() ) {
			return;
		}
		if ( Padlock_Store_Pages::is_store_page() ) {
			self::redirect();
		}
	}

	/**
	 * template_include (late): the same, once a block theme's template is known.
	 *
	 * @param string $template Template file.
	 * @return string
	 */
	public static function redirect_from_template( $template ) {
		self::maybe_redirect();
		return $template;
	}

	/**
	 * The path and query of this request; an absolute-form request target
	 * (`GET http://host/path`) is reduced to its path and query.
	 *
	 * @return string
	 */
	public static function request_path() {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : '/';
		if ( preg_match( self::ABSOLUTE_FORM, $uri ) ) {
			$parts = wp_parse_url( $uri );
			$uri   = ( isset( $parts['path'] ) ? $parts['path'] : '/' ) . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
		}
		if ( '' === $uri || '/' !== $uri[0] || ( isset( $uri[1] ) && '/' === $uri[1] ) ) {
			// Never a protocol-relative target (//evil.example/…), which would leave this site.
			$uri = '/' . ltrim( $uri, '/' );
		}
		return $uri;
	}

	/**
	 * Sends the redirect and ends the request.
	 */
	private static function redirect() {
		self::$decided = true;
		$origin        = self::https_origin();
		$host          = wp_parse_url( $origin, PHP_URL_HOST );
		if ( ! $host ) {
			return;
		}
		add_filter(
			'allowed_redirect_hosts',
			static function ( $hosts ) use ( $host ) {
				$hosts[] = $host;
				return $hosts;
			}
		);
		$status = Padlock_Https_State::redirect_status();
		if ( 302 === $status ) {
			// Until confirmed, no browser or shared cache may keep the redirect.
			nocache_headers();
			header( 'Cache-Control: no-store, no-cache, must-revalidate, max-age=0' );
		}
		wp_safe_redirect( $origin . self::request_path(), $status, 'Padlock Store' );
		exit;
	}

	/**
	 * redirect_canonical: on a request that arrived over HTTPS, WordPress builds its canonical
	 * URL from the site address, whose port is the plain-HTTP one when the address still says
	 * http:// with a port; that would send the visitor from the https address to https on the
	 * HTTP port, which does not speak TLS. Such a target is moved onto the https origin, so an
	 * unneeded redirect disappears (WordPress skips a target equal to the request) and a needed
	 * one stays on HTTPS.
	 *
	 * @param string|false $redirect_url Canonical target.
	 * @return string|false
	 */
	public static function canonical_on_https_origin( $redirect_url ) {
		if ( ! is_string( $redirect_url ) || ! self::request_is_https() ) {
			return $redirect_url;
		}
		$home = strtolower( (string) wp_parse_url( get_option( 'home' ), PHP_URL_HOST ) );
		$to   = wp_parse_url( $redirect_url );
		if ( '' === $home || ! is_array( $to ) || ! isset( $to['host'] ) || strtolower( $to['host'] ) !== $home ) {
			return $redirect_url;
		}
		$rest = ( $to['path'] ?? '/' ) . ( isset( $to['query'] ) ? '?' . $to['query'] : '' ) . ( isset( $to['fragment'] ) ? '#' . $to['fragment'] : '' );
		return self::https_origin() . $rest;
	}

	/**
	 * The option was just created (first save after activation).
	 *
	 * @param string $option Option name.
	 * @param mixed  $value  New value.
	 */
	public static function after_add( $option, $value ) {
		self::after_save( Padlock_Settings::defaults(), $value );
	}

	/**
	 * After a save: a change of the stored Force HTTPS purges the page caches, withdraws an earlier
	 * confirmation and (re)schedules the daily check; with Force HTTPS on, the check runs again
	 * with the saved settings, and confirms the redirect when it sees a store page work.
	 *
	 * @param mixed $old Previous value.
	 * @param mixed $new New value.
	 */
	public static function after_save( $old, $new ) {
		$was = is_array( $old ) && ! empty( $old['force_https'] );
		$is  = is_array( $new ) && ! empty( $new['force_https'] );
		if ( $was !== $is ) {
			Padlock_Https_State::unconfirm();
			Padlock_Cache_Purge::purge_and_remember();
		}
		if ( Padlock_Settings::force_https() ) {
			if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
				wp_schedule_event( time() + DAY_IN_SECONDS, 'daily', self::CRON_HOOK );
			}
			if ( $was !== $is || ( is_array( $old ) && is_array( $new ) && ( $old['trusted_proxies'] ?? array() ) !== ( $new['trusted_proxies'] ?? array() ) ) ) {
				Padlock_Https_Check::with_saved_settings();
			}
		} else {
			wp_clear_scheduled_hook( self::CRON_HOOK );
		}
	}

	/**
	 * The daily re-check while Force HTTPS is on.
	 */
	public static function daily_check() {
		if ( Padlock_Settings::force_https() ) {
			Padlock_Https_Check::with_saved_settings();
		}
	}
}
