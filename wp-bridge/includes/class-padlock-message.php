<?php
/**
 * A message for the site owner: translated text with values shown as code.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Messages are kept as data (text with %s placeholders, the values apart, a stable code) so
 * that they can be stored between requests and escaped only when printed.
 */
final class Padlock_Message {

	/**
	 * @param string   $text Translated text with %s placeholders.
	 * @param string[] $args Values, shown as code.
	 * @param string   $code Stable code (tests, Site Health and the status panel use it).
	 * @return array{code: string, text: string, args: string[]}
	 */
	public static function make( $text, array $args = array(), $code = '' ) {
		return array(
			'code' => $code,
			'text' => $text,
			'args' => $args,
		);
	}

	/**
	 * A message as escaped HTML, its values in <code>.
	 *
	 * @param array $message make().
	 * @return string
	 */
	public static function html( array $message ) {
		$args = array_map(
			static function ( $arg ) {
				return '<code>' . esc_html( (string) $arg ) . '</code>';
			},
			isset( $message['args'] ) ? (array) $message['args'] : array()
		);
		$text = esc_html( isset( $message['text'] ) ? (string) $message['text'] : '' );
		try {
			return $args ? vsprintf( $text, $args ) : $text;
		} catch ( ValueError $e ) { // A translation with the wrong number of placeholders.
			return $text . ' ' . implode( ' ', $args );
		}
	}
}
