import type { Product } from './api';
import { h } from './dom';
import { formatMoney } from './money';
import { productImage } from './parts';
import type { ViewContext } from './view-context';

const PAGE_SIZE = 24;

function productCard(ctx: ViewContext, product: Product): HTMLElement {
  const open = (): void => ctx.go({ view: 'product', slug: product.slug, product });
  const add = h(
    'button',
    {
      type: 'button',
      'data-action': 'add-to-cart',
      disabled: !product.inStock,
      onclick: (event) => {
        event.stopPropagation();
        void ctx.run(async () => {
          await ctx.cart.add(product.id, 1);
          ctx.notify(`Added ${product.name} to your cart.`);
        }, add);
      },
    },
    'Add to cart',
  );
  const view = h(
    'button',
    {
      type: 'button',
      class: 'alt',
      'data-action': 'view',
      onclick: (event) => {
        event.stopPropagation();
        open();
      },
    },
    'View',
  );
  return h(
    'li',
    { class: 'card', 'data-product-card': product.slug, onclick: open },
    productImage(product.image, product.name),
    h('h3', {}, product.name),
    h('span', { class: 'price' }, formatMoney(product.price)),
    !product.inStock && h('span', { class: 'out' }, 'Out of stock'),
    h('div', { class: 'row' }, view, add),
  );
}

/** The product grid, loaded a page at a time with a "Show more" button. */
export function catalogView(ctx: ViewContext): HTMLElement {
  const status = h('p', { class: 'muted' }, 'Loading products…');
  const grid = h('ul', { class: 'grid' });
  const more = h('button', { type: 'button', class: 'alt', 'data-action': 'more', hidden: true, onclick: () => void load() }, 'Show more');
  let offset = 0;

  async function load(): Promise<void> {
    const ok = await ctx.run(async () => {
      const page = await ctx.api.listProducts(PAGE_SIZE, offset, ctx.category);
      offset += page.items.length;
      grid.append(...page.items.map((product) => productCard(ctx, product)));
      status.textContent = page.total === 0 ? 'There are no products yet.' : '';
      more.textContent = 'Show more';
      more.hidden = page.items.length === 0 || offset >= page.total;
    }, more);
    if (!ok) {
      status.textContent = '';
      more.textContent = 'Try again';
      more.hidden = false;
    }
  }

  void load();
  return h('section', { 'data-view': 'catalog' }, h('h2', { tabindex: -1 }, 'Products'), status, grid, more);
}
