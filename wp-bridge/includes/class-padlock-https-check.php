<?php
/**
 * The HTTPS check: before Force HTTPS is switched on, after it is saved, from the status panel,
 * from Site Health and once a day.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Requests this blog's https address and one store page as a visitor would (certificate
 * verified, redirects followed one by one), asks the store whether the https origin may embed
 * it, and says in plain words what is wrong and what to do.
 */
final class Padlock_Https_Check {

	const TIMEOUT       = 5;
	const MAX_REDIRECTS = 5;
	const EXPIRY_WARNING_DAYS = 14;

	/**
	 * The problem codes that mean this site's own HTTPS does not work (as opposed to the store,
	 * the proxy's trust or a store page).
	 */
	const SITE_HTTPS_PROBLEMS = array( 'no_https', 'certificate_expired', 'certificate_not_yet_valid', 'certificate_wrong_host', 'certificate_untrusted', 'not_this_site', 'bad_status', 'request_failed', 'redirects_to_http', 'redirect_loop' );

	/**
	 * Results already computed in this request, by their arguments (the Settings API may
	 * sanitize one save twice).
	 *
	 * @var array<string, array>
	 */
	private static $memo = array();

	/**
	 * The check a save runs before switching Force HTTPS on, with the values being saved.
	 *
	 * @param string   $store_url Store origin being saved.
	 * @param string[] $trusted   Trusted proxies being saved.
	 * @return array The result (see run()).
	 */
	public static function before_switching_on( $store_url, array $trusted ) {
		$key = md5( wp_json_encode( array( $store_url, $trusted ) ) );
		if ( ! isset( self::$memo[ $key ] ) ) {
			self::$memo[ $key ] = self::run( $store_url, Padlock_Trusted_Proxies::ranges( $trusted ) );
			Padlock_Https_State::record( self::$memo[ $key ], false );
		}
		return self::$memo[ $key ];
	}

	/**
	 * The check with the saved settings; with Force HTTPS on, a store page seen working over
	 * https confirms it (store pages then get 301 instead of 302).
	 *
	 * @return array The result (see run()).
	 */
	public static function with_saved_settings() {
		$result = self::run( Padlock_Settings::store_url(), Padlock_Trusted_Proxies::ranges() );
		Padlock_Https_State::record( $result, Padlock_Settings::force_https() );
		return $result;
	}

	/**
	 * Runs every step.
	 *
	 * @param string   $store_url Store origin ('' when not set).
	 * @param string[] $trusted   Trusted proxy ranges.
	 * @return array{ok: bool, checked_at: int, origin: string, problems: array, notes: array, certificate: array|null, proxy: array|null, store_page: array|null, mixed: string[], embed: array}
	 */
	public static function run( $store_url, array $trusted ) {
		$origin = Padlock_Force_Https::https_origin();
		$result = array(
			'ok'          => false,
			'checked_at'  => time(),
			'origin'      => $origin,
			'problems'    => array(),
			'notes'       => array(),
			'certificate' => null,
			'proxy'       => null,
			'store_page'  => null,
			'mixed'       => array(),
			'embed'       => array(
				'checked' => false,
				'allowed' => array(),
				'refused' => array(),
			),
		);

		$host = (string) wp_parse_url( $origin, PHP_URL_HOST );
		$port = (int) ( wp_parse_url( $origin, PHP_URL_PORT ) ?? 443 );
		$tls  = Padlock_Tls_Inspector::inspect( $host, $port, self::TIMEOUT );
		$result['certificate'] = $tls['certificate'];
		if ( '' !== $tls['code'] ) {
			$result['problems'][] = self::certificate_problem( $tls, $origin, $host );
			return self::finish( $result, $store_url );
		}
		$days_left = (int) floor( ( $tls['certificate']['valid_to'] - time() ) / DAY_IN_SECONDS );
		if ( $days_left < self::EXPIRY_WARNING_DAYS ) {
			$result['notes'][] = Padlock_Message::make(
				/* translators: 1: https origin, 2: expiry date, 3: days left. */
				_n(
					'The HTTPS certificate of %1$s expires on %2$s, in %3$s day. Renew it before then (most hosts renew automatically; check that renewal works), or visitors will see a security warning.',
					'The HTTPS certificate of %1$s expires on %2$s, in %3$s days. Renew it before then (most hosts renew automatically; check that renewal works), or visitors will see a security warning.',
					max( 0, $days_left ),
					'padlock-store'
				),
				array( $origin, self::date( $tls['certificate']['valid_to'] ), (string) max( 0, $days_left ) ),
				'certificate_expires_soon'
			);
		}

		// The home page over https, carrying a probe token: the answer proves it is this site and
		// says what WordPress saw of the request (proxy address and headers).
		$token = Padlock_Https_Probe::issue();
		try {
			$home  = $origin . self::home_path();
			$probe = self::follow( add_query_arg( Padlock_Https_Probe::PARAM, $token, $home ) );
			if ( null !== $probe['problem'] ) {
				$result['problems'][] = $probe['problem'];
				return self::finish( $result, $store_url );
			}
			$answer = json_decode( $probe['body'], true );
			if ( 200 !== $probe['status'] || ! is_array( $answer ) || ! isset( $answer['proof'], $answer['facts'] ) || ! is_string( $answer['proof'] )
				|| ! hash_equals( Padlock_Https_Probe::proof( $token ), $answer['proof'] ) ) {
				$result['problems'][] = 200 === $probe['status']
					? Padlock_Message::make(
						/* translators: %s: https address. */
						__( '%s answers over HTTPS, but not with this WordPress site: the address may point to another server, a parked or placeholder page, or a different site on the same host. Ask your host to serve this site over HTTPS, then try again.', 'padlock-store' ),
						array( $probe['url'] ),
						'not_this_site'
					)
					: Padlock_Message::make(
						/* translators: 1: https address, 2: HTTP status code. */
						__( '%1$s answered over HTTPS with the error status %2$s instead of this site. Check your host\'s HTTPS set-up (or your proxy or CDN), then try again.', 'padlock-store' ),
						array( $probe['url'], (string) $probe['status'] ),
						'bad_status'
					);
				return self::finish( $result, $store_url );
			}
		} finally {
			Padlock_Https_Probe::revoke();
		}

		$facts  = self::facts( $answer['facts'] );
		$signal = Padlock_Trusted_Proxies::https_signal( $facts );
		if ( null !== $signal ) {
			$result['proxy'] = array(
				'address' => $facts['remote_addr'],
				'header'  => $signal['header'],
				'value'   => $signal['value'],
				'trusted' => Padlock_Trusted_Proxies::matches( $facts['remote_addr'], $trusted ),
			);
		}
		if ( ! Padlock_Trusted_Proxies::decide( $facts, $trusted ) ) {
			$result['problems'][] = null !== $signal
				? Padlock_Message::make(
					/* translators: 1: proxy address, 2: header and value. */
					__( 'HTTPS requests reach WordPress through a proxy at %1$s, which says the visitor used HTTPS (%2$s). That address is not a trusted proxy yet, so Force HTTPS would redirect those visitors to HTTPS again and again. If this proxy is your host\'s, your CDN\'s or your load balancer\'s, trust it (button below), then save again.', 'padlock-store' ),
					array( $facts['remote_addr'], $signal['header'] . ': ' . $signal['value'] ),
					'proxy_untrusted'
				)
				: Padlock_Message::make(
					/* translators: %s: https address. */
					__( 'Requests to %s arrive at WordPress as plain HTTP, and nothing says the visitor used HTTPS: Force HTTPS would redirect them again and again. If a proxy or CDN handles HTTPS for this site, make it send X-Forwarded-Proto: https (or Forwarded: proto=https) and trust its address below.', 'padlock-store' ),
					array( $origin ),
					'https_not_seen'
				);
			return self::finish( $result, $store_url );
		}

		$result = self::check_store_page( $result, $origin );
		return self::finish( $result, $store_url );
	}

	/**
	 * Loads one page that shows the store over https: it must answer 200 with the store in it;
	 * its http:// sub-resources are listed.
	 *
	 * @param array  $result Result so far.
	 * @param string $origin Https origin.
	 * @return array
	 */
	private static function check_store_page( array $result, $origin ) {
		$url = class_exists( 'Padlock_Store_Pages' ) ? Padlock_Store_Pages::first_url() : null;
		if ( null === $url ) {
			$result['notes'][] = Padlock_Message::make(
				__( 'No published page shows the store yet, so none could be loaded over HTTPS. Add the block or shortcode to a page and run the check again: until a check has seen a store page work over HTTPS, store pages are redirected with a temporary (302) redirect.', 'padlock-store' ),
				array(),
				'no_store_page'
			);
			return $result;
		}
		$https_url = self::on_origin( $url, $origin );
		$page      = self::follow( $https_url );
		$ok        = null === $page['problem'] && 200 === $page['status'] && false !== strpos( $page['body'], 'data-padlock-store' );
		$result['store_page'] = array(
			'url' => $https_url,
			'ok'  => $ok,
		);
		if ( null !== $page['problem'] ) {
			$result['problems'][] = $page['problem'];
		} elseif ( ! $ok ) {
			$result['problems'][] = Padlock_Message::make(
				/* translators: 1: page address, 2: HTTP status code. */
				__( 'The page %1$s, which shows the store, answered over HTTPS with status %2$s and without the store in it. Open it in a browser to see what is wrong.', 'padlock-store' ),
				array( $page['url'], (string) $page['status'] ),
				'store_page_failed'
			);
		} elseif ( class_exists( 'Padlock_Mixed_Content' ) ) {
			$result['mixed'] = array_slice( Padlock_Mixed_Content::http_subresources( $page['body'] ), 0, 20 );
		}
		return $result;
	}

	/**
	 * Asks the store whether the https origin (and the blog's own origin) may embed it, then
	 * closes the result.
	 *
	 * @param array  $result    Result so far.
	 * @param string $store_url Store origin.
	 * @return array
	 */
	private static function finish( array $result, $store_url ) {
		if ( '' !== $store_url ) {
			$origins = array_values( array_unique( array( $result['origin'], Padlock_Connection_Check::origin_of( home_url( '/' ) ) ) ) );
			foreach ( $origins as $origin ) {
				$data = Padlock_Store_Client::embed_answer( Padlock_Store_Client::embed_check( $store_url, $origin ) );
				if ( null === $data ) {
					$result['notes'][] = Padlock_Message::make(
						/* translators: %s: store URL. */
						__( 'The store at %s could not be asked whether this site may embed it; use "Test connection" for the details.', 'padlock-store' ),
						array( $store_url ),
						'store_unreachable'
					);
					break;
				}
				$result['embed']['checked'] = true;
				$result['embed'][ true === $data['originAllowed'] ? 'allowed' : 'refused' ][] = $origin;
			}
			if ( in_array( $result['origin'], $result['embed']['refused'], true ) ) {
				$result['problems'][] = Padlock_Message::make(
					/* translators: 1: https origin, 2: the value to add. */
					__( 'The store does not allow %1$s to embed it yet, so the shop would not load on pages served over HTTPS. Add this exact value to the store\'s EMBED_ORIGINS setting (comma-separated with the others) and restart the store: %2$s', 'padlock-store' ),
					array( $result['origin'], $result['origin'] ),
					'embed_refused'
				);
			}
		}
		$result['ok'] = ! $result['problems'];
		return $result;
	}

	/**
	 * GETs $url with certificate verification, following https redirects (the store client's
	 * walk, which refuses one to plain HTTP), and names a redirect to plain HTTP, a loop, or a
	 * failed request.
	 *
	 * @param string $url Https URL.
	 * @return array{status: int, body: string, url: string, problem: array|null}
	 */
	private static function follow( $url ) {
		$args = Padlock_Store_Client::request_args( self::TIMEOUT );
		unset( $args['sslcertificates'] ); // The blog's own certificate must be publicly trusted; the store's CA file is for the store.
		$args['redirection']         = self::MAX_REDIRECTS;
		$args['limit_response_size'] = 2097152;
		$args['headers']             = array( 'Cache-Control' => 'no-cache' );
		$response                    = Padlock_Store_Client::get( $url, $args );
		if ( is_wp_error( $response ) && Padlock_Store_Client::INSECURE_REDIRECT === $response->get_error_code() ) {
			$data = (array) $response->get_error_data();
			return self::fetched(
				0,
				'',
				$url,
				Padlock_Message::make(
					/* translators: 1: https address, 2: where it redirects. */
					__( '%1$s redirects back to plain HTTP (%2$s). With Force HTTPS on, visitors would be sent back and forth between the two. Remove the redirect to http:// (a setting of your host, CDN, web server or another plugin), then try again.', 'padlock-store' ),
					array( $url, isset( $data['to'] ) ? (string) $data['to'] : '' ),
					'redirects_to_http'
				)
			);
		}
		if ( is_wp_error( $response ) ) {
			return self::fetched(
				0,
				'',
				$url,
				Padlock_Message::make(
					/* translators: 1: https address, 2: technical error. */
					__( 'Requesting %1$s over HTTPS failed. Details: %2$s', 'padlock-store' ),
					array( $url, $response->get_error_message() ),
					'request_failed'
				)
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		if ( $status >= 300 && $status < 400 ) {
			return self::fetched(
				$status,
				'',
				$url,
				Padlock_Message::make(
					/* translators: 1: https address, 2: where the last redirect points. */
					__( '%1$s redirects in a loop (the last redirect, after several, points to %2$s): a browser would give up with "too many redirects". This usually comes from a proxy or CDN whose HTTPS WordPress does not see, or from two plugins or server rules redirecting against each other. Fix the loop, then try again.', 'padlock-store' ),
					array( $url, (string) wp_remote_retrieve_header( $response, 'location' ) ),
					'redirect_loop'
				)
			);
		}
		return self::fetched( $status, (string) wp_remote_retrieve_body( $response ), $url, null );
	}

	/**
	 * @param int        $status  HTTP status.
	 * @param string     $body    Body.
	 * @param string     $url     Last URL requested.
	 * @param array|null $problem Message.
	 * @return array
	 */
	private static function fetched( $status, $body, $url, $problem ) {
		return array(
			'status'  => $status,
			'body'    => $body,
			'url'     => $url,
			'problem' => $problem,
		);
	}

	/**
	 * The message for a certificate or connection problem.
	 *
	 * @param array  $tls    Padlock_Tls_Inspector::inspect() result.
	 * @param string $origin Https origin.
	 * @param string $host   Host name.
	 * @return array
	 */
	private static function certificate_problem( array $tls, $origin, $host ) {
		$cert = $tls['certificate'];
		switch ( $tls['code'] ) {
			case 'no_connection':
				return Padlock_Message::make(
					/* translators: 1: https origin, 2: technical error. */
					__( 'This site does not answer over HTTPS at %1$s: nothing accepts secure connections there. Ask your host to set up HTTPS for this site (most offer free Let\'s Encrypt certificates), then try again. Details: %2$s', 'padlock-store' ),
					array( $origin, $tls['detail'] ),
					'no_https'
				);
			case 'no_tls':
				return Padlock_Message::make(
					/* translators: 1: https origin, 2: technical error. */
					__( 'Something answers at %1$s, but not over HTTPS (no secure connection could be made): this site has no working HTTPS there. Ask your host to set up HTTPS for this site, then try again. Details: %2$s', 'padlock-store' ),
					array( $origin, $tls['detail'] ),
					'no_https'
				);
			case 'expired':
				return Padlock_Message::make(
					/* translators: 1: https origin, 2: expiry date. */
					__( 'The HTTPS certificate of %1$s expired on %2$s. Browsers warn visitors away from the site. Renew the certificate (your host or certificate provider can), then try again.', 'padlock-store' ),
					array( $origin, self::date( $cert['valid_to'] ) ),
					'certificate_expired'
				);
			case 'not_yet_valid':
				return Padlock_Message::make(
					/* translators: 1: https origin, 2: start date. */
					__( 'The HTTPS certificate of %1$s is only valid from %2$s. Check the server\'s clock, or wait until then.', 'padlock-store' ),
					array( $origin, self::date( $cert['valid_from'] ) ),
					'certificate_not_yet_valid'
				);
			case 'wrong_host':
				return Padlock_Message::make(
					/* translators: 1: https origin, 2: names on the certificate, 3: this site's host. */
					__( 'The HTTPS certificate at %1$s is made for %2$s, not for %3$s: browsers would warn that the connection is not private. Ask your host for a certificate that covers %3$s, then try again.', 'padlock-store' ),
					array( $origin, implode( ', ', $cert['names'] ), $host ),
					'certificate_wrong_host'
				);
			default:
				return Padlock_Message::make(
					/* translators: 1: https origin, 2: issuer, 3: technical error. */
					__( 'The HTTPS certificate of %1$s is not trusted (issued by %2$s: self-signed or from an unknown authority), so browsers would warn visitors. Use a certificate from a public authority such as Let\'s Encrypt, then try again. Details: %3$s', 'padlock-store' ),
					array( $origin, '' !== $cert['issuer'] ? $cert['issuer'] : '?', $tls['detail'] ),
					'certificate_untrusted'
				);
		}
	}

	/**
	 * A probe answer's facts, type-checked (it came over the network).
	 *
	 * @param mixed $facts Decoded facts.
	 * @return array
	 */
	private static function facts( $facts ) {
		$facts   = is_array( $facts ) ? $facts : array();
		$signals = array();
		foreach ( isset( $facts['signals'] ) && is_array( $facts['signals'] ) ? $facts['signals'] : array() as $signal ) {
			if ( is_array( $signal ) && isset( $signal['header'], $signal['value'] ) && is_string( $signal['header'] ) && is_string( $signal['value'] ) ) {
				$signals[] = array(
					'header' => $signal['header'],
					'value'  => $signal['value'],
					'https'  => Padlock_Trusted_Proxies::says_https( $signal['header'], $signal['value'] ),
				);
			}
		}
		return array(
			'remote_addr'    => isset( $facts['remote_addr'] ) && is_string( $facts['remote_addr'] ) ? $facts['remote_addr'] : '',
			'signals'        => $signals,
			'https_flag'     => ! empty( $facts['https_flag'] ),
			'request_scheme' => isset( $facts['request_scheme'] ) && is_string( $facts['request_scheme'] ) ? $facts['request_scheme'] : '',
		);
	}

	/**
	 * The path of home_url(), always ending in a slash.
	 *
	 * @return string
	 */
	private static function home_path() {
		return trailingslashit( (string) wp_parse_url( home_url( '/' ), PHP_URL_PATH ) );
	}

	/**
	 * $url moved to $origin (same path and query).
	 *
	 * @param string $url    URL of this site.
	 * @param string $origin Https origin.
	 * @return string
	 */
	private static function on_origin( $url, $origin ) {
		$parts = wp_parse_url( $url );
		$path  = isset( $parts['path'] ) ? $parts['path'] : '/';
		return $origin . $path . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
	}

	/**
	 * A date as the site shows dates.
	 *
	 * @param int $time Unix time.
	 * @return string
	 */
	public static function date( $time ) {
		return wp_date( get_option( 'date_format' ) . ' H:i T', (int) $time );
	}
}
