<?php
/**
 * The settings page's HTTPS status panel and its two buttons.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Shows what the last HTTPS check found (the blog's certificate, the store's answer, the origins
 * it allows, Force HTTPS and its last successful check, the proxy seen, the store pages and any
 * mixed content left), with "Check HTTPS now" and, when a proxy was seen, "Trust this proxy".
 */
final class Padlock_Https_Status {

	const CHECK_ACTION = 'padlock_store_check_https';
	const TRUST_ACTION = 'padlock_store_trust_proxy';

	/**
	 * Hooks the two admin-post.php handlers.
	 */
	public static function init() {
		add_action( 'admin_post_' . self::CHECK_ACTION, array( self::class, 'handle_check' ) );
		add_action( 'admin_post_' . self::TRUST_ACTION, array( self::class, 'handle_trust' ) );
	}

	/**
	 * Refuses anyone who may not manage options, and a request without its nonce.
	 *
	 * @param string $action Nonce action.
	 */
	private static function guard( $action ) {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to change the store settings.', 'padlock-store' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( $action );
	}

	/**
	 * Back to the settings page, at the panel.
	 *
	 * @param string $flag Query flag naming what just happened.
	 */
	private static function back( $flag ) {
		wp_safe_redirect( admin_url( 'options-general.php?page=' . Padlock_Settings_Page::SLUG . '&' . $flag . '=1#padlock-https-status' ) );
		exit;
	}

	/**
	 * admin-post.php?action=padlock_store_check_https.
	 */
	public static function handle_check() {
		self::guard( self::CHECK_ACTION );
		Padlock_Https_Check::with_saved_settings();
		self::back( 'padlock-https-checked' );
	}

	/**
	 * admin-post.php?action=padlock_store_trust_proxy: trusts the proxy address the last check
	 * saw (never an address from the request), then checks again.
	 */
	public static function handle_trust() {
		self::guard( self::TRUST_ACTION );
		$last  = Padlock_Https_State::get()['last'];
		$proxy = is_array( $last ) && is_array( $last['proxy'] ?? null ) ? $last['proxy'] : null;
		if ( null !== $proxy && filter_var( $proxy['address'], FILTER_VALIDATE_IP ) ) {
			$settings                      = Padlock_Settings::get();
			$settings['trusted_proxies'][] = $proxy['address'];
			update_option( Padlock_Settings::OPTION, $settings );
			if ( ! Padlock_Settings::force_https() ) { // With it on, the save itself checks again.
				Padlock_Https_Check::with_saved_settings();
			}
		}
		self::back( 'padlock-proxy-trusted' );
	}

	/**
	 * One row of the panel.
	 *
	 * @param string $key    Row id (data-check attribute).
	 * @param string $status good|warning|problem|off.
	 * @param string $label  Row label (plain text).
	 * @param string $html   Escaped HTML.
	 */
	private static function row( $key, $status, $label, $html ) {
		$icons = array(
			'good'    => 'yes-alt',
			'warning' => 'warning',
			'problem' => 'dismiss',
			'off'     => 'minus',
		);
		printf(
			'<tr data-check="%1$s" data-status="%2$s"><th scope="row"><span class="dashicons dashicons-%3$s" aria-hidden="true"></span> %4$s</th><td>%5$s</td></tr>',
			esc_attr( $key ),
			esc_attr( $status ),
			esc_attr( $icons[ $status ] ),
			esc_html( $label ),
			$html // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by the callers.
		);
	}

	/**
	 * Renders the panel.
	 */
	public static function render() {
		$state  = Padlock_Https_State::get();
		$last   = $state['last'];
		$forced = Padlock_Settings::force_https();
		echo '<h2 id="padlock-https-status-title">' . esc_html__( 'HTTPS status', 'padlock-store' ) . '</h2>';
		if ( null === $last ) {
			echo '<p>' . esc_html__( 'No HTTPS check has run yet. It runs when you switch Force HTTPS on, every day while it is on, and when you press the button below.', 'padlock-store' ) . '</p>';
		} else {
			echo '<p>' . esc_html(
				sprintf(
					/* translators: %s: date and time. */
					__( 'Last check: %s.', 'padlock-store' ),
					Padlock_Https_Check::date( $last['checked_at'] )
				)
			) . '</p>';
		}
		echo '<table class="form-table" id="padlock-https-status" role="presentation"><tbody>';
		if ( null !== $last ) {
			self::blog_row( $last );
			self::store_row( $last );
		}
		self::force_row( $state, $forced );
		if ( null !== $last ) {
			self::proxy_row( $last );
		}
		self::pages_row( $last );
		echo '</tbody></table>';

		if ( null !== $last && ( $last['problems'] || $last['notes'] ) ) {
			echo '<div id="padlock-https-findings">';
			foreach ( $last['problems'] as $problem ) {
				printf( '<div class="notice notice-error inline" data-code="%1$s"><p>%2$s</p></div>', esc_attr( $problem['code'] ), Padlock_Message::html( $problem ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
			}
			foreach ( $last['notes'] as $note ) {
				printf( '<div class="notice notice-warning inline" data-code="%1$s"><p>%2$s</p></div>', esc_attr( $note['code'] ), Padlock_Message::html( $note ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
			}
			echo '</div>';
		}
		self::update_site_hint( $last );
		?>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
			<input type="hidden" name="action" value="<?php echo esc_attr( self::CHECK_ACTION ); ?>" />
			<?php
			wp_nonce_field( self::CHECK_ACTION );
			submit_button( __( 'Check HTTPS now', 'padlock-store' ), 'secondary', 'padlock-check-https', false );
			?>
		</form>
		<?php
	}

	/**
	 * The blog's HTTPS and certificate.
	 *
	 * @param array $last Last result.
	 */
	private static function blog_row( array $last ) {
		$label = __( 'This site over HTTPS', 'padlock-store' );
		$cert  = $last['certificate'];
		foreach ( $last['problems'] as $problem ) {
			if ( in_array( $problem['code'], Padlock_Https_Check::SITE_HTTPS_PROBLEMS, true ) ) {
				self::row( 'blog_https', 'problem', $label, Padlock_Message::html( $problem ) );
				return;
			}
		}
		if ( ! is_array( $cert ) ) {
			self::row( 'blog_https', 'off', $label, esc_html__( 'Not checked.', 'padlock-store' ) );
			return;
		}
		$soon = ( $cert['valid_to'] - time() ) < Padlock_Https_Check::EXPIRY_WARNING_DAYS * DAY_IN_SECONDS;
		self::row(
			'blog_https',
			$soon ? 'warning' : 'good',
			$label,
			sprintf(
				/* translators: 1: https origin, 2: date. */
				esc_html__( '%1$s has a valid certificate, valid until %2$s.', 'padlock-store' ),
				'<code>' . esc_html( $last['origin'] ) . '</code>',
				'<strong>' . esc_html( Padlock_Https_Check::date( $cert['valid_to'] ) ) . '</strong>'
			) . ( $soon ? ' ' . esc_html__( 'It expires within 14 days: renew it.', 'padlock-store' ) : '' )
		);
	}

	/**
	 * The store's answer and the origins it allows.
	 *
	 * @param array $last Last result.
	 */
	private static function store_row( array $last ) {
		$label = __( 'The store and this site\'s origins', 'padlock-store' );
		$embed = $last['embed'];
		if ( empty( $embed['checked'] ) ) {
			self::row( 'store', Padlock_Settings::store_url() ? 'problem' : 'off', $label, esc_html__( 'The store could not be asked (store URL missing, or the store unreachable): see "Test connection".', 'padlock-store' ) );
			return;
		}
		$parts = array( esc_html__( 'The store answers over HTTPS with a valid certificate.', 'padlock-store' ) );
		foreach ( $embed['allowed'] as $origin ) {
			/* translators: %s: origin. */
			$parts[] = sprintf( esc_html__( '%s may embed it.', 'padlock-store' ), '<code>' . esc_html( $origin ) . '</code>' );
		}
		foreach ( $embed['refused'] as $origin ) {
			/* translators: %s: origin. */
			$parts[] = sprintf( esc_html__( '%s may not embed it yet: add it to the store\'s EMBED_ORIGINS.', 'padlock-store' ), '<code>' . esc_html( $origin ) . '</code>' );
		}
		self::row( 'store', $embed['refused'] ? 'problem' : 'good', $label, implode( ' ', $parts ) );
	}

	/**
	 * Force HTTPS, its last successful check and the redirect status in use.
	 *
	 * @param array $state  Padlock_Https_State::get().
	 * @param bool  $forced Whether Force HTTPS is in effect.
	 */
	private static function force_row( array $state, $forced ) {
		$label = __( 'Force HTTPS', 'padlock-store' );
		if ( ! $forced ) {
			self::row( 'force_https', 'off', $label, esc_html__( 'Off: pages that show the store are served however the visitor asked for them.', 'padlock-store' ) );
			return;
		}
		$html = esc_html__( 'On.', 'padlock-store' );
		if ( null !== $state['last_success_at'] ) {
			/* translators: %s: date and time. */
			$html .= ' ' . esc_html( sprintf( __( 'Last successful check: %s.', 'padlock-store' ), Padlock_Https_Check::date( $state['last_success_at'] ) ) );
		}
		$html .= ' ' . ( null === $state['confirmed_at']
			? esc_html__( 'Store pages are redirected with a temporary redirect (302) until a check sees one work over HTTPS.', 'padlock-store' )
			: esc_html__( 'A check has seen a store page work over HTTPS: store pages are redirected permanently (301).', 'padlock-store' ) );
		$failing = null !== $state['last'] && ! $state['last']['ok'];
		self::row( 'force_https', $failing ? 'problem' : 'good', $label, $html );
	}

	/**
	 * The proxy that signalled HTTPS, and the button to trust it.
	 *
	 * @param array $last Last result.
	 */
	private static function proxy_row( array $last ) {
		$label = __( 'Proxy', 'padlock-store' );
		$proxy = $last['proxy'];
		if ( ! is_array( $proxy ) ) {
			self::row( 'proxy', 'off', $label, esc_html__( 'No proxy signal seen: HTTPS requests reach WordPress directly.', 'padlock-store' ) );
			return;
		}
		$seen = sprintf(
			/* translators: 1: proxy address, 2: header. */
			esc_html__( 'HTTPS requests reach WordPress through a proxy at %1$s, which sends %2$s.', 'padlock-store' ),
			'<code>' . esc_html( $proxy['address'] ) . '</code>',
			'<code>' . esc_html( $proxy['header'] . ': ' . $proxy['value'] ) . '</code>'
		);
		if ( Padlock_Trusted_Proxies::matches( $proxy['address'], Padlock_Trusted_Proxies::ranges() ) ) {
			self::row( 'proxy', 'good', $label, $seen . ' ' . esc_html__( 'It is trusted.', 'padlock-store' ) );
			return;
		}
		ob_start();
		?>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" id="padlock-trust-proxy">
			<input type="hidden" name="action" value="<?php echo esc_attr( self::TRUST_ACTION ); ?>" />
			<?php wp_nonce_field( self::TRUST_ACTION ); ?>
			<button type="submit" class="button button-primary">
				<?php
				/* translators: %s: proxy address. */
				echo esc_html( sprintf( __( 'Trust %s as this site\'s proxy', 'padlock-store' ), $proxy['address'] ) );
				?>
			</button>
		</form>
		<?php
		$button = (string) ob_get_clean();
		self::row( 'proxy', 'warning', $label, $seen . ' ' . esc_html__( 'It is not trusted yet. Trust it only if it is your host\'s, CDN\'s or load balancer\'s.', 'padlock-store' ) . $button );
	}

	/**
	 * The pages that show the store, and mixed content left on the one checked.
	 *
	 * @param array|null $last Last result.
	 */
	private static function pages_row( $last ) {
		$label = __( 'Pages that show the store', 'padlock-store' );
		$found = Padlock_Store_Pages::found();
		if ( ! $found['items'] ) {
			self::row( 'store_pages', 'off', $label, esc_html__( 'None yet: add the Padlock Store block or a [padlock_store] shortcode to a page.', 'padlock-store' ) );
			return;
		}
		$items = array();
		foreach ( $found['items'] as $item ) {
			$title   = '' !== $item['title'] ? $item['title'] : __( '(no title)', 'padlock-store' );
			$items[] = '<li data-kind="' . esc_attr( $item['kind'] ) . '">' . ( $item['url'] ? '<a href="' . esc_url( $item['url'] ) . '">' . esc_html( $title ) . '</a>' : esc_html( $title ) ) . ' <small>(' . esc_html( $item['kind'] ) . ')</small></li>';
		}
		$html = '<ul id="padlock-store-pages">' . implode( '', $items ) . '</ul>';
		if ( $found['total'] > count( $found['items'] ) ) {
			/* translators: %d: number of pages not listed. */
			$html .= '<p>' . esc_html( sprintf( __( 'and %d more.', 'padlock-store' ), $found['total'] - count( $found['items'] ) ) ) . '</p>';
		}
		$status = 'good';
		if ( is_array( $last ) && ! empty( $last['mixed'] ) ) {
			$status = 'warning';
			$html  .= '<p>' . sprintf(
				/* translators: %s: page address. */
				esc_html__( 'Loaded over HTTPS, %s still loads these over plain http:// (mixed content; browsers may block them):', 'padlock-store' ),
				'<code>' . esc_html( $last['store_page']['url'] ) . '</code>'
			) . '</p><ul id="padlock-mixed-content">';
			foreach ( $last['mixed'] as $url ) {
				$html .= '<li><code>' . esc_html( $url ) . '</code></li>';
			}
			$html .= '</ul>';
		} elseif ( is_array( $last ) && ! empty( $last['store_page']['ok'] ) ) {
			$html .= '<p>' . sprintf(
				/* translators: %s: page address. */
				esc_html__( 'Loaded over HTTPS, %s has no mixed content.', 'padlock-store' ),
				'<code>' . esc_html( $last['store_page']['url'] ) . '</code>'
			) . '</p>';
		}
		self::row( 'store_pages', $status, $label, $html );
	}

	/**
	 * When HTTPS works but the site's address is still http://, points to WordPress's own
	 * "Update your site to use HTTPS" (Tools → Site Health).
	 *
	 * @param array|null $last Last result.
	 */
	private static function update_site_hint( $last ) {
		if ( ! is_array( $last ) || ! $last['ok'] || wp_is_using_https() ) {
			return;
		}
		printf(
			'<p id="padlock-update-site-https">%s</p>',
			sprintf(
				/* translators: %s: link to Site Health. */
				esc_html__( 'HTTPS works for this site, but its address is still http://. To serve every page over HTTPS, not only the store\'s, use WordPress\'s own "Update your site to use HTTPS" in %s.', 'padlock-store' ),
				'<a href="' . esc_url( admin_url( 'site-health.php' ) ) . '">' . esc_html__( 'Tools → Site Health', 'padlock-store' ) . '</a>'
			)
		);
	}
}
