import { createApi, type StoreApi } from './api';
import { cartSessionFor } from './cart-session';
import type { Route } from './view-context';
import { mountWidget } from './widget';
import { warmMoneyFormat } from './money';

// Only set while this script is first evaluated, so it is read now rather than at mount time.
const script = document.currentScript as HTMLScriptElement | null;
const defaultBase = script?.src ? new URL(script.src).origin : location.origin;
const apis = new Map<string, StoreApi>();

/** The store's base URL for a container: its `data-store-url`, else where this script came from. */
function storeBase(container: HTMLElement): string {
  const url = new URL(container.getAttribute('data-store-url') || defaultBase, location.href);
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

function startRoute(container: HTMLElement): Route {
  const view = container.getAttribute('data-view');
  const slug = container.getAttribute('data-product');
  if (view === 'cart') return { view: 'cart' };
  if (view === 'product' && slug) return { view: 'product', slug };
  return { view: 'catalog' };
}

/** The container's `data-category`, or null when it has none (an empty attribute means all). */
function catalogCategory(container: HTMLElement): string | null {
  return container.getAttribute('data-category')?.trim() || null;
}

function mountAll(): void {
  for (const container of Array.from(document.querySelectorAll<HTMLElement>('[data-padlock-store]'))) {
    try {
      const base = storeBase(container);
      let api = apis.get(base);
      if (!api) apis.set(base, (api = createApi(base)));
      mountWidget(container, api, cartSessionFor(api, base), startRoute(container), catalogCategory(container));
    } catch (error) {
      // A misconfigured container (bad data-store-url, element that cannot host a shadow root) must not stop the others.
      console.error('Padlock Store: could not mount a widget', container, error);
    }
  }
}

// Containers already parsed mount now, so their catalog request starts with the script rather than
// after the rest of the host page; DOMContentLoaded picks up any parsed later (mounted ones are skipped).
mountAll();
// After the widgets' first requests have gone out, not when their answers arrive.
setTimeout(warmMoneyFormat, 0);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll, { once: true });
