import type { ProductView } from '../catalog/product.view';
import { toDecimalString } from '../money';

/** A product page's canonical URL on the store. */
export function productUrl(publicUrl: string, slug: string): string {
  return `${publicUrl}/products/${encodeURIComponent(slug)}`;
}

function productData(product: ProductView, publicUrl: string): Record<string, unknown> {
  return {
    '@type': 'Product',
    name: product.name,
    description: product.description,
    sku: product.slug,
    url: productUrl(publicUrl, product.slug),
    ...(product.image ? { image: product.image } : {}),
    offers: {
      '@type': 'Offer',
      price: toDecimalString(product.price),
      priceCurrency: product.price.currency,
      availability: product.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      url: productUrl(publicUrl, product.slug),
    },
  };
}

/** schema.org data for one product. */
export function productStructuredData(product: ProductView, publicUrl: string): Record<string, unknown> {
  return { '@context': 'https://schema.org', ...productData(product, publicUrl) };
}

/** schema.org ItemList of the catalog's products, in catalog order. */
export function catalogStructuredData(products: readonly ProductView[], publicUrl: string): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    itemListElement: products.map((product, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      item: productData(product, publicUrl),
    })),
  };
}

/**
 * JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are escaped so no
 * product text can close the script element.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
