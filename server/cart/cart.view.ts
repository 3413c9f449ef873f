import { imageUrl } from '../catalog/product.view';
import { money, multiply, sum, type Money } from '../money';
import type { Cart } from './cart.entity';

export interface CartItemView {
  readonly id: number;
  readonly productId: number;
  readonly slug: string;
  readonly name: string;
  readonly image: string | null;
  readonly unitPrice: Money;
  readonly quantity: number;
  readonly lineTotal: Money;
  /** Whether the catalog still has this many units to sell. */
  readonly available: boolean;
}

/** A cart as the public JSON API shows it; every amount computed here from catalog prices. */
export interface CartView {
  readonly id: string;
  readonly items: CartItemView[];
  readonly itemCount: number;
  readonly total: Money;
}

/** Builds the view of a cart loaded with its items and their products. */
export function toCartView(cart: Cart, publicUrl: string): CartView {
  const items = [...cart.items]
    .sort((a, b) => a.id - b.id)
    .map((item): CartItemView => {
      const unitPrice = money(item.product.price, item.product.currency);
      return {
        id: item.id,
        productId: item.productId,
        slug: item.product.slug,
        name: item.product.name,
        image: imageUrl(item.product.image, publicUrl),
        unitPrice,
        quantity: item.quantity,
        lineTotal: multiply(unitPrice, item.quantity),
        available: item.product.active && item.product.stock >= item.quantity,
      };
    });
  return {
    id: cart.id,
    items,
    itemCount: items.reduce((n, i) => n + i.quantity, 0),
    total: sum(
      items.map((i) => i.lineTotal),
      cart.currency,
    ),
  };
}
