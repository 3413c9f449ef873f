/**
 * Editor side of the padlock-store/store block. Plain JavaScript on WordPress's globals (no
 * build step). The block is dynamic: save() stores nothing but its attributes and the page is
 * rendered by render.php, so the editor shows a placeholder rather than the live store.
 */
( function ( blocks, element, blockEditor, components, i18n ) {
	'use strict';

	var el = element.createElement;
	var __ = i18n.__;
	var sprintf = i18n.sprintf;

	function slug( value ) {
		// As the plugin's PHP does: words of a-z and 0-9 joined by single hyphens.
		return String( value || '' )
			.normalize( 'NFD' )
			.replace( /[\u0300-\u036f]/g, '' )
			.toLowerCase()
			.replace( /[^a-z0-9]+/g, '-' )
			.replace( /^-+/, '' );
	}

	function summary( attributes ) {
		if ( attributes.view === 'cart' ) {
			return __( 'Shows the cart.', 'padlock-store' );
		}
		if ( attributes.view === 'product' ) {
			return attributes.product
				? /* translators: %s: product slug. */ sprintf( __( 'Shows the product “%s”.', 'padlock-store' ), attributes.product )
				: __( 'Enter a product slug in the block settings; until then the catalog is shown.', 'padlock-store' );
		}
		return attributes.category
			? /* translators: %s: category. */ sprintf( __( 'Shows the catalog (category: %s).', 'padlock-store' ), attributes.category )
			: __( 'Shows the catalog.', 'padlock-store' );
	}

	blocks.registerBlockType( 'padlock-store/store', {
		edit: function ( props ) {
			var attributes = props.attributes;
			var setAttributes = props.setAttributes;
			var blockProps = blockEditor.useBlockProps();

			var controls = el(
				blockEditor.InspectorControls,
				null,
				el(
					components.PanelBody,
					{ title: __( 'Store', 'padlock-store' ), initialOpen: true },
					el( components.SelectControl, {
						label: __( 'View', 'padlock-store' ),
						value: attributes.view,
						options: [
							{ label: __( 'Catalog', 'padlock-store' ), value: 'catalog' },
							{ label: __( 'Product', 'padlock-store' ), value: 'product' },
							{ label: __( 'Cart', 'padlock-store' ), value: 'cart' },
						],
						onChange: function ( value ) {
							setAttributes( { view: value } );
						},
					} ),
					el( components.TextControl, {
						label: __( 'Product slug', 'padlock-store' ),
						help: __( 'For the product view, for example enamel-mug (lower-case letters, digits and hyphens).', 'padlock-store' ),
						value: attributes.product,
						onChange: function ( value ) {
							setAttributes( { product: slug( value ) } );
						},
					} ),
					el( components.TextControl, {
						label: __( 'Category', 'padlock-store' ),
						help: __( 'Optional: show only one category of the catalog, by its slug (for example stationery).', 'padlock-store' ),
						value: attributes.category,
						onChange: function ( value ) {
							setAttributes( { category: slug( value ) } );
						},
					} )
				)
			);

			var placeholder = el( components.Placeholder, {
				icon: 'store',
				label: __( 'Padlock Store', 'padlock-store' ),
				instructions: summary( attributes ) + ' ' + __( 'The live store appears on the published page.', 'padlock-store' ),
			} );

			return el( element.Fragment, null, controls, el( 'div', blockProps, placeholder ) );
		},
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n );
