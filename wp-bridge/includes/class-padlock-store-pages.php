<?php
/**
 * Which front-end pages show the store, and where the store is placed.
 *
 * @package PadlockStore
 */

defined('ABSPATH') || exit;

/**
 * Finds the store wherever WordPress can render it: the `[padlock_store]` shortcode and the
 * `padlock-store/store` block in a post, in synced patterns (`wp_block` posts, nested), in
 * widgets of an active sidebar, and in the block templates and template parts of a block theme.
 * Page builders say so through the `padlock_store_is_store_page` filter.
 */
final class Padlock_Store_Pages {

	const BLOCK     = 'padlock-store/store';
	const SHORTCODE = 'padlock_store';

	/**
	 * How deep patterns and template parts are followed (core guards cycles, not depth).
	 */
	const MAX_DEPTH = 10;

	/**
	 * How many posts found by LIKE found() checks one by one (the newest).
	 */
	const CHECKED_CANDIDATES = 200;

	/**
	 * Widget types whose content can hold the store: id base => option field.
	 */
	const WIDGET_FIELDS = array(
		'block'       => 'content',
		'text'        => 'text',
		'custom_html' => 'content',
	);

	/**
	 * The answer of is_store_page() for this request, with the block template content it took
	 * into account (null: not known yet, so post, patterns and widgets only).
	 *
	 * @var array{template: string|null, result: bool}|null
	 */
	private static $cache = null;

	/**
	 * The template file WordPress will load, once template_include has run (null before).
	 *
	 * @var string|null
	 */
	private static $template = null;

	/**
	 * Guards against a filter callback asking is_store_page() while it is being computed.
	 *
	 * @var bool
	 */
	private static $computing = false;

	/**
	 * Whether a widget in an active sidebar holds the store (null: not looked at yet).
	 *
	 * @var bool|null
	 */
	private static $in_widgets = null;

	/**
	 * Hooks the recording of the resolved template.
	 */
	public static function init() {
		// Late, but before callers that hook template_include "late" (at 1000 or later) to ask.
		add_filter( 'template_include', array( self::class, 'record_template' ), 999 );
	}

	/**
	 * Forgets what this request has computed (for tests, and for code that changes the query).
	 */
	public static function flush() {
		self::$cache      = null;
		self::$template   = null;
		self::$in_widgets = null;
	}

	/**
	 * template_include: remembers the template that will be loaded; the cached answer is
	 * computed again with the block template taken into account.
	 *
	 * @param string $template Template file.
	 * @return string The same file.
	 */
	public static function record_template( $template ) {
		self::$template = is_string( $template ) ? $template : '';
		self::$cache    = null;
		return $template;
	}

	/**
	 * Whether the current front-end request shows the store. Known from 'wp' on from the
	 * queried post(s), their synced patterns and the widgets of active sidebars; once the
	 * template is resolved (template_include), a block template or template part holding the
	 * store counts too. False in wp-admin, REST, Ajax, cron, feeds, robots.txt, embeds and
	 * before 'wp'. Cached per request; the cache is dropped when the template becomes known.
	 *
	 * @return bool
	 */
	public static function is_store_page() {
		if ( self::$computing || ! did_action( 'wp' ) || ! self::is_front_end_html() ) {
			return false;
		}
		$template_content = self::current_template_content();
		// The template content itself is the key: the same string compares in constant time.
		if ( null !== self::$cache && self::$cache['template'] === $template_content ) {
			return self::$cache['result'];
		}

		self::$computing = true;
		try {
			$post   = is_singular() ? get_queried_object() : null;
			$post   = $post instanceof WP_Post ? $post : null;
			$result = self::widgets_hold_store();
			if ( ! $result ) {
				$posts = $post ? array( $post ) : self::main_query_posts();
				foreach ( $posts as $shown ) {
					if ( self::content_holds_store( (string) $shown->post_content ) ) {
						$result = true;
						break;
					}
				}
			}
			if ( ! $result && null !== $template_content ) {
				$result = self::content_holds_store( $template_content );
			}

			/**
			 * Filters whether the current request shows the store (and so is served over HTTPS
			 * without mixed content). Page builders that keep their layout outside
			 * post_content return true for their pages.
			 *
			 * @param bool         $result Whether the page shows the store.
			 * @param WP_Post|null $post   The queried post, if singular.
			 */
			$result = (bool) apply_filters( 'padlock_store_is_store_page', $result, $post );
		} finally {
			self::$computing = false;
		}
		self::$cache = array(
			'template' => $template_content,
			'result'   => $result,
		);
		return $result;
	}

	/**
	 * Whether this request is a front-end HTML page (not admin, REST, Ajax, cron, a feed…).
	 *
	 * @return bool
	 */
	private static function is_front_end_html() {
		if ( is_admin() || wp_doing_ajax() || wp_doing_cron() || ( defined( 'REST_REQUEST' ) && REST_REQUEST )
			|| ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST ) ) {
			return false;
		}
		if ( is_feed() || is_robots() || is_trackback() || is_embed() ) {
			return false;
		}
		return ! ( function_exists( 'is_favicon' ) && is_favicon() );
	}

	/**
	 * The block template content WordPress renders for this request, once template_include has
	 * run and chose the block template canvas; null before, or when a PHP template is used.
	 *
	 * @return string|null
	 */
	private static function current_template_content() {
		global $_wp_current_template_content;
		if ( null === self::$template && ! did_filter( 'template_include' ) ) {
			return null;
		}
		if ( null !== self::$template && 'template-canvas.php' !== basename( self::$template ) ) {
			return null;
		}
		return is_string( $_wp_current_template_content ) && '' !== $_wp_current_template_content ? $_wp_current_template_content : null;
	}

	/**
	 * Posts of the main query on a non-singular page (blog home, archives), whose content a
	 * theme may show in full.
	 *
	 * @return WP_Post[]
	 */
	private static function main_query_posts() {
		global $wp_query;
		if ( ! $wp_query instanceof WP_Query || ! is_array( $wp_query->posts ) ) {
			return array();
		}
		return array_filter(
			$wp_query->posts,
			static function ( $p ) {
				return $p instanceof WP_Post;
			}
		);
	}

	/**
	 * Whether a widget of an active sidebar holds the store: then every front-end page does.
	 *
	 * @return bool
	 */
	private static function widgets_hold_store() {
		if ( null === self::$in_widgets ) {
			self::$in_widgets = array() !== self::store_widgets( 1 );
		}
		return self::$in_widgets;
	}

	/**
	 * Widgets holding the store in registered, active sidebars (not the inactive widgets, not
	 * the orphaned widgets of a previous theme).
	 *
	 * @param int $limit Stop after this many.
	 * @return array<int, array{sidebar: string, sidebar_name: string, widget: string, type: string}>
	 */
	private static function store_widgets( $limit ) {
		$found = array();
		foreach ( (array) wp_get_sidebars_widgets() as $sidebar => $widgets ) {
			if ( ! is_string( $sidebar ) || 'wp_inactive_widgets' === $sidebar || 0 === strpos( $sidebar, 'orphaned_widgets' )
				|| 'array_version' === $sidebar || ! is_array( $widgets ) || ! is_registered_sidebar( $sidebar ) ) {
				continue;
			}
			foreach ( $widgets as $widget_id ) {
				if ( ! is_string( $widget_id ) || ! preg_match( '/^(.+)-(\d+)$/', $widget_id, $m ) || ! isset( self::WIDGET_FIELDS[ $m[1] ] ) ) {
					continue;
				}
				$instances = get_option( 'widget_' . $m[1] );
				$field     = self::WIDGET_FIELDS[ $m[1] ];
				$content   = is_array( $instances ) && isset( $instances[ (int) $m[2] ][ $field ] ) ? $instances[ (int) $m[2] ][ $field ] : '';
				if ( ! is_string( $content ) || ! self::content_holds_store( $content ) ) {
					continue;
				}
				$found[] = array(
					'sidebar'      => $sidebar,
					'sidebar_name' => self::sidebar_name( $sidebar ),
					'widget'       => $widget_id,
					'type'         => $m[1],
				);
				if ( count( $found ) >= $limit ) {
					return $found;
				}
			}
		}
		return $found;
	}

	/**
	 * @param string $sidebar Sidebar id.
	 * @return string Its name as the theme registered it.
	 */
	private static function sidebar_name( $sidebar ) {
		global $wp_registered_sidebars;
		return isset( $wp_registered_sidebars[ $sidebar ]['name'] ) ? (string) $wp_registered_sidebars[ $sidebar ]['name'] : $sidebar;
	}

	/**
	 * Whether block or post content shows the store: the shortcode (not escaped as
	 * `[[padlock_store]]`), the block, or a synced pattern, template part or registered pattern
	 * that does, followed to MAX_DEPTH levels, each at most once (a cycle ends there).
	 *
	 * @param string             $content Content.
	 * @param int                $depth   Levels already followed.
	 * @param array<string,bool> $seen    Patterns and parts on the way here.
	 * @return bool
	 */
	public static function content_holds_store( $content, $depth = 0, array $seen = array() ) {
		if ( ! is_string( $content ) || '' === $content ) {
			return false;
		}
		if ( self::holds_store_directly( $content ) ) {
			return true;
		}
		if ( $depth >= self::MAX_DEPTH || false === strpos( $content, '<!-- wp:' ) ) {
			return false;
		}
		foreach ( self::references( $content ) as $ref ) {
			$key = $ref['type'] . ':' . $ref['id'];
			if ( isset( $seen[ $key ] ) ) {
				continue;
			}
			$inner = self::referenced_content( $ref );
			if ( null !== $inner && self::content_holds_store( $inner, $depth + 1, $seen + array( $key => true ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the content itself holds the shortcode or the block.
	 *
	 * @param string $content Content.
	 * @return bool
	 */
	private static function holds_store_directly( $content ) {
		if ( false !== strpos( $content, '<!-- wp:' . self::BLOCK . ' ' ) ) {
			return true;
		}
		if ( false === stripos( $content, '[' . self::SHORTCODE ) ) {
			return false;
		}
		if ( ! preg_match_all( '/' . get_shortcode_regex( array( self::SHORTCODE ) ) . '/', $content, $matches, PREG_SET_ORDER ) ) {
			return false;
		}
		foreach ( $matches as $m ) {
			if ( ! ( '[' === $m[1] && ']' === $m[6] ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Synced patterns, template parts and registered patterns the content includes.
	 *
	 * @param string $content Block content.
	 * @return array<int, array{type: string, id: string, theme?: string}>
	 */
	private static function references( $content ) {
		$refs = array();
		if ( ! preg_match_all( '~<!--\s+wp:(?:core/)?(block|template-part|pattern)\s+(\{.*?\})\s*/?-->~s', $content, $matches, PREG_SET_ORDER ) ) {
			return $refs;
		}
		foreach ( $matches as $m ) {
			$attrs = json_decode( $m[2], true );
			if ( ! is_array( $attrs ) ) {
				continue;
			}
			if ( 'block' === $m[1] && isset( $attrs['ref'] ) && is_numeric( $attrs['ref'] ) && (int) $attrs['ref'] > 0 ) {
				$refs[] = array(
					'type' => 'wp_block',
					'id'   => (string) (int) $attrs['ref'],
				);
			} elseif ( 'template-part' === $m[1] && isset( $attrs['slug'] ) && is_string( $attrs['slug'] ) ) {
				$theme  = isset( $attrs['theme'] ) && is_string( $attrs['theme'] ) ? $attrs['theme'] : get_stylesheet();
				$refs[] = array(
					'type' => 'wp_template_part',
					'id'   => $theme . '//' . $attrs['slug'],
				);
			} elseif ( 'pattern' === $m[1] && isset( $attrs['slug'] ) && is_string( $attrs['slug'] ) ) {
				$refs[] = array(
					'type' => 'pattern',
					'id'   => $attrs['slug'],
				);
			}
		}
		return $refs;
	}

	/**
	 * The content a reference renders, as core renders it, or null when it renders nothing.
	 *
	 * @param array{type: string, id: string} $ref Reference.
	 * @return string|null
	 */
	private static function referenced_content( array $ref ) {
		if ( 'wp_block' === $ref['type'] ) {
			$pattern = get_post( (int) $ref['id'] );
			if ( ! $pattern instanceof WP_Post || 'wp_block' !== $pattern->post_type || 'publish' !== $pattern->post_status || '' !== $pattern->post_password ) {
				return null;
			}
			return (string) $pattern->post_content;
		}
		if ( 'wp_template_part' === $ref['type'] ) {
			// Core renders only the active theme's parts.
			if ( 0 !== strpos( $ref['id'], get_stylesheet() . '//' ) || ! function_exists( 'get_block_template' ) ) {
				return null;
			}
			$part = get_block_template( $ref['id'], 'wp_template_part' );
			return $part && is_string( $part->content ) ? $part->content : null;
		}
		if ( 'pattern' === $ref['type'] && class_exists( 'WP_Block_Patterns_Registry' ) ) {
			$registered = WP_Block_Patterns_Registry::get_instance()->get_registered( $ref['id'] );
			return is_array( $registered ) && isset( $registered['content'] ) && is_string( $registered['content'] ) ? $registered['content'] : null;
		}
		return null;
	}

	/**
	 * Where the store is placed, for the settings page: widgets of active sidebars first (they
	 * put the store on every page), then block templates and template parts of the active
	 * theme, then published posts of public post types (holding the store directly or through
	 * a synced pattern), then the synced patterns holding it.
	 *
	 * Bounded: posts and patterns are found with LIKE on post_content, at most $limit items are
	 * returned, and 'total' says how many places there are in all. The newest 200 posts that
	 * LIKE finds are checked one by one (text that only looks like the shortcode, such as
	 * `[[padlock_store]]`, does not count); beyond those, 'total' counts LIKE's matches.
	 *
	 * @param int $limit Most items returned.
	 * @return array{items: array<int, array{kind: string, title: string, url: string|null, edit_url: string|null}>, total: int}
	 */
	public static function found( $limit = 50 ) {
		$limit = max( 1, (int) $limit );
		$items = array();
		$total = 0;
		$add   = static function ( array $item ) use ( &$items, &$total, $limit ) {
			++$total;
			if ( count( $items ) < $limit ) {
				$items[] = $item;
			}
		};

		foreach ( self::store_widgets( 100 ) as $widget ) {
			$add(
				array(
					'kind'     => 'widget',
					'title'    => sprintf(
						/* translators: 1: widget type (Block, Text, Custom HTML), 2: sidebar name. */
						__( '%1$s widget in “%2$s”', 'padlock-store' ),
						self::widget_type_label( $widget['type'] ),
						$widget['sidebar_name']
					),
					'url'      => null,
					'edit_url' => current_theme_supports( 'widgets' ) ? admin_url( 'widgets.php' ) : null,
				)
			);
		}

		foreach ( self::store_templates() as $template ) {
			unset( $template['slug'] );
			$add( $template );
		}

		$patterns = self::store_pattern_ids();
		$posts    = self::store_posts( $patterns, $limit );
		$total   += $posts['total'];
		foreach ( $posts['items'] as $item ) {
			if ( count( $items ) < $limit ) {
				$items[] = $item;
			}
		}

		foreach ( $patterns as $id ) {
			$add(
				array(
					'kind'     => 'pattern',
					'title'    => self::post_title( get_post( $id ) ),
					'url'      => null,
					'edit_url' => self::edit_url( $id ),
				)
			);
		}

		return array(
			'items' => $items,
			'total' => $total,
		);
	}

	/**
	 * The front-end URL of one published post or page that shows the store (for the HTTPS
	 * check to load): a post or page holding it (directly or through a synced pattern), else
	 * the home page when a widget of an active sidebar holds it, else a page served by a block
	 * template holding it (home for index/home/front-page, the latest post for single, the
	 * latest page for page). Null when there is none.
	 *
	 * @return string|null
	 */
	public static function first_url() {
		$posts = self::store_posts( self::store_pattern_ids(), 1 );
		foreach ( $posts['items'] as $item ) {
			if ( null !== $item['url'] ) {
				return $item['url'];
			}
		}
		if ( array() !== self::store_widgets( 1 ) ) {
			return home_url( '/' );
		}
		foreach ( self::store_templates() as $template ) {
			$slug = isset( $template['slug'] ) ? $template['slug'] : '';
			if ( in_array( $slug, array( 'index', 'home', 'front-page' ), true ) ) {
				return home_url( '/' );
			}
			$type = in_array( $slug, array( 'single', 'single-post', 'singular' ), true ) ? 'post' : ( 'page' === $slug ? 'page' : null );
			if ( null === $type ) {
				continue;
			}
			$latest = get_posts(
				array(
					'post_type'        => $type,
					'post_status'      => 'publish',
					'numberposts'      => 1,
					'fields'           => 'ids',
					'suppress_filters' => false,
				)
			);
			if ( $latest ) {
				return (string) get_permalink( (int) $latest[0] );
			}
		}
		return null;
	}

	/**
	 * @param string $type Widget id base.
	 * @return string
	 */
	private static function widget_type_label( $type ) {
		switch ( $type ) {
			case 'block':
				return __( 'Block', 'padlock-store' );
			case 'text':
				return __( 'Text', 'padlock-store' );
			default:
				return __( 'Custom HTML', 'padlock-store' );
		}
	}

	/**
	 * Block templates and template parts of the active theme (the site owner's edited copies
	 * first, else the theme's files) that hold the store, directly or through a part or pattern.
	 *
	 * @return array<int, array{kind: string, title: string, url: null, edit_url: string|null, slug: string}>
	 */
	private static function store_templates() {
		if ( ! function_exists( 'get_block_templates' ) || ! ( wp_is_block_theme() || current_theme_supports( 'block-templates' ) ) ) {
			return array();
		}
		$found = array();
		foreach ( array( 'wp_template', 'wp_template_part' ) as $type ) {
			foreach ( (array) get_block_templates( array(), $type ) as $template ) {
				if ( ! $template instanceof WP_Block_Template || ! self::content_holds_store( (string) $template->content ) ) {
					continue;
				}
				$name    = '' !== (string) $template->title ? (string) $template->title : (string) $template->slug;
				$found[] = array(
					'kind'     => 'template',
					'title'    => 'wp_template_part' === $type
						/* translators: %s: template part name, e.g. Header. */
						? sprintf( __( '%s (template part)', 'padlock-store' ), $name )
						/* translators: %s: template name, e.g. Single. */
						: sprintf( __( '%s (template)', 'padlock-store' ), $name ),
					'url'      => null,
					'edit_url' => wp_is_block_theme()
						? admin_url( 'site-editor.php?postType=' . $type . '&postId=' . rawurlencode( (string) $template->id ) )
						: null,
					'slug'     => (string) $template->slug,
				);
			}
		}
		return $found;
	}

	/**
	 * LIKE patterns for content holding the store itself.
	 *
	 * @return string[]
	 */
	private static function direct_like_patterns() {
		global $wpdb;
		return array(
			'%' . $wpdb->esc_like( '[' . self::SHORTCODE ) . '%',
			'%' . $wpdb->esc_like( '<!-- wp:' . self::BLOCK . ' ' ) . '%',
		);
	}

	/**
	 * LIKE patterns for content including one of these synced patterns.
	 *
	 * @param int[] $ids wp_block post ids.
	 * @return string[]
	 */
	private static function ref_like_patterns( array $ids ) {
		global $wpdb;
		$likes = array();
		foreach ( $ids as $id ) {
			$likes[] = '%' . $wpdb->esc_like( '"ref":' . (int) $id . '}' ) . '%';
			$likes[] = '%' . $wpdb->esc_like( '"ref":' . (int) $id . ',' ) . '%';
		}
		return $likes;
	}

	/**
	 * Published synced patterns that hold the store, directly or through other synced patterns
	 * (followed to MAX_DEPTH levels; a cycle adds nothing). At most 100.
	 *
	 * @return int[]
	 */
	private static function store_pattern_ids() {
		global $wpdb;
		$found = array();
		$likes = self::direct_like_patterns();
		for ( $level = 0; $level <= self::MAX_DEPTH && $likes && count( $found ) < 100; $level++ ) {
			$where = implode( ' OR ', array_fill( 0, count( $likes ), 'post_content LIKE %s' ) );
			$sql   = "SELECT ID, post_content FROM {$wpdb->posts} WHERE post_type = 'wp_block' AND post_status = 'publish' AND post_password = '' AND ( {$where} ) ORDER BY ID LIMIT 200";
			// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- $where is placeholders only.
			$rows = $wpdb->get_results( $wpdb->prepare( $sql, $likes ) );
			$new  = array();
			foreach ( (array) $rows as $row ) {
				$id = (int) $row->ID;
				if ( in_array( $id, $found, true ) ) {
					continue;
				}
				// Verify what LIKE matched: the real shortcode or block, or a ref to a store pattern.
				$holds = self::holds_store_directly( (string) $row->post_content );
				foreach ( self::references( (string) $row->post_content ) as $ref ) {
					if ( $holds ) {
						break;
					}
					$holds = 'wp_block' === $ref['type'] && in_array( (int) $ref['id'], $found, true );
				}
				if ( $holds ) {
					$new[] = $id;
				}
			}
			$found = array_merge( $found, $new );
			$likes = self::ref_like_patterns( $new );
		}
		return array_slice( $found, 0, 100 );
	}

	/**
	 * Published posts of public post types holding the store directly or through one of these
	 * synced patterns, newest first.
	 *
	 * @param int[] $patterns Store pattern ids.
	 * @param int   $limit    Most items.
	 * @return array{items: array<int, array{kind: string, title: string, url: string|null, edit_url: string|null}>, total: int}
	 */
	private static function store_posts( array $patterns, $limit ) {
		global $wpdb;
		$types = array_values( array_diff( get_post_types( array( 'public' => true ) ), array( 'attachment' ) ) );
		if ( ! $types ) {
			return array(
				'items' => array(),
				'total' => 0,
			);
		}
		$likes  = array_merge( self::direct_like_patterns(), self::ref_like_patterns( $patterns ) );
		$where  = implode( ' OR ', array_fill( 0, count( $likes ), 'post_content LIKE %s' ) );
		$in     = implode( ', ', array_fill( 0, count( $types ), '%s' ) );
		$filter = "FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_type IN ( {$in} ) AND ( {$where} )";
		$args   = array_merge( $types, $likes );
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		$total = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) {$filter}", $args ) );
		// The newest candidates are checked one by one (LIKE also matches `[[padlock_store]]` or
		// `[padlock_store_x]`); candidates beyond that are counted as they are.
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		$ids = array_map( 'intval', (array) $wpdb->get_col( $wpdb->prepare( "SELECT ID {$filter} ORDER BY post_date DESC, ID DESC LIMIT %d", array_merge( $args, array( self::CHECKED_CANDIDATES ) ) ) ) );
		_prime_post_caches( $ids, false, false );
		$items = array();
		foreach ( $ids as $id ) {
			$post = get_post( $id );
			if ( ! $post instanceof WP_Post || ! self::content_holds_store( (string) $post->post_content ) ) {
				--$total;
				continue;
			}
			if ( count( $items ) < $limit ) {
				$items[] = array(
					'kind'     => 'post',
					'title'    => self::post_title( $post ),
					'url'      => (string) get_permalink( $post ),
					'edit_url' => self::edit_url( $post->ID ),
				);
			}
		}
		return array(
			'items' => $items,
			'total' => max( count( $items ), $total ),
		);
	}

	/**
	 * @param WP_Post|null $post Post.
	 * @return string Its title, or "(no title)".
	 */
	private static function post_title( $post ) {
		$title = $post instanceof WP_Post ? get_the_title( $post ) : '';
		return '' !== trim( wp_strip_all_tags( $title ) ) ? wp_strip_all_tags( $title ) : __( '(no title)', 'padlock-store' );
	}

	/**
	 * @param int $id Post id.
	 * @return string|null The editor URL, when the current user may edit it.
	 */
	private static function edit_url( $id ) {
		$url = get_edit_post_link( (int) $id, 'raw' );
		return is_string( $url ) && '' !== $url ? $url : null;
	}
}
