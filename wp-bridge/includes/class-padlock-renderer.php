<?php
/**
 * The one place that turns a shortcode or a block into the store's container.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Produces `<div data-padlock-store …>` containers with an SEO snapshot inside, and loads
 * the store's embed script once per page.
 */
final class Padlock_Renderer {

	const SCRIPT_HANDLE = 'padlock-store-embed';
	const VIEWS         = array( 'catalog', 'product', 'cart' );

	/**
	 * JSON-LD already printed on this page, by snapshot URL (several widgets, one copy).
	 *
	 * @var array<string, bool>
	 */
	private static $json_ld_printed = array();

	/**
	 * Hooks the script tag rewrite.
	 */
	public static function init() {
		add_filter( 'script_loader_tag', array( self::class, 'script_tag' ), 10, 2 );
	}

	/**
	 * `[padlock_store view="catalog|product|cart" product="slug" category="…"]`.
	 *
	 * @param array|string $atts Shortcode attributes ('' when none).
	 * @return string
	 */
	public static function shortcode( $atts ) {
		$atts = shortcode_atts(
			array(
				'view'     => 'catalog',
				'product'  => '',
				'category' => '',
			),
			is_array( $atts ) ? $atts : array(),
			'padlock_store'
		);
		return self::render( $atts );
	}

	/**
	 * Normalises attributes: unknown view → catalog; product slug reduced to [a-z0-9-];
	 * a product view without a product shows the catalog.
	 *
	 * @param array $atts Raw attributes.
	 * @return array{view: string, product: string, category: string}
	 */
	public static function normalize( array $atts ) {
		$view = isset( $atts['view'] ) && is_string( $atts['view'] ) ? strtolower( trim( $atts['view'] ) ) : 'catalog';
		if ( ! in_array( $view, self::VIEWS, true ) ) {
			$view = 'catalog';
		}
		$product  = isset( $atts['product'] ) && is_scalar( $atts['product'] ) ? self::slug( (string) $atts['product'] ) : '';
		$category = isset( $atts['category'] ) && is_scalar( $atts['category'] ) ? self::slug( (string) $atts['category'] ) : '';
		if ( 'product' === $view && '' === $product ) {
			$view = 'catalog';
		}
		if ( 'product' !== $view ) {
			$product = '';
		}
		if ( 'cart' === $view ) {
			$category = '';
		}
		return array(
			'view'     => $view,
			'product'  => $product,
			'category' => $category,
		);
	}

	/**
	 * @param string $value Raw slug.
	 * @return string Lower-case a-z and 0-9 in words joined by single hyphens ("Café Mugs" → cafe-mugs).
	 */
	private static function slug( $value ) {
		$words = preg_replace( '/[^a-z0-9]+/', '-', strtolower( remove_accents( trim( $value ) ) ) );
		return trim( (string) $words, '-' );
	}

	/**
	 * Renders one widget.
	 *
	 * @param array $atts view, product, category.
	 * @return string Escaped HTML.
	 */
	public static function render( array $atts ) {
		$store_url = Padlock_Settings::store_url();
		if ( '' === $store_url ) {
			if ( current_user_can( 'manage_options' ) ) {
				return '<p class="padlock-store-notice">' . esc_html__( 'Padlock Store: set the store URL in Settings → Padlock Store', 'padlock-store' ) . '</p>';
			}
			return '';
		}

		$atts = self::normalize( $atts );
		wp_enqueue_script( self::SCRIPT_HANDLE, $store_url . '/embed.js', array(), PADLOCK_STORE_VERSION, true );

		return sprintf(
			'<!--noptimize--><div class="padlock-store" data-padlock-store data-store-url="%1$s" data-view="%2$s" data-product="%3$s" data-category="%4$s">%5$s</div><!--/noptimize-->',
			esc_url( $store_url ),
			esc_attr( $atts['view'] ),
			esc_attr( $atts['product'] ),
			esc_attr( $atts['category'] ),
			self::inner( $store_url, $atts )
		);
	}

	/**
	 * What goes inside the container before the embed script takes over: the store's
	 * server-rendered snapshot, a short message when the store cannot be reached, or nothing
	 * for the cart (cart and checkout are not indexed).
	 *
	 * @param string $store_url Store origin.
	 * @param array  $atts      Normalised attributes.
	 * @return string
	 */
	private static function inner( $store_url, array $atts ) {
		$url = Padlock_Store_Client::snapshot_url( $store_url, $atts['view'], $atts['product'], $atts['category'] );
		if ( '' === $url ) {
			return '';
		}
		$fragment = Padlock_Store_Client::snapshot( $store_url, $url );
		if ( null === $fragment ) {
			$html = '<p class="padlock-store-unavailable">' . esc_html__( 'The shop is taking a short break. Please try again in a few minutes.', 'padlock-store' ) . '</p>';
			if ( current_user_can( 'manage_options' ) ) {
				$html .= '<p class="padlock-store-admin-hint"><small>' . esc_html(
					sprintf(
						/* translators: 1: snapshot URL, 2: technical reason (HTTP status or error). */
						__( 'Only administrators see this: the store\'s snapshot %1$s could not be loaded (%2$s). Visitors see the message above; the plugin tries again within a minute.', 'padlock-store' ),
						$url,
						Padlock_Store_Client::failure_reason( $url )
					)
				) . '</small></p>';
			}
			return $html;
		}
		return self::filter_snapshot( $fragment, $url );
	}

	/**
	 * Makes the store's fragment safe to print: markup through wp_kses_post(); each JSON-LD
	 * block decoded and re-encoded so that it cannot close its script element; every other
	 * script or style dropped.
	 *
	 * @param string $html Fragment from the store.
	 * @param string $key  Identifies the fragment so its JSON-LD is printed once per page.
	 * @return string
	 */
	public static function filter_snapshot( $html, $key = '' ) {
		$json_ld = array();
		$html    = (string) preg_replace_callback(
			'#<(script|style)\b([^>]*)>(.*?)</\1\s*>#is',
			static function ( $m ) use ( &$json_ld ) {
				if ( 'script' === strtolower( $m[1] ) && preg_match( '#\btype\s*=\s*(["\']?)application/ld\+json\1#i', $m[2] ) ) {
					$data = json_decode( trim( $m[3] ) );
					if ( null !== $data ) {
						$json_ld[] = $data;
					}
				}
				return '';
			},
			$html
		);
		// An unterminated script or style would swallow the rest of the page: drop from there.
		$html = (string) preg_replace( '#<(script|style)\b.*$#is', '', $html );

		// Block output later passes through do_shortcode(): keep the store's text from running shortcodes.
		$out = str_replace( array( '[', ']' ), array( '&#91;', '&#93;' ), wp_kses_post( trim( $html ) ) );
		if ( $json_ld && ( '' === $key || empty( self::$json_ld_printed[ $key ] ) ) ) {
			foreach ( $json_ld as $data ) {
				$json = wp_json_encode( $data, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES );
				if ( false !== $json ) {
					$out .= '<script type="application/ld+json">' . $json . '</script>';
				}
			}
			if ( '' !== $key ) {
				self::$json_ld_printed[ $key ] = true;
			}
		}
		return $out;
	}

	/**
	 * Adds `async` and the markers that keep optimizer and caching plugins (Autoptimize,
	 * LiteSpeed, WP Rocket, Cloudflare Rocket Loader) away from the embed script's own tag.
	 *
	 * @param string $tag    The printed tag(s) for the handle.
	 * @param string $handle Script handle.
	 * @return string
	 */
	public static function script_tag( $tag, $handle ) {
		if ( self::SCRIPT_HANDLE !== $handle || ! is_string( $tag ) ) {
			return $tag;
		}
		$rewritten = preg_replace(
			'#<script\b(?![^>]*\basync\b)(?=[^>]*\bid=(["\'])' . preg_quote( self::SCRIPT_HANDLE, '#' ) . '-js\1)#',
			'<script async data-cfasync="false" data-no-optimize="1"',
			$tag,
			1
		);
		return is_string( $rewritten ) ? $rewritten : $tag;
	}
}
