<?php
/**
 * The plugin's one option, `padlock_store_settings`, and its validation.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Reads, registers and sanitises `padlock_store_settings` = { store_url, force_https, trusted_proxies }.
 * Switching Force HTTPS on saves only when the HTTPS check passes (Padlock_Https_Check).
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
	 * @return array{store_url: string, force_https: bool, trusted_proxies: string[]}
	 */
	public static function defaults() {
		return array(
			'store_url'       => '',
			'force_https'     => false,
			'trusted_proxies' => array(),
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
	 * @return array{store_url: string, force_https: bool, trusted_proxies: string[]}
	 */
	public static function get() {
		$value = get_option( self::OPTION, self::defaults() );
		if ( ! is_array( $value ) ) {
			$value = array();
		}
		return array(
			'store_url'       => isset( $value['store_url'] ) && is_string( $value['store_url'] ) ? $value['store_url'] : '',
			'force_https'     => ! empty( $value['force_https'] ),
			'trusted_proxies' => isset( $value['trusted_proxies'] ) ? Padlock_Trusted_Proxies::parse_list( (array) $value['trusted_proxies'] )['valid'] : array(),
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
	 * Whether Force HTTPS is in effect: the PADLOCK_STORE_FORCE_HTTPS constant when wp-config.php
	 * defines it (false switches it off whatever the option says), the option otherwise.
	 *
	 * @return bool
	 */
	public static function force_https() {
		$forced = self::force_https_constant();
		return null === $forced ? self::get()['force_https'] : $forced;
	}

	/**
	 * The PADLOCK_STORE_FORCE_HTTPS constant as a boolean, or null when it is not defined.
	 *
	 * @return bool|null
	 */
	public static function force_https_constant() {
		return defined( 'PADLOCK_STORE_FORCE_HTTPS' ) ? (bool) constant( 'PADLOCK_STORE_FORCE_HTTPS' ) : null;
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
	 * @return array{store_url: string, force_https: bool, trusted_proxies: string[]}
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

		$proxies = Padlock_Trusted_Proxies::parse_list( isset( $input['trusted_proxies'] ) && ( is_string( $input['trusted_proxies'] ) || is_array( $input['trusted_proxies'] ) ) ? $input['trusted_proxies'] : array() );
		if ( $proxies['invalid'] ) {
			self::error(
				'padlock_store_proxy_invalid',
				sprintf(
					/* translators: %s: the entries that were not understood. */
					__( 'These trusted proxy entries are not IP addresses or ranges and were not saved: %s. Enter addresses like 203.0.113.7 or ranges like 10.0.0.0/8, one per line.', 'padlock-store' ),
					implode( ', ', $proxies['invalid'] )
				)
			);
		}

		$force = isset( $input['force_https'] ) && in_array( $input['force_https'], array( '1', 1, true ), true );
		if ( $force && ! $old['force_https'] && false !== self::force_https_constant() ) {
			// Switching on: only when the blog's HTTPS works, as a visitor would get it.
			$check = Padlock_Https_Check::before_switching_on( $url, $proxies['valid'] );
			if ( ! $check['ok'] ) {
				$force = false;
				foreach ( $check['problems'] as $problem ) {
					self::error( 'padlock_store_https_' . $problem['code'], Padlock_Message::html( $problem ) );
				}
			}
		}

		return array(
			'store_url'       => $url,
			'force_https'     => $force,
			'trusted_proxies' => $proxies['valid'],
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
