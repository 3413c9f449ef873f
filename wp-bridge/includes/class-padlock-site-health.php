<?php
/**
 * The plugin's tests in Tools → Site Health.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Three direct Site Health tests, from an HTTPS check at most ten minutes old: this site's
 * HTTPS and certificate, the store and the origins it allows, Force HTTPS.
 */
final class Padlock_Site_Health {

	const FRESH = 10 * MINUTE_IN_SECONDS;

	/**
	 * Hooks the tests.
	 */
	public static function init() {
		add_filter( 'site_status_tests', array( self::class, 'register' ) );
	}

	/**
	 * @param array $tests Site Health tests.
	 * @return array
	 */
	public static function register( $tests ) {
		$tests['direct']['padlock_store_https']       = array(
			'label' => __( 'Padlock Store: this site\'s HTTPS', 'padlock-store' ),
			'test'  => array( self::class, 'test_https' ),
		);
		$tests['direct']['padlock_store_connection']  = array(
			'label' => __( 'Padlock Store: the store', 'padlock-store' ),
			'test'  => array( self::class, 'test_store' ),
		);
		$tests['direct']['padlock_store_force_https'] = array(
			'label' => __( 'Padlock Store: Force HTTPS', 'padlock-store' ),
			'test'  => array( self::class, 'test_force_https' ),
		);
		return $tests;
	}

	/**
	 * The last check, or a new one when it is older than ten minutes.
	 *
	 * @return array
	 */
	private static function last() {
		$last = Padlock_Https_State::get()['last'];
		if ( null === $last || time() - $last['checked_at'] > self::FRESH ) {
			$last = Padlock_Https_Check::with_saved_settings();
		}
		return $last;
	}

	/**
	 * A Site Health result.
	 *
	 * @param string $test        Test id.
	 * @param string $status      good|recommended|critical.
	 * @param string $label       Plain text.
	 * @param string $description Escaped HTML.
	 * @return array
	 */
	private static function result( $test, $status, $label, $description ) {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Security', 'padlock-store' ),
				'color' => 'blue',
			),
			'description' => $description,
			'actions'     => sprintf(
				'<p><a href="%s">%s</a></p>',
				esc_url( admin_url( 'options-general.php?page=' . Padlock_Settings_Page::SLUG . '#padlock-https-status' ) ),
				esc_html__( 'Padlock Store settings and HTTPS status', 'padlock-store' )
			),
			'test'        => $test,
		);
	}

	/**
	 * The problems of a result as paragraphs.
	 *
	 * @param array    $messages Messages.
	 * @param string[] $codes    Only these codes (all when empty).
	 * @return string
	 */
	private static function paragraphs( array $messages, array $codes = array() ) {
		$html = '';
		foreach ( $messages as $message ) {
			if ( ! $codes || in_array( $message['code'], $codes, true ) ) {
				$html .= '<p>' . Padlock_Message::html( $message ) . '</p>';
			}
		}
		return $html;
	}

	/**
	 * This site's HTTPS and certificate.
	 *
	 * @return array
	 */
	public static function test_https() {
		$last   = self::last();
		$broken = self::paragraphs( $last['problems'], Padlock_Https_Check::SITE_HTTPS_PROBLEMS );
		if ( '' !== $broken ) {
			return self::result( 'padlock_store_https', Padlock_Settings::force_https() ? 'critical' : 'recommended', __( 'This site\'s HTTPS does not work for the store pages', 'padlock-store' ), $broken );
		}
		$cert = $last['certificate'];
		if ( ! is_array( $cert ) ) {
			return self::result( 'padlock_store_https', 'recommended', __( 'This site\'s HTTPS could not be checked', 'padlock-store' ), '' );
		}
		$days = (int) floor( ( $cert['valid_to'] - time() ) / DAY_IN_SECONDS );
		$text = sprintf(
			/* translators: 1: https origin, 2: date. */
			esc_html__( 'The certificate of %1$s is valid until %2$s.', 'padlock-store' ),
			'<code>' . esc_html( $last['origin'] ) . '</code>',
			esc_html( Padlock_Https_Check::date( $cert['valid_to'] ) )
		);
		if ( $days < Padlock_Https_Check::EXPIRY_WARNING_DAYS ) {
			/* translators: %d: days. */
			$label = sprintf( _n( 'This site\'s HTTPS certificate expires in %d day', 'This site\'s HTTPS certificate expires in %d days', max( 0, $days ), 'padlock-store' ), max( 0, $days ) );
			return self::result( 'padlock_store_https', 'recommended', $label, '<p>' . $text . '</p>' );
		}
		/* translators: %s: date. */
		return self::result( 'padlock_store_https', 'good', sprintf( __( 'This site\'s HTTPS certificate is valid until %s', 'padlock-store' ), Padlock_Https_Check::date( $cert['valid_to'] ) ), '<p>' . $text . '</p>' );
	}

	/**
	 * The store over HTTPS and the origins it allows.
	 *
	 * @return array
	 */
	public static function test_store() {
		if ( '' === Padlock_Settings::store_url() ) {
			return self::result( 'padlock_store_connection', 'recommended', __( 'Padlock Store has no store URL yet', 'padlock-store' ), '<p>' . esc_html__( 'Enter the store URL in Settings → Padlock Store.', 'padlock-store' ) . '</p>' );
		}
		$last  = self::last();
		$embed = $last['embed'];
		if ( empty( $embed['checked'] ) ) {
			return self::result( 'padlock_store_connection', 'critical', __( 'The store cannot be reached over HTTPS', 'padlock-store' ), self::paragraphs( $last['notes'], array( 'store_unreachable' ) ) );
		}
		$list = static function ( array $origins ) {
			return implode( ', ', array_map( static fn( $o ) => '<code>' . esc_html( $o ) . '</code>', $origins ) );
		};
		if ( $embed['refused'] ) {
			return self::result(
				'padlock_store_connection',
				'recommended',
				__( 'The store does not allow every origin of this site', 'padlock-store' ),
				/* translators: %s: origins. */
				'<p>' . sprintf( esc_html__( 'Add these to the store\'s EMBED_ORIGINS setting and restart the store: %s', 'padlock-store' ), $list( $embed['refused'] ) ) . '</p>'
			);
		}
		return self::result(
			'padlock_store_connection',
			'good',
			__( 'The store answers over HTTPS and allows this site', 'padlock-store' ),
			/* translators: %s: origins. */
			'<p>' . sprintf( esc_html__( 'The store has a valid certificate and allows %s to embed it.', 'padlock-store' ), $list( $embed['allowed'] ) ) . '</p>'
		);
	}

	/**
	 * Force HTTPS, its last successful check and the proxy seen.
	 *
	 * @return array
	 */
	public static function test_force_https() {
		$state = Padlock_Https_State::get();
		$last  = self::last();
		$proxy = '';
		if ( is_array( $last['proxy'] ) ) {
			$proxy = '<p>' . sprintf(
				/* translators: 1: address, 2: header. */
				esc_html__( 'Proxy seen: %1$s sending %2$s.', 'padlock-store' ),
				'<code>' . esc_html( $last['proxy']['address'] ) . '</code>',
				'<code>' . esc_html( $last['proxy']['header'] . ': ' . $last['proxy']['value'] ) . '</code>'
			) . '</p>';
		}
		if ( ! Padlock_Settings::force_https() ) {
			return self::result( 'padlock_store_force_https', 'recommended', __( 'Force HTTPS is off for the store pages', 'padlock-store' ), '<p>' . esc_html__( 'Visitors can open the pages that show the store over plain HTTP. Checkout is always on the store\'s HTTPS page; switch Force HTTPS on once this site\'s HTTPS works.', 'padlock-store' ) . '</p>' . $proxy );
		}
		if ( ! $last['ok'] ) {
			return self::result( 'padlock_store_force_https', 'critical', __( 'Force HTTPS is on, but the last HTTPS check failed', 'padlock-store' ), self::paragraphs( $last['problems'] ) . $proxy );
		}
		$when = null === $state['last_success_at'] ? '' : Padlock_Https_Check::date( $state['last_success_at'] );
		/* translators: %s: date and time. */
		return self::result( 'padlock_store_force_https', 'good', __( 'Force HTTPS is on', 'padlock-store' ), '<p>' . esc_html( sprintf( __( 'Last successful check: %s.', 'padlock-store' ), $when ) ) . '</p>' . $proxy );
	}
}
