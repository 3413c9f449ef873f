<?php
/**
 * The site owner's "Force HTTPS" toggle.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * When Force HTTPS is on, pages that show the store are served over HTTPS (301 from http://)
 * and load this site's own scripts and styles over HTTPS. A request that already arrived over
 * HTTPS — directly, or through a TLS-terminating proxy, or after another SSL plugin's
 * redirect — is never redirected, so there is no loop.
 */
final class Padlock_Force_Https {

	/**
	 * Cached answer of is_store_page() for this request.
	 *
	 * @var bool|null
	 */
	private static $store_page = null;

	/**
	 * Hooks the redirect and the asset URL filters.
	 */
	public static function init() {
		// Behind a TLS-terminating proxy PHP sees plain HTTP, so WordPress would build http://
		// links (comment form, canonical, assets) into an https page: mixed content. When the
		// owner forces HTTPS and the proxy says the visitor used it, tell WordPress so.
		if ( Padlock_Settings::force_https() && ! is_ssl() && self::request_is_https() ) {
			$_SERVER['HTTPS'] = 'on';
		}
		// Before redirect_canonical() (priority 10), so a page is redirected once, straight to https.
		add_action( 'template_redirect', array( self::class, 'maybe_redirect' ), 5 );
		add_filter( 'script_loader_src', array( self::class, 'filter_asset_src' ), 20 );
		add_filter( 'style_loader_src', array( self::class, 'filter_asset_src' ), 20 );
	}

	/**
	 * Whether this request reached the site over HTTPS: is_ssl(), or a TLS-terminating proxy
	 * saying so with X-Forwarded-Proto (first value of a list) or X-Forwarded-Ssl.
	 *
	 * @return bool
	 */
	public static function request_is_https() {
		if ( is_ssl() ) {
			return true;
		}
		if ( isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) && is_string( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) ) {
			$first = strtolower( trim( explode( ',', $_SERVER['HTTP_X_FORWARDED_PROTO'] )[0] ) );
			if ( 'https' === $first ) {
				return true;
			}
		}
		if ( isset( $_SERVER['HTTP_X_FORWARDED_SSL'] ) && is_string( $_SERVER['HTTP_X_FORWARDED_SSL'] ) ) {
			if ( 'on' === strtolower( trim( $_SERVER['HTTP_X_FORWARDED_SSL'] ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the current request is a single post or page whose content shows the store.
	 *
	 * @return bool
	 */
	public static function is_store_page() {
		if ( null !== self::$store_page ) {
			return self::$store_page;
		}
		if ( ! did_action( 'wp' ) || is_admin() ) {
			return false;
		}
		$post   = is_singular() ? get_queried_object() : null;
		$result = $post instanceof WP_Post
			&& ( has_shortcode( $post->post_content, 'padlock_store' ) || has_block( 'padlock-store/store', $post ) );

		/**
		 * Filters whether the current request shows the store (and so is forced to HTTPS).
		 *
		 * @param bool          $result Whether the page shows the store.
		 * @param WP_Post|null  $post   The queried post, if singular.
		 */
		self::$store_page = (bool) apply_filters( 'padlock_store_is_store_page', $result, $post instanceof WP_Post ? $post : null );
		return self::$store_page;
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
	 * template_redirect: 301 a plain-HTTP store page to the same path over HTTPS.
	 */
	public static function maybe_redirect() {
		if ( ! Padlock_Settings::force_https() || self::request_is_https() || ! self::is_store_page() ) {
			return;
		}
		$method = isset( $_SERVER['REQUEST_METHOD'] ) ? strtoupper( (string) $_SERVER['REQUEST_METHOD'] ) : 'GET';
		if ( 'GET' !== $method && 'HEAD' !== $method ) {
			return;
		}
		$origin = self::https_origin();
		$host   = wp_parse_url( $origin, PHP_URL_HOST );
		if ( ! $host ) {
			return;
		}
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : '/';
		if ( '' === $uri || '/' !== $uri[0] ) {
			$uri = '/' . $uri;
		}
		add_filter(
			'allowed_redirect_hosts',
			static function ( $hosts ) use ( $host ) {
				$hosts[] = $host;
				return $hosts;
			}
		);
		wp_safe_redirect( $origin . $uri, 301, 'Padlock Store' );
		exit;
	}

	/**
	 * On store pages with Force HTTPS on, turns http:// URLs of this site's own host into
	 * https:// so the page has no mixed content.
	 *
	 * @param string $src Script or style URL.
	 * @return string
	 */
	public static function filter_asset_src( $src ) {
		if ( ! is_string( $src ) || 0 !== stripos( $src, 'http://' ) ) {
			return $src;
		}
		if ( ! Padlock_Settings::force_https() || ! self::is_store_page() ) {
			return $src;
		}
		$host = strtolower( (string) wp_parse_url( get_option( 'home' ), PHP_URL_HOST ) );
		if ( '' === $host ) {
			return $src;
		}
		$pattern = '~^http://' . preg_quote( $host, '~' ) . '(?::\d+)?(?=[/?#]|$)~i';
		$https   = preg_replace( $pattern, self::https_origin(), $src, 1 );
		return is_string( $https ) ? $https : $src;
	}
}
