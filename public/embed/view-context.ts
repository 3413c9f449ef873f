import type { Cart, Product, StoreApi } from './api';
import type { CartSession } from './cart-session';

/** Where a widget is: the view and, for a product, which one (with its data when already known). */
export type Route = { view: 'catalog' } | { view: 'product'; slug: string; product?: Product } | { view: 'cart' };

/** A control that shows it is busy while its action runs. */
export type Control = HTMLButtonElement | HTMLInputElement;

/** What a widget lends the view it is showing. */
export interface ViewContext {
  readonly api: StoreApi;
  readonly cart: CartSession;
  /** The category this widget's catalog shows (its container's `data-category`), or null for all. */
  readonly category: string | null;
  /** Switches this widget to another view. */
  go(route: Route): void;
  /**
   * Runs an action for the visitor: clears old messages, marks `control` busy (and ignores it
   * while it is), and shows the action's error, if any, in the widget's error line.
   * Resolves to whether the action succeeded.
   */
  run(action: () => Promise<unknown>, control?: Control): Promise<boolean>;
  /** Shows a short success message. */
  notify(message: string): void;
  /** Calls `listener` with each new cart for as long as the current view is shown. */
  onCart(listener: (cart: Cart | null) => void): void;
}
