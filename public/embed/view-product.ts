import type { Product } from './api';
import { h, replace } from './dom';
import { formatMoney } from './money';
import { productImage, quantityField, readQuantity } from './parts';
import type { ViewContext } from './view-context';

function details(ctx: ViewContext, product: Product): HTMLElement {
  const quantity = quantityField(1);
  quantity.input.disabled = !product.inStock;
  const add = h(
    'button',
    {
      type: 'button',
      'data-action': 'add-to-cart',
      disabled: !product.inStock,
      onclick: () =>
        void ctx.run(async () => {
          const count = readQuantity(quantity.input);
          await ctx.cart.add(product.id, count);
          ctx.notify(`Added ${count} × ${product.name} to your cart.`);
        }, add),
    },
    'Add to cart',
  );
  return h(
    'div',
    { class: 'product' },
    productImage(product.image, product.name),
    h(
      'div',
      {},
      h('h2', { tabindex: -1 }, product.name),
      h('p', { class: 'price' }, formatMoney(product.price)),
      h('p', { class: 'desc' }, product.description),
      !product.inStock && h('p', { class: 'out' }, 'Out of stock'),
      h('div', { class: 'row' }, quantity.label, add),
    ),
  );
}

/**
 * One product with a quantity field and "Add to cart". Shows `known` at once when the
 * catalog already had the product, otherwise fetches it by slug.
 */
export function productView(ctx: ViewContext, slug: string, known?: Product): HTMLElement {
  const body = h('div', {}, known ? details(ctx, known) : h('p', { class: 'muted' }, 'Loading…'));
  if (!known) {
    void ctx.run(async () => replace(body, details(ctx, await ctx.api.getProduct(slug)))).then((ok) => ok || replace(body));
  }
  return h(
    'section',
    { 'data-view': 'product' },
    h('button', { type: 'button', class: 'link', 'data-action': 'back', onclick: () => ctx.go({ view: 'catalog' }) }, '← Back to catalog'),
    body,
  );
}
