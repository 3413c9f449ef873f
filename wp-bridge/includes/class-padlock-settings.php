<?php
/**
 * The plugin's one option, `padlock_store_settings`, and its validation.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Reads, registers and sanitises `padlock_store_settings` = { store_url, force_https }.
 */
final class Padlock_Settings {

	const OPTION = 'padlock_store_settings';
	const GROUP  = 'padlock_store';

	/**
	 * Hooks the setting's registration.
	 */
	public static function init() {
		add_action( 'admin_init', array( self::class, 'register' ) );
	}

	/**
	 * Activation: store the defaults so the first save goes through update_option() once
	 * (otherwise WordPress sanitises a not-yet-existing option twice).
	 */
	public static function activate() {
		add_option( self::OPTION, self::defaults() );
	}

	/**
	 * @return array{store_url: string, force_https: bool}
	 */
	public static function defaults() {
		return array(
			'store_url'   => '',
			'force_https' => false,
		);
	}

	/**
	 * Registers the option with the Settings API.
	 */
	public static function register() {
		register_setting(
			self::GROUP,
			self::OPTION,
			array(
				'type'              => 'array',
				'description'       => __( 'Padlock Store connection settings', 'padlock-store' ),
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'show_in_rest'      => false,
				'default'           => self::defaults(),
			)
		);
	}

	/**
	 * The stored settings, normalised.
	 *
	 * @return array{store_url: string, force_https: bool}
	 */
	public static function get() {
		$value = get_option( self::OPTION, self::defaults() );
		if ( ! is_array( $value ) ) {
			$value = array();
		}
		return array(
			'store_url'   => isset( $value['store_url'] ) && is_string( $value['store_url'] ) ? $value['store_url'] : '',
			'force_https' => ! empty( $value['force_https'] ),
		);
	}

	/**
	 * The configured store origin (https, no trailing slash), or '' when none is usable.
	 * Re-validated on read so that a value written around the settings page is never emitted.
	 *
	 * @return string
	 */
	public static function store_url() {
		$url = self::normalize_store_url( self::get()['store_url'] );
		return null === $url ? '' : $url;
	}

	/**
	 * @return bool
	 */
	public static function force_https() {
		return self::get()['force_https'];
	}

	/**
	 * Reduces a URL to its https origin: `https://host[:port]`, lower-case host, no path,
	 * no trailing slash.
	 *
	 * @param string $url Raw URL.
	 * @return string|null The origin, '' for an empty input, null when not a usable https URL.
	 */
	public static function normalize_store_url( $url ) {
		$url = trim( (string) $url );
		if ( '' === $url ) {
			return '';
		}
		if ( 0 !== stripos( $url, 'https://' ) ) {
			return null;
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			return null;
		}
		$host = strtolower( $parts['host'] );
		if ( ! preg_match( '/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/', $host ) ) {
			return null;
		}
		$origin = 'https://' . $host;
		if ( isset( $parts['port'] ) && 443 !== (int) $parts['port'] ) {
			$origin .= ':' . (int) $parts['port'];
		}
		return $origin;
	}

	/**
	 * Settings API sanitize callback. May run twice on one save (WordPress calls it again
	 * inside add_option()), so it accepts its own output and reports each error once.
	 *
	 * @param mixed $input Submitted value.
	 * @return array{store_url: string, force_https: bool}
	 */
	public static function sanitize( $input ) {
		$old   = self::get();
		$input = is_array( $input ) ? $input : array();

		$raw_url = isset( $input['store_url'] ) && is_string( $input['store_url'] ) ? $input['store_url'] : '';
		$url     = self::normalize_store_url( $raw_url );
		if ( null === $url ) {
			$url = $old['store_url'];
			if ( 0 !== stripos( trim( $raw_url ), 'https://' ) ) {
				self::error( 'padlock_store_url_https', __( 'The store URL must start with https://', 'padlock-store' ) );
			} else {
				self::error( 'padlock_store_url_invalid', __( 'The store URL is not a valid address. Enter the store\'s origin, for example https://shop.example.com', 'padlock-store' ) );
			}
		}

		$force = isset( $input['force_https'] ) && in_array( $input['force_https'], array( '1', 1, true ), true );

		return array(
			'store_url'   => $url,
			'force_https' => $force,
		);
	}

	/**
	 * Adds a settings error once per request.
	 *
	 * @param string $code    Error code.
	 * @param string $message Message shown to the owner.
	 */
	private static function error( $code, $message ) {
		foreach ( get_settings_errors( self::OPTION ) as $existing ) {
			if ( $existing['code'] === $code ) {
				return;
			}
		}
		add_settings_error( self::OPTION, $code, $message, 'error' );
	}
}
