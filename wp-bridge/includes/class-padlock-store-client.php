<?php
/**
 * The plugin's only way to talk to the store: its public HTTP API over HTTPS.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Fetches SEO snapshots (cached) and runs the embed check.
 */
final class Padlock_Store_Client {

	const TRANSIENT_PREFIX = 'padlock_store_';
	const SNAPSHOT_TTL     = 10 * MINUTE_IN_SECONDS;
	const FAILURE_TTL      = MINUTE_IN_SECONDS;
	const SNAPSHOT_TIMEOUT = 2;
	const CHECK_TIMEOUT    = 5;
	const MAX_SNAPSHOT     = 1048576;

	/**
	 * Why the last snapshot() of a URL failed in this request, by URL (for administrators).
	 *
	 * @var array<string, string>
	 */
	private static $failures = array();

	/**
	 * How many redirects a request to the store follows, each only to another https:// URL.
	 */
	const MAX_REDIRECTS = 2;

	/**
	 * The WP_Error code of a request that the store redirected to a URL that is not https://.
	 */
	const INSECURE_REDIRECT = 'padlock_store_insecure_redirect';

	/**
	 * Arguments for every request to the store: certificates are always verified; a
	 * development CA (PEM) may be trusted with the PADLOCK_STORE_CA_FILE constant.
	 * `redirection` is the number of https→https redirects that get() follows itself.
	 *
	 * @param int|float $timeout Seconds.
	 * @return array
	 */
	public static function request_args( $timeout ) {
		$args = array(
			'timeout'     => $timeout,
			'sslverify'   => true,
			'redirection' => self::MAX_REDIRECTS,
			'user-agent'  => 'PadlockStore-WordPress/' . PADLOCK_STORE_VERSION . '; ' . home_url( '/' ),
		);
		if ( defined( 'PADLOCK_STORE_CA_FILE' ) && is_string( PADLOCK_STORE_CA_FILE ) && '' !== PADLOCK_STORE_CA_FILE ) {
			$args['sslcertificates'] = PADLOCK_STORE_CA_FILE;
		}
		return $args;
	}

	/**
	 * wp_remote_get() with the timeout also applied to connecting and the TLS handshake:
	 * WordPress passes only `timeout` to its Requests library, whose own connect timeout is 10 s,
	 * which is what a store that accepts connections but never answers would cost.
	 *
	 * Redirects are followed here, not by WordPress: only to https:// URLs, at most
	 * `$args['redirection']` of them (each with the full timeout). A redirect to http:// (or any
	 * other scheme) is not followed: the answer is a WP_Error with the code INSECURE_REDIRECT and
	 * the data array( 'from' => URL, 'to' => absolute Location ), so nothing — not the request,
	 * not the store's answer — ever goes over plain HTTP.
	 *
	 * @param string $url  URL (https://).
	 * @param array  $args wp_remote_get() arguments.
	 * @return array|WP_Error
	 */
	public static function get( $url, array $args ) {
		$timeout   = (float) $args['timeout'];
		$redirects = isset( $args['redirection'] ) ? max( 0, (int) $args['redirection'] ) : self::MAX_REDIRECTS;
		$limit     = static function ( $request_url, $headers, $data, $type, &$options ) use ( $timeout ) {
			if ( ! isset( $options['connect_timeout'] ) || $options['connect_timeout'] > $timeout ) {
				$options['connect_timeout'] = $timeout;
			}
		};
		$args['redirection'] = 0;
		add_action( 'requests-requests.before_request', $limit, 10, 5 );
		try {
			for ( $hop = 0; ; $hop++ ) {
				$response = wp_remote_get( $url, $args );
				$code     = (int) wp_remote_retrieve_response_code( $response );
				$location = (string) wp_remote_retrieve_header( $response, 'location' );
				if ( is_wp_error( $response ) || $code < 300 || $code > 399 || '' === $location ) {
					return $response;
				}
				$next = WP_Http::make_absolute_url( $location, $url );
				if ( 'https' !== strtolower( (string) wp_parse_url( $next, PHP_URL_SCHEME ) ) ) {
					return new WP_Error(
						self::INSECURE_REDIRECT,
						sprintf(
							/* translators: 1: requested URL, 2: the URL it redirected to. */
							__( '%1$s redirected to %2$s, which is not HTTPS; the redirect was not followed.', 'padlock-store' ),
							$url,
							$next
						),
						array(
							'from' => $url,
							'to'   => $next,
						)
					);
				}
				if ( $hop >= $redirects ) {
					return $response;
				}
				$url = $next;
			}
		} finally {
			remove_action( 'requests-requests.before_request', $limit, 10 );
		}
	}

	/**
	 * The snapshot URL for a view, or '' when the view has none (the cart is noindex).
	 *
	 * @param string $store_url Store origin.
	 * @param string $view      catalog|product|cart.
	 * @param string $product   Sanitised product slug.
	 * @param string $category  Sanitised category slug, '' for the whole catalog.
	 * @return string
	 */
	public static function snapshot_url( $store_url, $view, $product, $category = '' ) {
		if ( 'catalog' === $view ) {
			return $store_url . '/seo/catalog' . ( '' === $category ? '' : '?category=' . rawurlencode( $category ) );
		}
		if ( 'product' === $view && '' !== $product ) {
			return $store_url . '/seo/products/' . rawurlencode( $product );
		}
		return '';
	}

	/**
	 * The transient key for a URL (fixed length, one shared prefix for uninstall).
	 *
	 * @param string $url URL.
	 * @return string
	 */
	public static function snapshot_key( $url ) {
		return self::TRANSIENT_PREFIX . 'seo_' . md5( $url );
	}

	/**
	 * The transient that marks a whole store unreachable for a minute, so that the other
	 * widgets of a page do not wait for it too.
	 *
	 * @param string $store_url Store origin.
	 * @return string
	 */
	private static function down_key( $store_url ) {
		return self::TRANSIENT_PREFIX . 'down_' . md5( $store_url );
	}

	/**
	 * The HTML fragment at $url, cached 10 minutes. A failure is cached for one minute (and an
	 * unreachable store is marked down for one minute), so a store that is down costs visitors
	 * at most one short wait per minute.
	 *
	 * @param string $store_url Store origin.
	 * @param string $url       Snapshot URL on that store.
	 * @return string|null The raw fragment (not yet filtered), or null when unavailable.
	 */
	public static function snapshot( $store_url, $url ) {
		$key    = self::snapshot_key( $url );
		$cached = get_transient( $key );
		if ( is_array( $cached ) && isset( $cached['ok'] ) ) {
			if ( $cached['ok'] ) {
				return (string) $cached['body'];
			}
			self::$failures[ $url ] = (string) ( $cached['reason'] ?? '' );
			return null;
		}
		$down = get_transient( self::down_key( $store_url ) );
		if ( is_array( $down ) ) {
			self::$failures[ $url ] = (string) ( $down['reason'] ?? '' );
			return null;
		}

		$args                        = self::request_args( self::SNAPSHOT_TIMEOUT );
		$args['limit_response_size'] = self::MAX_SNAPSHOT;
		$args['headers']             = array( 'Accept' => 'text/html' );
		$response                    = self::get( $url, $args );

		$body   = null;
		$reason = '';
		if ( is_wp_error( $response ) ) {
			$reason = $response->get_error_message();
			set_transient( self::down_key( $store_url ), array( 'reason' => $reason ), self::FAILURE_TTL );
		} elseif ( 200 !== (int) wp_remote_retrieve_response_code( $response ) ) {
			$reason = 'HTTP ' . (int) wp_remote_retrieve_response_code( $response );
		} elseif ( 0 !== stripos( (string) wp_remote_retrieve_header( $response, 'content-type' ), 'text/html' ) ) {
			$reason = 'Content-Type: ' . (string) wp_remote_retrieve_header( $response, 'content-type' );
		} else {
			$body = (string) wp_remote_retrieve_body( $response );
		}

		if ( null === $body ) {
			self::$failures[ $url ] = $reason;
			set_transient(
				$key,
				array(
					'ok'     => false,
					'reason' => $reason,
				),
				self::FAILURE_TTL
			);
			return null;
		}
		set_transient(
			$key,
			array(
				'ok'   => true,
				'body' => $body,
			),
			self::SNAPSHOT_TTL
		);
		return $body;
	}

	/**
	 * Why snapshot() returned null for $url in this request (transport error or HTTP status).
	 *
	 * @param string $url Snapshot URL.
	 * @return string
	 */
	public static function failure_reason( $url ) {
		return self::$failures[ $url ] ?? '';
	}

	/**
	 * The store's answer to embed_check(), or null when the response is not one (a failed
	 * request, another status, or a server that is not a Padlock Store).
	 *
	 * @param array|WP_Error $response embed_check() result.
	 * @return array{status: string, originAllowed: bool, publicUrl?: string}|null
	 */
	public static function embed_answer( $response ) {
		if ( is_wp_error( $response ) || 200 !== (int) wp_remote_retrieve_response_code( $response ) ) {
			return null;
		}
		$data = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( ! is_array( $data ) || ( $data['status'] ?? null ) !== 'ok' || ! isset( $data['originAllowed'] ) || ! is_bool( $data['originAllowed'] ) ) {
			return null;
		}
		return $data;
	}

	/**
	 * `GET <store>/api/embed-check?origin=…`.
	 *
	 * @param string $store_url Store origin.
	 * @param string $origin    This blog's origin.
	 * @return array|WP_Error The raw response from wp_remote_get().
	 */
	public static function embed_check( $store_url, $origin ) {
		$args            = self::request_args( self::CHECK_TIMEOUT );
		$args['headers'] = array( 'Accept' => 'application/json' );
		return self::get( add_query_arg( 'origin', rawurlencode( $origin ), $store_url . '/api/embed-check' ), $args );
	}
}
