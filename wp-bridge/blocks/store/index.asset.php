<?php
/**
 * Dependencies of the block's editor script (plain JavaScript, no build step).
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n' ),
	'version'      => '0.1.0',
);
