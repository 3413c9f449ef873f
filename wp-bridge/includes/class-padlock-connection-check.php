<?php
/**
 * "Test connection" on the settings page.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Asks the store whether it answers over HTTPS with a valid certificate and whether this
 * blog's origin may embed it, and keeps the answer for the settings page to show once.
 */
final class Padlock_Connection_Check {

	const ACTION = 'padlock_store_test_connection';
	const TTL    = 5 * MINUTE_IN_SECONDS;

	/**
	 * Hooks the admin-post.php handler.
	 */
	public static function init() {
		add_action( 'admin_post_' . self::ACTION, array( self::class, 'handle' ) );
	}

	/**
	 * The per-user transient holding the last result.
	 *
	 * @return string
	 */
	public static function transient_key() {
		return Padlock_Store_Client::TRANSIENT_PREFIX . 'conn_' . get_current_user_id();
	}

	/**
	 * admin-post.php?action=padlock_store_test_connection.
	 */
	public static function handle() {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to test the store connection.', 'padlock-store' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::ACTION );

		set_transient( self::transient_key(), self::run(), self::TTL );
		wp_safe_redirect( admin_url( 'options-general.php?page=' . Padlock_Settings_Page::SLUG . '&padlock-checked=1' ) );
		exit;
	}

	/**
	 * The origin (scheme://host[:port]) of a URL.
	 *
	 * @param string $url URL.
	 * @return string
	 */
	public static function origin_of( $url ) {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		$scheme = isset( $parts['scheme'] ) ? strtolower( $parts['scheme'] ) : 'http';
		$origin = $scheme . '://' . strtolower( $parts['host'] );
		if ( isset( $parts['port'] ) ) {
			$default = 'https' === $scheme ? 443 : 80;
			if ( (int) $parts['port'] !== $default ) {
				$origin .= ':' . (int) $parts['port'];
			}
		}
		return $origin;
	}

	/**
	 * Origins the store must allow: this blog's (home_url()'s own scheme), and with Force HTTPS
	 * on, the https origin that store pages are redirected to.
	 *
	 * @return string[]
	 */
	public static function blog_origins() {
		$scheme  = wp_parse_url( get_option( 'home' ), PHP_URL_SCHEME );
		$origins = array( self::origin_of( home_url( '/', is_string( $scheme ) ? $scheme : null ) ) );
		if ( Padlock_Settings::force_https() ) {
			$origins[] = Padlock_Force_Https::https_origin();
		}
		return array_values( array_unique( array_filter( $origins ) ) );
	}

	/**
	 * Runs the check.
	 *
	 * @return array{ok: bool, messages: array<int, array{text: string, args: string[]}>}
	 */
	public static function run() {
		$store_url = Padlock_Settings::store_url();
		if ( '' === $store_url ) {
			return self::result( false, array( Padlock_Message::make( __( 'Set and save the store URL first.', 'padlock-store' ) ) ) );
		}

		$origins  = self::blog_origins();
		$messages = array();
		$ok       = true;
		$answered = false;

		foreach ( $origins as $origin ) {
			$response = Padlock_Store_Client::embed_check( $store_url, $origin );

			if ( is_wp_error( $response ) && Padlock_Store_Client::INSECURE_REDIRECT === $response->get_error_code() ) {
				$data = (array) $response->get_error_data();
				return self::result( false, array( self::insecure_redirect( $store_url, (string) ( $data['to'] ?? '' ) ) ) );
			}
			if ( is_wp_error( $response ) ) {
				return self::result( false, array( self::transport_error( $store_url, $response->get_error_message() ) ) );
			}

			$data = Padlock_Store_Client::embed_answer( $response );
			if ( null === $data ) {
				$messages[] = Padlock_Message::make(
					/* translators: 1: store URL, 2: HTTP status code. */
					__( 'A server answered at %1$s over HTTPS with a valid certificate, but not as a Padlock Store (HTTP status %2$s). Check the store URL, and that the store is up to date.', 'padlock-store' ),
					array( $store_url, (string) wp_remote_retrieve_response_code( $response ) )
				);
				return self::result( false, $messages );
			}

			if ( ! $answered ) {
				$answered   = true;
				$messages[] = Padlock_Message::make(
					/* translators: %s: store URL. */
					__( 'The store answered at %s.', 'padlock-store' ),
					array( $store_url )
				);
				$messages[] = Padlock_Message::make( __( 'The connection is HTTPS with a valid certificate.', 'padlock-store' ) );
				$public     = isset( $data['publicUrl'] ) && is_string( $data['publicUrl'] ) ? Padlock_Settings::normalize_store_url( $data['publicUrl'] ) : null;
				if ( is_string( $public ) && '' !== $public && $public !== $store_url ) {
					$messages[] = Padlock_Message::make(
						/* translators: %s: the store's public URL. */
						__( 'The store gives its public address as %s; consider using that as the store URL.', 'padlock-store' ),
						array( $public )
					);
				}
			}

			$forced = $origin !== $origins[0];
			if ( true === $data['originAllowed'] ) {
				$messages[] = $forced
					? Padlock_Message::make(
						/* translators: %s: the https origin that Force HTTPS serves store pages from. */
						__( 'With Force HTTPS on, pages that show the store are served from %s, which is allowed to embed the store too.', 'padlock-store' ),
						array( $origin )
					)
					: Padlock_Message::make(
						/* translators: %s: this site's origin, e.g. https://blog.example. */
						__( 'This site (%s) is allowed to embed the store.', 'padlock-store' ),
						array( $origin )
					);
			} else {
				$ok         = false;
				$messages[] = $forced
					? Padlock_Message::make(
						/* translators: 1: the https origin that Force HTTPS serves store pages from, 2: the origin again, to copy. */
						__( 'With Force HTTPS on, pages that show the store are served from %1$s, which is not allowed to embed the store yet. Add this exact origin to the store\'s EMBED_ORIGINS setting and restart the store: %2$s', 'padlock-store' ),
						array( $origin, $origin )
					)
					: Padlock_Message::make(
						/* translators: 1: this site's origin, 2: the origin again, to copy. */
						__( 'This site (%1$s) is not allowed to embed the store yet. Add this exact origin to the store\'s EMBED_ORIGINS setting and restart the store: %2$s', 'padlock-store' ),
						array( $origin, $origin )
					);
			}
		}

		return self::result( $ok, $messages );
	}

	/**
	 * The store (or a server in front of it) sent the check to a URL that is not HTTPS.
	 *
	 * @param string $store_url Store origin.
	 * @param string $target    Where it redirected to.
	 * @return array{text: string, args: string[]}
	 */
	private static function insecure_redirect( $store_url, $target ) {
		return Padlock_Message::make(
			/* translators: 1: store URL, 2: the http:// URL the store redirected to. */
			__( 'The store at %1$s redirected to %2$s, which is not HTTPS, so the plugin did not follow: it talks to the store over HTTPS only. Make the store (its PUBLIC_URL setting) and any proxy or CDN in front of it keep HTTPS requests on https:// addresses, then test again.', 'padlock-store' ),
			array( $store_url, $target )
		);
	}

	/**
	 * Explains a failed request in plain words; TLS and certificate problems are named as such.
	 *
	 * @param string $store_url Store origin.
	 * @param string $error     wp_remote_get()'s error message.
	 * @return array{text: string, args: string[]}
	 */
	private static function transport_error( $store_url, $error ) {
		// Checked first: a TLS handshake that times out is a dead store, not a bad certificate.
		if ( preg_match( '/timed? ?out/i', $error ) ) {
			return Padlock_Message::make(
				/* translators: 1: store URL, 2: technical error. */
				__( 'The store at %1$s did not answer in time. Check that it is running and reachable from this server. Details: %2$s', 'padlock-store' ),
				array( $store_url, $error )
			);
		}
		// "Unable to connect to ssl://host:port (Connection refused)" names the scheme, not a TLS fault.
		$tls_words = preg_replace( '#\bssl://\S+#i', '', $error );
		if ( ! preg_match( '/refused|could not resolve|resolve host|getaddrinfo|no route/i', $error )
			&& preg_match( '/ssl|tls|certificate|crypto|handshake|verify/i', (string) $tls_words ) ) {
			return Padlock_Message::make(
				/* translators: 1: store URL, 2: technical error. */
				__( 'The store at %1$s did not answer over a secure connection: its HTTPS certificate is not valid or not trusted by this server. Give the store a certificate from a public authority (for example Let\'s Encrypt); for a development store with its own certificate, see PADLOCK_STORE_CA_FILE in the plugin\'s readme. Details: %2$s', 'padlock-store' ),
				array( $store_url, $error )
			);
		}
		return Padlock_Message::make(
			/* translators: 1: store URL, 2: technical error. */
			__( 'The store at %1$s could not be reached. Check the address and that the store is running. Details: %2$s', 'padlock-store' ),
			array( $store_url, $error )
		);
	}

	/**
	 * @param bool  $ok       Whether everything is in order.
	 * @param array $messages Messages.
	 * @return array{ok: bool, messages: array}
	 */
	private static function result( $ok, array $messages ) {
		return array(
			'ok'       => $ok,
			'messages' => $messages,
		);
	}

	/**
	 * Prints (once) the last result for the current user as an admin notice.
	 */
	public static function render_notice() {
		$key    = self::transient_key();
		$result = get_transient( $key );
		if ( ! is_array( $result ) || ! isset( $result['messages'] ) ) {
			return;
		}
		delete_transient( $key );

		printf(
			'<div id="padlock-connection-result" class="notice %s">',
			esc_attr( empty( $result['ok'] ) ? 'notice-error' : 'notice-success' )
		);
		foreach ( (array) $result['messages'] as $message ) {
			echo '<p>' . Padlock_Message::html( (array) $message ) . '</p>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by Padlock_Message::html().
		}
		echo '</div>';
	}
}
