<?php
/**
 * The answer to the HTTPS check's own requests: what this WordPress saw of them.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * `GET /?padlock_store_probe=<token>` answers JSON with the request's scheme facts (peer address,
 * forwarded-scheme headers, PHP's HTTPS flag) and a proof that this WordPress answered: an HMAC of
 * the token under this site's salt. Only a token that a running check stored answers; anything
 * else is an ordinary page view.
 */
final class Padlock_Https_Probe {

	const PARAM     = 'padlock_store_probe';
	const TRANSIENT = 'padlock_store_probe';
	const TTL       = 2 * MINUTE_IN_SECONDS;

	/**
	 * Hooks the answer early, before themes and redirects.
	 */
	public static function init() {
		add_action( 'init', array( self::class, 'maybe_answer' ), 0 );
	}

	/**
	 * A new token for one check; it answers for two minutes.
	 *
	 * @return string
	 */
	public static function issue() {
		$token = wp_generate_password( 32, false, false );
		set_transient( self::TRANSIENT, hash( 'sha256', $token ), self::TTL );
		return $token;
	}

	/**
	 * Ends a check's token.
	 */
	public static function revoke() {
		delete_transient( self::TRANSIENT );
	}

	/**
	 * The proof a probe answer carries for $token.
	 *
	 * @param string $token Token.
	 * @return string
	 */
	public static function proof( $token ) {
		return hash_hmac( 'sha256', 'padlock-store-probe|' . $token, wp_salt( 'nonce' ) );
	}

	/**
	 * init: answers a probe with a valid token.
	 */
	public static function maybe_answer() {
		if ( ! isset( $_GET[ self::PARAM ] ) || ! is_string( $_GET[ self::PARAM ] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
			return;
		}
		$token    = sanitize_text_field( wp_unslash( $_GET[ self::PARAM ] ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended
		$expected = get_transient( self::TRANSIENT );
		if ( ! is_string( $expected ) || ! hash_equals( $expected, hash( 'sha256', $token ) ) ) {
			return;
		}
		nocache_headers();
		header( 'Cache-Control: no-store' );
		wp_send_json(
			array(
				'proof' => self::proof( $token ),
				'facts' => Padlock_Trusted_Proxies::request_facts(),
			)
		);
	}
}
