<?php
/**
 * Settings → Padlock Store.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * The settings page: store URL, Force HTTPS, "Test connection" and how to place the store.
 */
final class Padlock_Settings_Page {

	const SLUG    = 'padlock-store';
	const SECTION = 'padlock_store_main';

	/**
	 * Hooks the menu entry, the fields and the plugin list's "Settings" link.
	 */
	public static function init() {
		add_action( 'admin_menu', array( self::class, 'menu' ) );
		add_action( 'admin_init', array( self::class, 'fields' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( PADLOCK_STORE_FILE ), array( self::class, 'action_links' ) );
	}

	/**
	 * Adds Settings → Padlock Store.
	 */
	public static function menu() {
		add_options_page(
			__( 'Padlock Store', 'padlock-store' ),
			__( 'Padlock Store', 'padlock-store' ),
			'manage_options',
			self::SLUG,
			array( self::class, 'render' )
		);
	}

	/**
	 * @param string[] $links Plugin row links.
	 * @return string[]
	 */
	public static function action_links( $links ) {
		array_unshift(
			$links,
			sprintf(
				'<a href="%s">%s</a>',
				esc_url( admin_url( 'options-general.php?page=' . self::SLUG ) ),
				esc_html__( 'Settings', 'padlock-store' )
			)
		);
		return $links;
	}

	/**
	 * Declares the section and its two fields.
	 */
	public static function fields() {
		add_settings_section(
			self::SECTION,
			__( 'Connection', 'padlock-store' ),
			array( self::class, 'section_intro' ),
			self::SLUG
		);
		add_settings_field(
			'padlock_store_url',
			__( 'Store URL', 'padlock-store' ),
			array( self::class, 'field_store_url' ),
			self::SLUG,
			self::SECTION,
			array( 'label_for' => 'padlock_store_url' )
		);
		add_settings_field(
			'padlock_force_https',
			__( 'Force HTTPS', 'padlock-store' ),
			array( self::class, 'field_force_https' ),
			self::SLUG,
			self::SECTION
		);
		add_settings_field(
			'padlock_trusted_proxies',
			__( 'Trusted proxies', 'padlock-store' ),
			array( self::class, 'field_trusted_proxies' ),
			self::SLUG,
			self::SECTION,
			array( 'label_for' => 'padlock_trusted_proxies' )
		);
	}

	/**
	 * Section introduction.
	 */
	public static function section_intro() {
		echo '<p>' . esc_html__( 'Shoppers browse and fill their cart on your pages; checkout always happens on the store\'s own HTTPS page, and card details are only ever typed on the payment provider\'s page or fields.', 'padlock-store' ) . '</p>';
	}

	/**
	 * The store URL input.
	 */
	public static function field_store_url() {
		$settings = Padlock_Settings::get();
		printf(
			'<input type="url" id="padlock_store_url" name="%1$s[store_url]" value="%2$s" class="regular-text code" placeholder="https://shop.example.com" autocomplete="url" spellcheck="false" />',
			esc_attr( Padlock_Settings::OPTION ),
			esc_attr( $settings['store_url'] )
		);
		echo '<p class="description">' . esc_html__( 'The address of your Padlock Store. It must start with https://; only the origin is kept (scheme, host and port, without a path or trailing slash).', 'padlock-store' ) . '</p>';
	}

	/**
	 * The Force HTTPS checkbox and what it does; hidden when the whole site is already HTTPS,
	 * read-only when wp-config.php decides.
	 */
	public static function field_force_https() {
		$settings = Padlock_Settings::get();
		$constant = Padlock_Settings::force_https_constant();
		if ( null === $constant && wp_is_home_url_using_https() ) {
			printf(
				'<p id="padlock-whole-site-https">%s</p>',
				sprintf(
					/* translators: %s: the site's address. */
					esc_html__( 'The whole site is HTTPS: its address is %s, so every page, the store\'s included, is already served over HTTPS. Force HTTPS is not needed.', 'padlock-store' ),
					'<code>' . esc_html( home_url( '/' ) ) . '</code>'
				)
			);
			return;
		}
		printf(
			'<label for="padlock_force_https"><input type="checkbox" id="padlock_force_https" name="%1$s[force_https]" value="1" %2$s %3$s /> %4$s</label>',
			esc_attr( Padlock_Settings::OPTION ),
			checked( null === $constant ? $settings['force_https'] : $constant, true, false ),
			disabled( null !== $constant, true, false ),
			esc_html__( 'Serve the pages that show the store over HTTPS', 'padlock-store' )
		);
		if ( null !== $constant ) {
			printf(
				'<p id="padlock-force-https-constant"><strong>%s</strong></p>',
				esc_html(
					$constant
						? __( 'PADLOCK_STORE_FORCE_HTTPS is set to true in wp-config.php: Force HTTPS is on, whatever this box says.', 'padlock-store' )
						: __( 'PADLOCK_STORE_FORCE_HTTPS is set to false in wp-config.php: Force HTTPS is off, whatever this box says.', 'padlock-store' )
				)
			);
		}
		echo '<p class="description">' . esc_html__( 'When on, a visitor who opens a page that shows the store over http:// is redirected to the same address on https://, and this site\'s own images, scripts and styles on that page are loaded over https://, so browsers show the padlock and no mixed-content warnings. Before switching on, the plugin checks that this site really works over HTTPS (certificate, redirects, proxy, a store page, and that the store allows the https address) and refuses with the reason if not. Store pages get a temporary redirect (302) until a check has seen one work over HTTPS, then a permanent one (301). wp-admin and the login page are never redirected. To switch it off without the admin, add define( \'PADLOCK_STORE_FORCE_HTTPS\', false ); to wp-config.php.', 'padlock-store' ) . '</p>';
	}

	/**
	 * The trusted proxies: addresses and ranges whose forwarded-scheme headers count.
	 */
	public static function field_trusted_proxies() {
		$settings = Padlock_Settings::get();
		printf(
			'<textarea id="padlock_trusted_proxies" name="%1$s[trusted_proxies]" rows="3" class="regular-text code" spellcheck="false">%2$s</textarea>',
			esc_attr( Padlock_Settings::OPTION ),
			esc_textarea( implode( "\n", $settings['trusted_proxies'] ) )
		);
		echo '<p class="description">' . esc_html__( 'IP addresses or ranges (one per line, e.g. 203.0.113.7 or 10.0.0.0/8) of the proxies, load balancers or CDNs in front of this site. Only requests from these count when they say the visitor used HTTPS (X-Forwarded-Proto, X-Forwarded-Ssl, Forwarded, CF-Visitor, CloudFront-Forwarded-Proto); anyone else sending those headers is treated as plain HTTP. The HTTPS check offers to trust a proxy it sees. Addresses can also be set with PADLOCK_STORE_TRUSTED_PROXIES in wp-config.php.', 'padlock-store' ) . '</p>';
		$constant = Padlock_Trusted_Proxies::from_constant();
		if ( $constant ) {
			printf(
				'<p>%s <code>%s</code></p>',
				esc_html__( 'Also trusted, from wp-config.php:', 'padlock-store' ),
				esc_html( implode( ', ', $constant ) )
			);
		}
	}

	/**
	 * Renders the page.
	 */
	public static function render() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		?>
		<div class="wrap">
			<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
			<?php
			Padlock_Connection_Check::render_notice();
			?>
			<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
				<?php
				settings_fields( Padlock_Settings::GROUP );
				do_settings_sections( self::SLUG );
				submit_button();
				?>
			</form>

			<?php Padlock_Https_Status::render(); ?>

			<h2><?php esc_html_e( 'Test connection', 'padlock-store' ); ?></h2>
			<p><?php esc_html_e( 'Checks the saved store URL: that the store answers, over HTTPS with a valid certificate, and that it allows this site to embed it.', 'padlock-store' ); ?></p>
			<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
				<input type="hidden" name="action" value="<?php echo esc_attr( Padlock_Connection_Check::ACTION ); ?>" />
				<?php
				wp_nonce_field( Padlock_Connection_Check::ACTION );
				submit_button( __( 'Test connection', 'padlock-store' ), 'secondary', 'padlock-test-connection', false );
				?>
			</form>

			<h2><?php esc_html_e( 'Putting the store on a page', 'padlock-store' ); ?></h2>
			<p><?php esc_html_e( 'Add the "Padlock Store" block, or paste a shortcode into any post or page. Several can share a page.', 'padlock-store' ); ?></p>
			<ul>
				<li><code>[padlock_store]</code> — <?php esc_html_e( 'the catalog', 'padlock-store' ); ?></li>
				<li><code>[padlock_store view="product" product="enamel-mug"]</code> — <?php esc_html_e( 'one product, by its slug', 'padlock-store' ); ?></li>
				<li><code>[padlock_store view="cart"]</code> — <?php esc_html_e( 'the cart', 'padlock-store' ); ?></li>
			</ul>
		</div>
		<?php
	}
}
