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
	 * The Force HTTPS checkbox and what it does.
	 */
	public static function field_force_https() {
		$settings = Padlock_Settings::get();
		printf(
			'<label for="padlock_force_https"><input type="checkbox" id="padlock_force_https" name="%1$s[force_https]" value="1" %2$s /> %3$s</label>',
			esc_attr( Padlock_Settings::OPTION ),
			checked( $settings['force_https'], true, false ),
			esc_html__( 'Serve the pages that show the store over HTTPS', 'padlock-store' )
		);
		echo '<p class="description">' . esc_html__( 'When on, a visitor who opens a page or post containing the store over http:// is redirected (301) to the same address on https://, and this site\'s own scripts and styles on that page are loaded over https://, so browsers show the padlock and no mixed-content warnings. Pages that already arrive over HTTPS (directly, through a proxy or CDN that handles the certificate, or after another SSL plugin\'s redirect) are never redirected again. Your site must have a working certificate. When off, the store still works on http:// pages, and checkout is always on the store\'s HTTPS page.', 'padlock-store' ) . '</p>';
	}

	/**
	 * Whether to warn that Force HTTPS is on although this site shows no sign of HTTPS.
	 *
	 * @return bool
	 */
	public static function https_missing() {
		$scheme = wp_parse_url( (string) get_option( 'home' ), PHP_URL_SCHEME );
		return Padlock_Settings::force_https()
			&& 'http' === strtolower( (string) $scheme )
			&& ! Padlock_Force_Https::request_is_https();
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
			if ( self::https_missing() ) {
				printf(
					'<div id="padlock-https-warning" class="notice notice-warning"><p>%s</p></div>',
					sprintf(
						/* translators: 1: this site's address, 2: the https address store pages are sent to. */
						esc_html__( 'Force HTTPS is on, but this site does not seem to have working HTTPS: its address is %1$s and this page was not loaded over HTTPS. Pages that show the store will redirect to %2$s and must be reachable there. Set up a certificate for this site (your host can usually do it), or turn Force HTTPS off.', 'padlock-store' ),
						'<code>' . esc_html( home_url( '/' ) ) . '</code>',
						'<code>' . esc_html( Padlock_Force_Https::https_origin() . '/…' ) . '</code>'
					)
				);
			}
			?>
			<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
				<?php
				settings_fields( Padlock_Settings::GROUP );
				do_settings_sections( self::SLUG );
				submit_button();
				?>
			</form>

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
