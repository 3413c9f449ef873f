<?php
/**
 * Server rendering of the padlock-store/store block (block.json "render").
 *
 * @package PadlockStore
 *
 * @var array $attributes Block attributes: view, product, category.
 */

defined('ABSPATH') || exit;

// padlock_store_render() escapes everything it returns.
echo padlock_store_render( isset( $attributes ) && is_array( $attributes ) ? $attributes : array() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
