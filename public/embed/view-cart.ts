import type { Cart, CartItem } from './api';
import { openCheckout } from './checkout';
import { h, replace } from './dom';
import { formatMoney } from './money';
import { productImage, quantityField, readQuantity } from './parts';
import type { ViewContext } from './view-context';

function cartLine(ctx: ViewContext, item: CartItem): HTMLElement {
  const quantity = quantityField(item.quantity);
  quantity.input.addEventListener('change', () => {
    void ctx.run(async () => {
      let wanted: number;
      try {
        wanted = readQuantity(quantity.input);
      } catch (error) {
        quantity.input.value = String(item.quantity);
        throw error;
      }
      if (wanted !== item.quantity) await ctx.cart.setQuantity(item.id, wanted);
    }, quantity.input);
  });
  const remove = h(
    'button',
    { type: 'button', class: 'link', 'data-action': 'remove', onclick: () => void ctx.run(() => ctx.cart.remove(item.id), remove) },
    'Remove',
  );
  return h(
    'li',
    { class: 'line', 'data-cart-line': item.slug },
    productImage(item.image, item.name),
    h(
      'div',
      {},
      h('h3', {}, item.name),
      h('div', { class: 'muted' }, `${formatMoney(item.unitPrice)} each`),
      item.available === false && h('div', { class: 'out' }, 'Not enough in stock for this quantity'),
      h('div', { class: 'row' }, quantity.label, remove),
    ),
    h('span', { class: 'price' }, formatMoney(item.lineTotal)),
  );
}

function cartContent(ctx: ViewContext, cart: Cart | null): Node[] {
  const back = h(
    'button',
    { type: 'button', class: 'alt', 'data-action': 'back', onclick: () => ctx.go({ view: 'catalog' }) },
    'Continue shopping',
  );
  if (!cart || cart.items.length === 0) return [h('p', { class: 'muted' }, 'Your cart is empty.'), back];
  const checkout = h(
    'button',
    {
      type: 'button',
      'data-action': 'checkout',
      onclick: () => void ctx.run(async () => openCheckout(await ctx.cart.checkout(location.href)), checkout),
    },
    'Checkout',
  );
  return [
    h('ul', {}, ...cart.items.map((item) => cartLine(ctx, item))),
    h('p', { class: 'sum' }, h('span', {}, 'Total'), h('span', { 'data-cart-total': true }, formatMoney(cart.total))),
    h('div', { class: 'row' }, checkout, back),
  ];
}

/** Where focus was inside the cart body, so a re-render can give it back (or to the heading). */
function focusInside(body: HTMLElement): { slug: string | null; hook: string } | null {
  const active = (body.getRootNode() as ShadowRoot | Document).activeElement;
  if (!active || !body.contains(active)) return null;
  return {
    slug: active.closest('[data-cart-line]')?.getAttribute('data-cart-line') ?? null,
    hook: active.hasAttribute('data-quantity') ? '[data-quantity]' : '[data-action="remove"]',
  };
}

/** The cart: one line per product with editable quantity and Remove, the server's total, and Checkout. */
export function cartView(ctx: ViewContext): HTMLElement {
  const heading = h('h2', { tabindex: -1 }, 'Your cart');
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading your cart…'));
  const view = h('section', { 'data-view': 'cart' }, heading, body);

  const render = (cart: Cart | null): void => {
    const focus = focusInside(body);
    replace(body, ...cartContent(ctx, cart));
    if (!focus) return;
    // Slugs are API data, so lines are matched by attribute value rather than by a built selector.
    const line = Array.from(body.querySelectorAll('[data-cart-line]')).find((el) => el.getAttribute('data-cart-line') === focus.slug);
    (line?.querySelector<HTMLElement>(focus.hook) ?? heading).focus();
  };
  ctx.onCart(render);
  void ctx.run(async () => render(await ctx.cart.load())).then((ok) => ok || replace(body));
  return view;
}
