import type { Cart, StoreApi } from './api';
import type { CartSession } from './cart-session';
import { h, replace } from './dom';
import { applyStyles } from './styles';
import { cartView } from './view-cart';
import { catalogView } from './view-catalog';
import type { Route, ViewContext } from './view-context';
import { productView } from './view-product';

/**
 * Mounts one storefront widget into `container`, inside an open shadow root so that the host
 * page's styles cannot reach it. Each widget keeps its own view; the cart is the session's.
 *
 * @param container - the host page's `<div data-padlock-store>`
 * @param api - client of the widget's store
 * @param session - the cart shared with the other widgets of the same store
 * @param start - the first view to show
 * @param category - the category its catalog shows, or null for the whole catalog
 */
export function mountWidget(
  container: HTMLElement,
  api: StoreApi,
  session: CartSession,
  start: Route,
  category: string | null = null,
): void {
  // A second copy of the script on the same page must not mount twice.
  if (container.shadowRoot) return;
  const shadow = container.attachShadow({ mode: 'open' });
  applyStyles(shadow);

  const count = h('span', { 'data-cart-count': true }, '0');
  const error = h('p', { class: 'error', role: 'alert', 'aria-live': 'polite', 'data-error': true });
  const notice = h('p', { class: 'notice', role: 'status' });
  const main = h('div');
  let viewListeners: Array<(cart: Cart | null) => void> = [];

  const ctx: ViewContext = {
    api,
    cart: session,
    category,
    go: (route) => go(route, true),
    notify: (message) => {
      notice.textContent = message;
    },
    onCart: (listener) => {
      viewListeners.push(listener);
    },
    async run(action, control) {
      if (control?.getAttribute('aria-busy') === 'true') return false;
      error.textContent = '';
      notice.textContent = '';
      // aria-busy rather than `disabled`: disabling the focused control would drop keyboard focus.
      control?.setAttribute('aria-busy', 'true');
      try {
        await action();
        return true;
      } catch (failure) {
        error.textContent = failure instanceof Error && failure.message ? failure.message : 'Something went wrong. Please try again.';
        return false;
      } finally {
        control?.removeAttribute('aria-busy');
      }
    },
  };

  function go(route: Route, moveFocus: boolean): void {
    viewListeners = [];
    error.textContent = '';
    notice.textContent = '';
    const view =
      route.view === 'cart' ? cartView(ctx) : route.view === 'product' ? productView(ctx, route.slug, route.product) : catalogView(ctx);
    replace(main, view);
    // Only after a visitor's own click: focusing on page load would scroll the host page.
    if (moveFocus) view.querySelector<HTMLElement>('h2')?.focus();
  }

  const showCount = (cart: Cart | null): void => {
    count.textContent = String(cart?.itemCount ?? 0);
  };
  session.subscribe((cart) => {
    showCount(cart);
    for (const listener of viewListeners) listener(cart);
  });
  showCount(session.current);

  shadow.append(
    h(
      'div',
      { class: 'root', 'data-padlock-root': true },
      h(
        'nav',
        { class: 'top', 'aria-label': 'Store' },
        h(
          'button',
          { type: 'button', class: 'link', 'data-action': 'catalog', onclick: () => go({ view: 'catalog' }, true) },
          category ? 'Products' : 'All products',
        ),
        h(
          'button',
          { type: 'button', class: 'alt', 'data-action': 'open-cart', onclick: () => go({ view: 'cart' }, true) },
          'Cart (',
          count,
          ')',
        ),
      ),
      error,
      notice,
      main,
    ),
  );
  go(start, false);
  // The cart view loads the cart itself; other views still want the header count.
  if (start.view !== 'cart') void ctx.run(() => session.load());
}
