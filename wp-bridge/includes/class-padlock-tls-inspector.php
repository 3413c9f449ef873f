<?php
/**
 * Looks at an https origin's certificate the way a browser judges it.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Connects to host:port, reads the certificate without trusting it, and names what is wrong with
 * it: nothing listening, no TLS, expired, not yet valid, made for another host, or not trusted
 * by the certificate authorities this WordPress trusts.
 */
final class Padlock_Tls_Inspector {

	/**
	 * Inspects host:port.
	 *
	 * @param string $host    Host name.
	 * @param int    $port    Port.
	 * @param int    $timeout Seconds, for connecting and for the handshake.
	 * @return array{code: string, detail: string, certificate: array{valid_from: int, valid_to: int, names: string[], issuer: string}|null}
	 *         code is '' when the certificate is valid, or one of no_connection, no_tls, expired,
	 *         not_yet_valid, wrong_host, untrusted.
	 */
	public static function inspect( $host, $port, $timeout = 5 ) {
		$address = 'tcp://' . ( false !== strpos( $host, ':' ) ? '[' . trim( $host, '[]' ) . ']' : $host ) . ':' . (int) $port;
		$context = stream_context_create(
			array(
				'ssl' => array(
					'verify_peer'       => false,
					'verify_peer_name'  => false,
					'capture_peer_cert' => true,
					'SNI_enabled'       => true,
					'peer_name'         => $host,
				),
			)
		);
		$socket = self::connect( $address, $timeout, $context, $error );
		if ( ! $socket ) {
			return self::result( 'no_connection', $error );
		}
		$certificate = null;
		$handshake   = self::handshake( $socket, $timeout, $error );
		if ( $handshake ) {
			$params = stream_context_get_params( $socket );
			$peer   = $params['options']['ssl']['peer_certificate'] ?? null;
			$parsed = $peer ? openssl_x509_parse( $peer ) : false;
			if ( is_array( $parsed ) ) {
				$certificate = array(
					'valid_from' => (int) ( $parsed['validFrom_time_t'] ?? 0 ),
					'valid_to'   => (int) ( $parsed['validTo_time_t'] ?? 0 ),
					'names'      => self::names( $parsed ),
					'issuer'     => (string) ( $parsed['issuer']['O'] ?? $parsed['issuer']['CN'] ?? '' ),
				);
			}
		}
		fclose( $socket );
		if ( ! $handshake || null === $certificate ) {
			return self::result( 'no_tls', $error );
		}

		$now = time();
		if ( $certificate['valid_to'] < $now ) {
			return self::result( 'expired', '', $certificate );
		}
		if ( $certificate['valid_from'] > $now ) {
			return self::result( 'not_yet_valid', '', $certificate );
		}
		if ( ! self::covers( $certificate['names'], $host ) ) {
			return self::result( 'wrong_host', '', $certificate );
		}

		// Dates and name are right: is it signed by an authority this server trusts?
		$context = stream_context_create(
			array(
				'ssl' => array(
					'verify_peer'      => true,
					'verify_peer_name' => true,
					'peer_name'        => $host,
					'SNI_enabled'      => true,
					'cafile'           => self::ca_file(),
				),
			)
		);
		$socket = self::connect( $address, $timeout, $context, $error );
		if ( ! $socket ) {
			return self::result( 'no_connection', $error, $certificate );
		}
		$trusted = self::handshake( $socket, $timeout, $error );
		fclose( $socket );
		return self::result( $trusted ? '' : 'untrusted', $trusted ? '' : $error, $certificate );
	}

	/**
	 * The CA bundle WordPress's own HTTP requests verify against.
	 *
	 * @return string
	 */
	private static function ca_file() {
		return ABSPATH . WPINC . '/certificates/ca-bundle.crt';
	}

	/**
	 * A TCP connection, or null with the reason in $error.
	 *
	 * @param string   $address tcp://host:port.
	 * @param int      $timeout Seconds.
	 * @param resource $context Stream context.
	 * @param string   $error   Set to the reason on failure.
	 * @return resource|null
	 */
	private static function connect( $address, $timeout, $context, &$error ) {
		$errno  = 0;
		$errstr = '';
		set_error_handler( // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler
			static function ( $level, $message ) use ( &$errstr ) {
				$errstr = $errstr ? $errstr : $message;
				return true;
			}
		);
		try {
			$socket = stream_socket_client( $address, $errno, $errstr, $timeout, STREAM_CLIENT_CONNECT, $context );
		} finally {
			restore_error_handler();
		}
		if ( ! $socket ) {
			$error = trim( (string) $errstr );
			return null;
		}
		stream_set_timeout( $socket, (int) $timeout );
		return $socket;
	}

	/**
	 * The TLS handshake on a connected socket; false with the reason in $error.
	 *
	 * @param resource $socket  Socket.
	 * @param int      $timeout Seconds (the socket's read timeout bounds the handshake).
	 * @param string   $error   Set to the reason on failure.
	 * @return bool
	 */
	private static function handshake( $socket, $timeout, &$error ) {
		$messages = array();
		set_error_handler( // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler
			static function ( $level, $message ) use ( &$messages ) {
				$messages[] = $message;
				return true;
			}
		);
		try {
			stream_set_blocking( $socket, true );
			$done = stream_socket_enable_crypto( $socket, true, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT );
		} finally {
			restore_error_handler();
		}
		if ( true !== $done ) {
			$error = trim( implode( ' ', $messages ) );
			if ( '' === $error ) {
				$error = stream_get_meta_data( $socket )['timed_out'] ? 'TLS handshake timed out' : 'TLS handshake failed';
			}
			return false;
		}
		return true;
	}

	/**
	 * The DNS names (and IP addresses) a certificate is for: its subjectAltName, else its CN.
	 *
	 * @param array $parsed openssl_x509_parse() result.
	 * @return string[]
	 */
	private static function names( array $parsed ) {
		$names = array();
		$san   = isset( $parsed['extensions']['subjectAltName'] ) ? (string) $parsed['extensions']['subjectAltName'] : '';
		foreach ( array_map( 'trim', explode( ',', $san ) ) as $entry ) {
			if ( preg_match( '/^(?:DNS|IP Address):(.+)$/i', $entry, $m ) ) {
				$names[] = strtolower( trim( $m[1] ) );
			}
		}
		if ( ! $names && isset( $parsed['subject']['CN'] ) && is_string( $parsed['subject']['CN'] ) ) {
			$names[] = strtolower( $parsed['subject']['CN'] );
		}
		return $names;
	}

	/**
	 * Whether one of $names covers $host (a wildcard stands for exactly one left-most label).
	 *
	 * @param string[] $names Certificate names.
	 * @param string   $host  Host name.
	 * @return bool
	 */
	public static function covers( array $names, $host ) {
		$host = strtolower( trim( $host, '[]' ) );
		foreach ( $names as $name ) {
			if ( $name === $host ) {
				return true;
			}
			if ( 0 === strpos( $name, '*.' ) ) {
				$dot = strpos( $host, '.' );
				if ( false !== $dot && $dot > 0 && substr( $host, $dot ) === substr( $name, 1 ) ) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * @param string     $code        Problem code, '' for none.
	 * @param string     $detail      Technical detail.
	 * @param array|null $certificate Certificate facts.
	 * @return array
	 */
	private static function result( $code, $detail = '', $certificate = null ) {
		return array(
			'code'        => $code,
			'detail'      => $detail,
			'certificate' => $certificate,
		);
	}
}
