import type { Money } from '../money';
import type { Product } from './product.entity';

/** A product as the public JSON API shows it (DESIGN "Public HTTP contract"). */
export interface ProductView {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly image: string | null;
  readonly inStock: boolean;
  /** Category slug, or null. */
  readonly category: string | null;
}

/** Absolute URL of a product image: stored paths are relative to the store's origin. */
export function imageUrl(image: string | null, publicUrl: string): string | null {
  if (image === null) return null;
  return /^https:\/\//.test(image) ? image : `${publicUrl}${image.startsWith('/') ? '' : '/'}${image}`;
}

export function toProductView(product: Product, publicUrl: string): ProductView {
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    price: { amount: product.price, currency: product.currency },
    image: imageUrl(product.image, publicUrl),
    inStock: product.stock > 0,
    category: product.category,
  };
}
