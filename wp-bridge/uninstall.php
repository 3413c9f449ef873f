<?php
/**
 * Removes everything the plugin stored: its options, its transients (snapshot cache,
 * connection-test results, cache-purge notices) and its scheduled HTTPS check, on every
 * site of a network, however many sites it has.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;
defined('WP_UNINSTALL_PLUGIN') || exit;

/**
 * Deletes the plugin's data on the current site.
 */
function padlock_store_uninstall_site() {
	global $wpdb;

	delete_option( 'padlock_store_settings' );
	delete_option( 'padlock_store_https_state' );
	wp_clear_scheduled_hook( 'padlock_store_https_check' );

	// Transient names are not enumerable through the API; all of ours share one prefix.
	$names = $wpdb->get_col(
		$wpdb->prepare(
			"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( '_transient_padlock_store_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_padlock_store_' ) . '%'
		)
	);
	foreach ( $names as $name ) {
		if ( str_starts_with( $name, '_transient_timeout_' ) ) {
			delete_option( $name );
		} else {
			delete_transient( substr( $name, strlen( '_transient_' ) ) );
		}
	}
	// Connection results live under the user's id; clear those too in case a persistent object cache holds them.
	foreach ( get_users( array( 'capability' => 'manage_options', 'fields' => 'ID' ) ) as $user_id ) {
		delete_transient( 'padlock_store_conn_' . $user_id );
		delete_transient( 'padlock_store_purged_' . $user_id );
	}
}

/**
 * Runs padlock_store_uninstall_site() on every site of the network, 100 sites at a time:
 * get_sites() returns at most 100 by default, and a large network (wp_is_large_network())
 * may have many thousands, whose ids are not all loaded at once. Uninstalling deletes no
 * site, so paging by offset over the sites ordered by id sees each site once.
 */
function padlock_store_uninstall_network() {
	$batch  = 100;
	$offset = 0;
	do {
		$site_ids = get_sites(
			array(
				'fields'                 => 'ids',
				'number'                 => $batch,
				'offset'                 => $offset,
				'orderby'                => 'id',
				'order'                  => 'ASC',
				'no_found_rows'          => true,
				'update_site_meta_cache' => false,
			)
		);
		foreach ( $site_ids as $site_id ) {
			switch_to_blog( (int) $site_id );
			padlock_store_uninstall_site();
			restore_current_blog();
		}
		// Each site's options stay in the in-memory cache otherwise: keep memory flat on large networks.
		if ( function_exists( 'wp_cache_supports' ) && wp_cache_supports( 'flush_runtime' ) ) {
			wp_cache_flush_runtime();
		}
		$offset += $batch;
	} while ( count( $site_ids ) === $batch );
}

if ( is_multisite() ) {
	padlock_store_uninstall_network();
} else {
	padlock_store_uninstall_site();
}
