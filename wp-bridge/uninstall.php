<?php
/**
 * Removes everything the plugin stored: its option and its transients (snapshot cache,
 * connection-test results), on every site of a network.
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
	}
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
		switch_to_blog( $site_id );
		padlock_store_uninstall_site();
		restore_current_blog();
	}
} else {
	padlock_store_uninstall_site();
}
