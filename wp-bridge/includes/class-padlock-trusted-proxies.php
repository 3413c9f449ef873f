<?php
/**
 * Which requests arrived over HTTPS, counting forwarded-scheme headers only from trusted proxies.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Trusted proxy addresses and ranges (settings + the PADLOCK_STORE_TRUSTED_PROXIES constant), the
 * forwarded-scheme headers a request carries, and the one decision "was this request HTTPS?".
 */
final class Padlock_Trusted_Proxies {

	const CONSTANT = 'PADLOCK_STORE_TRUSTED_PROXIES';

	/**
	 * The headers by which proxies and CDNs say which scheme the visitor used, by $_SERVER key.
	 */
	const SCHEME_HEADERS = array(
		'HTTP_X_FORWARDED_PROTO'           => 'X-Forwarded-Proto',
		'HTTP_X_FORWARDED_SSL'             => 'X-Forwarded-Ssl',
		'HTTP_FORWARDED'                   => 'Forwarded',
		'HTTP_CF_VISITOR'                  => 'CF-Visitor',
		'HTTP_CLOUDFRONT_FORWARDED_PROTO'  => 'CloudFront-Forwarded-Proto',
	);

	/**
	 * Splits a list of addresses and ranges (commas, spaces or new lines) into valid and invalid entries.
	 *
	 * @param string|string[] $list Raw list.
	 * @return array{valid: string[], invalid: string[]}
	 */
	public static function parse_list( $list ) {
		$entries = is_array( $list ) ? $list : preg_split( '/[\s,]+/', (string) $list );
		$valid   = array();
		$invalid = array();
		foreach ( (array) $entries as $entry ) {
			$entry = strtolower( trim( (string) $entry ) );
			if ( '' === $entry ) {
				continue;
			}
			if ( null === self::range_of( $entry ) ) {
				$invalid[] = $entry;
			} elseif ( ! in_array( $entry, $valid, true ) ) {
				$valid[] = $entry;
			}
		}
		return array(
			'valid'   => $valid,
			'invalid' => $invalid,
		);
	}

	/**
	 * An address or CIDR range as packed bytes and a prefix length, or null when it is neither.
	 *
	 * @param string $entry `203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`.
	 * @return array{0: string, 1: int}|null
	 */
	private static function range_of( $entry ) {
		$parts  = explode( '/', $entry, 2 );
		$packed = filter_var( $parts[0], FILTER_VALIDATE_IP ) ? inet_pton( $parts[0] ) : false;
		if ( false === $packed ) {
			return null;
		}
		$bits = strlen( $packed ) * 8;
		if ( ! isset( $parts[1] ) ) {
			return array( $packed, $bits );
		}
		if ( ! preg_match( '/^\d{1,3}$/', $parts[1] ) || (int) $parts[1] > $bits ) {
			return null;
		}
		return array( $packed, (int) $parts[1] );
	}

	/**
	 * Whether $ip lies in one of $ranges.
	 *
	 * @param string   $ip     Address.
	 * @param string[] $ranges Valid entries from parse_list().
	 * @return bool
	 */
	public static function matches( $ip, array $ranges ) {
		$packed = filter_var( $ip, FILTER_VALIDATE_IP ) ? inet_pton( $ip ) : false;
		if ( false === $packed ) {
			return false;
		}
		foreach ( $ranges as $entry ) {
			$range = self::range_of( $entry );
			if ( null === $range || strlen( $range[0] ) !== strlen( $packed ) ) {
				continue;
			}
			list( $network, $prefix ) = $range;
			$bytes                    = intdiv( $prefix, 8 );
			$rest                     = $prefix % 8;
			if ( substr( $packed, 0, $bytes ) !== substr( $network, 0, $bytes ) ) {
				continue;
			}
			if ( 0 === $rest ) {
				return true;
			}
			$mask = ( 0xFF << ( 8 - $rest ) ) & 0xFF;
			if ( ( ord( $packed[ $bytes ] ) & $mask ) === ( ord( $network[ $bytes ] ) & $mask ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The entries of the PADLOCK_STORE_TRUSTED_PROXIES constant (a string list or an array).
	 *
	 * @return string[]
	 */
	public static function from_constant() {
		if ( ! defined( self::CONSTANT ) ) {
			return array();
		}
		$value = constant( self::CONSTANT );
		return self::parse_list( is_array( $value ) ? $value : (string) $value )['valid'];
	}

	/**
	 * Every trusted address or range: the settings' and the constant's.
	 *
	 * @param string[]|null $from_settings The settings' list (the saved one when null).
	 * @return string[]
	 */
	public static function ranges( $from_settings = null ) {
		$own = null === $from_settings ? Padlock_Settings::get()['trusted_proxies'] : $from_settings;
		return array_values( array_unique( array_merge( $own, self::from_constant() ) ) );
	}

	/**
	 * What this request tells about its scheme: the peer's address, each forwarded-scheme header
	 * with whether it says https, PHP's HTTPS flag and the server's REQUEST_SCHEME.
	 *
	 * @return array{remote_addr: string, signals: array<int, array{header: string, value: string, https: bool}>, https_flag: bool, request_scheme: string}
	 */
	public static function request_facts() {
		$signals = array();
		foreach ( self::SCHEME_HEADERS as $key => $name ) {
			if ( isset( $_SERVER[ $key ] ) && is_string( $_SERVER[ $key ] ) && '' !== trim( $_SERVER[ $key ] ) ) {
				$value     = substr( trim( wp_unslash( $_SERVER[ $key ] ) ), 0, 200 );
				$signals[] = array(
					'header' => $name,
					'value'  => $value,
					'https'  => self::says_https( $name, $value ),
				);
			}
		}
		$https = isset( $_SERVER['HTTPS'] ) ? strtolower( (string) $_SERVER['HTTPS'] ) : '';
		return array(
			'remote_addr'    => isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : '',
			'signals'        => $signals,
			'https_flag'     => 'on' === $https || '1' === $https || ( isset( $_SERVER['SERVER_PORT'] ) && '443' === (string) $_SERVER['SERVER_PORT'] ),
			'request_scheme' => isset( $_SERVER['REQUEST_SCHEME'] ) ? strtolower( (string) $_SERVER['REQUEST_SCHEME'] ) : '',
		);
	}

	/**
	 * Whether one header's value says the visitor used https (the first, i.e. the client's, hop).
	 *
	 * @param string $header Header name as in SCHEME_HEADERS.
	 * @param string $value  Its value.
	 * @return bool
	 */
	public static function says_https( $header, $value ) {
		$value = strtolower( trim( $value ) );
		switch ( $header ) {
			case 'X-Forwarded-Proto':
			case 'CloudFront-Forwarded-Proto':
				return 'https' === trim( explode( ',', $value )[0] );
			case 'X-Forwarded-Ssl':
				return 'on' === $value;
			case 'Forwarded':
				$first = explode( ',', $value )[0];
				return (bool) preg_match( '/(?:^|;)\s*proto\s*=\s*"?https"?\s*(?:;|$)/', $first );
			case 'CF-Visitor':
				$data = json_decode( $value, true );
				return is_array( $data ) && isset( $data['scheme'] ) && 'https' === $data['scheme'];
		}
		return false;
	}

	/**
	 * The decision, from a request's facts and the trusted ranges:
	 * - from a trusted proxy, a forwarded header saying https counts;
	 * - otherwise only the connection itself counts. PHP's HTTPS flag is not believed when an
	 *   untrusted forwarded header says https and the server gives no REQUEST_SCHEME of its own:
	 *   that flag is then usually copied from the header by a wp-config.php snippet, so any
	 *   client could set it.
	 *
	 * @param array    $facts  From request_facts().
	 * @param string[] $ranges Trusted ranges.
	 * @return bool
	 */
	public static function decide( array $facts, array $ranges ) {
		$signalled = false;
		foreach ( $facts['signals'] as $signal ) {
			$signalled = $signalled || $signal['https'];
		}
		if ( $signalled && self::matches( $facts['remote_addr'], $ranges ) ) {
			return true;
		}
		if ( 'https' === $facts['request_scheme'] ) {
			return true;
		}
		if ( '' !== $facts['request_scheme'] ) {
			return false;
		}
		return $facts['https_flag'] && ! $signalled;
	}

	/**
	 * The https signal a proxy sent on this request, whoever sent it.
	 *
	 * @param array $facts From request_facts().
	 * @return array{header: string, value: string}|null
	 */
	public static function https_signal( array $facts ) {
		foreach ( $facts['signals'] as $signal ) {
			if ( $signal['https'] ) {
				return array(
					'header' => $signal['header'],
					'value'  => $signal['value'],
				);
			}
		}
		return null;
	}

	/**
	 * Whether the current request reached this site over HTTPS.
	 *
	 * @return bool
	 */
	public static function request_is_https() {
		return self::decide( self::request_facts(), self::ranges() );
	}

	/**
	 * Whether the current request comes from a trusted proxy that says the visitor used HTTPS.
	 *
	 * @return bool
	 */
	public static function trusted_proxy_says_https() {
		$facts = self::request_facts();
		return null !== self::https_signal( $facts ) && self::matches( $facts['remote_addr'], self::ranges() );
	}
}
