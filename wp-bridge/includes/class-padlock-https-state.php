<?php
/**
 * What the last HTTPS checks found, kept between requests.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * The option `padlock_store_https_state`: the last check's result, when a check last passed, and
 * whether a check with Force HTTPS on has seen a store page work over https (which turns the
 * store pages' redirect from 302 into 301).
 */
final class Padlock_Https_State {

	const OPTION = 'padlock_store_https_state';

	/**
	 * @return array{last: array|null, last_success_at: int|null, confirmed_at: int|null}
	 */
	public static function get() {
		$state = get_option( self::OPTION, array() );
		$state = is_array( $state ) ? $state : array();
		return array(
			'last'            => isset( $state['last'] ) && is_array( $state['last'] ) ? $state['last'] : null,
			'last_success_at' => isset( $state['last_success_at'] ) ? (int) $state['last_success_at'] : null,
			'confirmed_at'    => isset( $state['confirmed_at'] ) ? (int) $state['confirmed_at'] : null,
		);
	}

	/**
	 * Keeps a check's result. A passing check made with Force HTTPS on that loaded a store page
	 * over https confirms the redirect; a failing check withdraws the confirmation.
	 *
	 * @param array $result Padlock_Https_Check::run() result.
	 * @param bool  $forced Whether Force HTTPS was on during the check.
	 */
	public static function record( array $result, $forced ) {
		$state         = self::get();
		$state['last'] = $result;
		if ( $result['ok'] ) {
			$state['last_success_at'] = $result['checked_at'];
			if ( $forced && ! empty( $result['store_page']['ok'] ) ) {
				$state['confirmed_at'] = $result['checked_at'];
			}
		} else {
			$state['confirmed_at'] = null;
		}
		update_option( self::OPTION, $state, true );
	}

	/**
	 * Forgets the confirmation (Force HTTPS switched off, or on again).
	 */
	public static function unconfirm() {
		$state                 = self::get();
		$state['confirmed_at'] = null;
		update_option( self::OPTION, $state, true );
	}

	/**
	 * The status code for redirecting a store page: 301 once confirmed, 302 until then.
	 *
	 * @return int
	 */
	public static function redirect_status() {
		return null === self::get()['confirmed_at'] ? 302 : 301;
	}
}
