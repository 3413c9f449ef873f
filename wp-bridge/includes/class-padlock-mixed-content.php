<?php
/**
 * No mixed content on store pages served over HTTPS.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * On a store page served over HTTPS, writes this site's own http:// URLs as https:// through
 * WordPress's filters (no output buffer): post content, block and widget output, images (src,
 * srcset), scripts and styles (their URLs and their inline data), the site icon and the
 * classic header and background images. Links (`<a href>`, form actions) of this site inside
 * the content, blocks and widgets are rewritten too, so a visitor stays on https; URLs of other
 * hosts are left alone.
 */
final class Padlock_Mixed_Content {

	/**
	 * Hooks the filters. Each one does nothing unless the request is a store page over HTTPS.
	 */
	public static function init() {
		// Late: after do_blocks, wpautop, do_shortcode and wp_filter_content_tags.
		foreach ( array( 'the_content', 'widget_text', 'widget_text_content', 'widget_custom_html_content', 'widget_block_content', 'render_block' ) as $hook ) {
			add_filter( $hook, array( self::class, 'filter_html' ), 99 );
		}
		add_filter( 'script_loader_src', array( self::class, 'filter_asset_src' ), 20 );
		add_filter( 'style_loader_src', array( self::class, 'filter_asset_src' ), 20 );
		foreach ( array( 'wp_get_attachment_url', 'get_site_icon_url', 'theme_mod_header_image', 'theme_mod_background_image', 'get_header_image_tag' ) as $hook ) {
			add_filter( $hook, array( self::class, 'filter_html' ), 20 );
		}
		add_filter( 'wp_get_attachment_image_src', array( self::class, 'filter_image_src' ), 20 );
		add_filter( 'wp_calculate_image_srcset', array( self::class, 'filter_srcset' ), 20 );
		add_filter( 'wp_get_attachment_image_attributes', array( self::class, 'filter_image_attributes' ), 20 );
		// A classic theme's comment form (block themes' comes through render_block).
		add_filter( 'comment_form_defaults', array( self::class, 'filter_comment_form' ), 20 );
		// Inline styles (e.g. theme.json web fonts) and scripts' inline data, just before printing.
		add_action( 'wp_print_styles', array( self::class, 'filter_inline_assets' ), 1 );
		add_action( 'wp_print_scripts', array( self::class, 'filter_inline_assets' ), 1 );
		add_action( 'wp_print_footer_scripts', array( self::class, 'filter_inline_assets' ), 1 );
	}

	/**
	 * Whether this request is a store page served over HTTPS.
	 *
	 * @return bool
	 */
	public static function active() {
		return Padlock_Store_Pages::is_store_page() && Padlock_Force_Https::request_is_https();
	}

	/**
	 * Filter callback for HTML and single URLs.
	 *
	 * @param mixed $value HTML or URL (other types pass through).
	 * @return mixed
	 */
	public static function filter_html( $value ) {
		if ( ! is_string( $value ) || false === stripos( $value, 'http' ) || ! self::active() ) {
			return $value;
		}
		return self::to_https( $value );
	}

	/**
	 * script_loader_src, style_loader_src (also the emoji script's URL): this site's
	 * http:// script and style URLs as https:// on a store page served over HTTPS.
	 *
	 * @param mixed $src Script or style URL.
	 * @return mixed
	 */
	public static function filter_asset_src( $src ) {
		return self::filter_html( $src );
	}

	/**
	 * wp_get_attachment_image_src: array( url, width, height, is_intermediate ) or false.
	 *
	 * @param array|false $image Image data.
	 * @return array|false
	 */
	public static function filter_image_src( $image ) {
		if ( is_array( $image ) && isset( $image[0] ) && is_string( $image[0] ) ) {
			$image[0] = self::filter_html( $image[0] );
		}
		return $image;
	}

	/**
	 * wp_calculate_image_srcset: sources, each array( url, descriptor, value ).
	 *
	 * @param array|false $sources Sources.
	 * @return array|false
	 */
	public static function filter_srcset( $sources ) {
		if ( ! is_array( $sources ) ) {
			return $sources;
		}
		foreach ( $sources as $key => $source ) {
			if ( is_array( $source ) && isset( $source['url'] ) && is_string( $source['url'] ) ) {
				$sources[ $key ]['url'] = self::filter_html( $source['url'] );
			}
		}
		return $sources;
	}

	/**
	 * wp_get_attachment_image_attributes: src and srcset of wp_get_attachment_image().
	 *
	 * @param array $attr Attributes.
	 * @return array
	 */
	public static function filter_image_attributes( $attr ) {
		if ( ! is_array( $attr ) ) {
			return $attr;
		}
		foreach ( array( 'src', 'srcset' ) as $name ) {
			if ( isset( $attr[ $name ] ) && is_string( $attr[ $name ] ) ) {
				$attr[ $name ] = self::filter_html( $attr[ $name ] );
			}
		}
		return $attr;
	}

	/**
	 * comment_form_defaults: its action, so the form does not post from an https page to http.
	 *
	 * @param array $defaults Comment form arguments.
	 * @return array
	 */
	public static function filter_comment_form( $defaults ) {
		if ( is_array( $defaults ) && isset( $defaults['action'] ) && is_string( $defaults['action'] ) ) {
			$defaults['action'] = self::filter_html( $defaults['action'] );
		}
		return $defaults;
	}

	/**
	 * wp_print_styles, wp_print_scripts, wp_print_footer_scripts (first): rewrites the inline
	 * styles and the inline and localized data of registered styles and scripts.
	 */
	public static function filter_inline_assets() {
		if ( ! self::active() ) {
			return;
		}
		foreach ( array( wp_styles(), wp_scripts() ) as $deps ) {
			foreach ( $deps->registered as $handle => $dependency ) {
				if ( ! $dependency instanceof _WP_Dependency || empty( $dependency->extra ) ) {
					continue;
				}
				foreach ( array( 'before', 'after', 'data' ) as $key ) {
					if ( ! isset( $dependency->extra[ $key ] ) ) {
						continue;
					}
					$value = $dependency->extra[ $key ];
					if ( is_string( $value ) ) {
						$new = self::to_https( $value );
					} elseif ( is_array( $value ) ) {
						$new = array_map(
							static function ( $item ) {
								return is_string( $item ) ? self::to_https( $item ) : $item;
							},
							$value
						);
					} else {
						continue;
					}
					if ( $new !== $value ) {
						$deps->add_data( $handle, $key, $new );
					}
				}
			}
		}
	}

	/**
	 * Rewrites this site's http:// origins (home_url()'s host, with any port, any letter case,
	 * also JSON-escaped as `http:\/\/`) to Padlock_Force_Https::https_origin(). Other hosts
	 * (including `http://<host>.evil.example` and `http://<host>@evil.example`),
	 * protocol-relative and https URLs are left as they are.
	 *
	 * An address that says http:// with a port also has https:// URLs on that port rewritten:
	 * WordPress builds them during an HTTPS request, but that port speaks plain HTTP.
	 *
	 * @param string $html_or_url HTML, CSS, JSON or one URL.
	 * @return string
	 */
	public static function to_https( $html_or_url ) {
		if ( ! is_string( $html_or_url ) || false === stripos( $html_or_url, 'http' ) ) {
			return (string) $html_or_url;
		}
		$home = wp_parse_url( (string) get_option( 'home' ) );
		$host = is_array( $home ) && isset( $home['host'] ) ? strtolower( $home['host'] ) : '';
		if ( '' === $host ) {
			return $html_or_url;
		}
		$origin = self::https_origin();
		$quoted = preg_quote( $host, '~' );
		// After the host (and port): the end, or a character that cannot continue a host or port.
		$end      = '(?=$|[/?#"\'\s<>)\\\\,;&\]])';
		$patterns = array(
			'~\bhttp://' . $quoted . '(?::\d*)?' . $end . '~i',
			'~\bhttp:\\\\/\\\\/' . $quoted . '(?::\d*)?' . $end . '~i',
		);
		$http_port = 'http' === strtolower( $home['scheme'] ?? '' ) && isset( $home['port'] ) ? (int) $home['port'] : 0;
		if ( $http_port && (int) ( wp_parse_url( $origin, PHP_URL_PORT ) ?? 443 ) !== $http_port ) {
			$patterns[] = '~\bhttps://' . $quoted . ':' . $http_port . $end . '~i';
			$patterns[] = '~\bhttps:\\\\/\\\\/' . $quoted . ':' . $http_port . $end . '~i';
		}
		$plain = self::replacement( $origin );
		$json  = self::replacement( str_replace( '/', '\\/', $origin ) );
		$out   = preg_replace( $patterns, array( $plain, $json, $plain, $json ), $html_or_url );
		return is_string( $out ) ? $out : $html_or_url;
	}

	/**
	 * @return string The https origin for this site, e.g. https://blog.example:8443.
	 */
	private static function https_origin() {
		return rtrim( Padlock_Force_Https::https_origin(), '/' );
	}

	/**
	 * @param string $text Literal text.
	 * @return string The text escaped for a preg_replace() replacement.
	 */
	private static function replacement( $text ) {
		return str_replace( array( '\\', '$' ), array( '\\\\', '\\$' ), $text );
	}

	/**
	 * Every sub-resource the HTML still loads over plain http:// (any host): src of script,
	 * img, iframe, frame, video, audio, source, track, embed, input; srcset of img and source;
	 * video poster; object data; href of link rel=stylesheet/preload/modulepreload/icon/
	 * apple-touch-icon/manifest; CSS url() and @import in <style> elements and style
	 * attributes. Comments and script bodies are not scanned. Pure: no WordPress state.
	 *
	 * @param string $html A page.
	 * @return string[] The URLs (entities decoded), each once: those in <style> elements first,
	 *                  then those of tags in order of appearance.
	 */
	public static function http_subresources( $html ) {
		if ( ! is_string( $html ) || '' === $html ) {
			return array();
		}
		$urls = array();
		$add  = static function ( $url ) use ( &$urls ) {
			$url = trim( html_entity_decode( (string) $url, ENT_QUOTES | ENT_HTML5, 'UTF-8' ) );
			if ( 0 === stripos( $url, 'http://' ) && ! in_array( $url, $urls, true ) ) {
				$urls[] = $url;
			}
		};
		$css = static function ( $text ) use ( $add ) {
			$text = html_entity_decode( (string) $text, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
			if ( preg_match_all( '~url\(\s*(["\']?)(.*?)\1\s*\)|@import\s+(["\'])(.*?)\3~is', $text, $ms, PREG_SET_ORDER ) ) {
				foreach ( $ms as $m ) {
					$add( isset( $m[4] ) && '' !== $m[4] ? $m[4] : $m[2] );
				}
			}
		};

		$html = (string) preg_replace( '~<!--.*?(?:-->|$)~s', '', $html );
		// Script bodies are not markup; style bodies are scanned as CSS.
		$html = (string) preg_replace( '~(<script\b[^>]*>).*?(</script\s*>|$)~is', '$1$2', $html );
		if ( preg_match_all( '~<style\b[^>]*>(.*?)(?:</style\s*>|$)~is', $html, $styles ) ) {
			foreach ( $styles[1] as $body ) {
				$css( $body );
			}
		}

		$src_tags = array( 'script', 'img', 'iframe', 'frame', 'video', 'audio', 'source', 'track', 'embed', 'input' );
		$rels     = array( 'stylesheet', 'preload', 'modulepreload', 'icon', 'apple-touch-icon', 'manifest' );
		if ( ! preg_match_all( '~<([a-z][a-z0-9-]*)((?:[^>"\']+|"[^"]*"|\'[^\']*\')*)>~i', $html, $tags, PREG_SET_ORDER ) ) {
			return $urls;
		}
		foreach ( $tags as $tag ) {
			$name  = strtolower( $tag[1] );
			$attrs = self::attributes( $tag[2] );
			if ( isset( $attrs['style'] ) ) {
				$css( $attrs['style'] );
			}
			if ( in_array( $name, $src_tags, true ) && isset( $attrs['src'] ) ) {
				$add( $attrs['src'] );
			}
			if ( ( 'img' === $name || 'source' === $name ) && isset( $attrs['srcset'] ) ) {
				foreach ( explode( ',', $attrs['srcset'] ) as $candidate ) {
					$parts = preg_split( '/\s+/', trim( $candidate ) );
					$add( is_array( $parts ) ? $parts[0] : '' );
				}
			}
			if ( 'video' === $name && isset( $attrs['poster'] ) ) {
				$add( $attrs['poster'] );
			}
			if ( 'object' === $name && isset( $attrs['data'] ) ) {
				$add( $attrs['data'] );
			}
			if ( 'link' === $name && isset( $attrs['href'], $attrs['rel'] )
				&& array_intersect( preg_split( '/\s+/', strtolower( trim( $attrs['rel'] ) ) ), $rels ) ) {
				$add( $attrs['href'] );
			}
		}
		return $urls;
	}

	/**
	 * @param string $text The attributes part of a start tag.
	 * @return array<string, string> Lower-case name => raw value (first occurrence wins, as in HTML).
	 */
	private static function attributes( $text ) {
		$attrs = array();
		if ( preg_match_all( '~([^\s=/>"\']+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>"\']+)))?~', $text, $ms, PREG_SET_ORDER ) ) {
			foreach ( $ms as $m ) {
				$name = strtolower( $m[1] );
				if ( ! isset( $attrs[ $name ] ) ) {
					$attrs[ $name ] = isset( $m[4] ) && '' !== $m[4] ? $m[4] : ( isset( $m[3] ) && '' !== $m[3] ? $m[3] : ( $m[2] ?? '' ) );
				}
			}
		}
		return $attrs;
	}
}
