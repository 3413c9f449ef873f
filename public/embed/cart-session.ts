import { ApiError, type Cart, type StoreApi } from './api';

type Listener = (cart: Cart | null) => void;

const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.status === 404;

/**
 * The visitor's cart at one store, shared by every widget of that store on the page.
 * The cart id lives in the host page's localStorage; the cart itself is only ever
 * created when it is first needed, so a visitor who only browses costs the store nothing.
 */
export class CartSession {
  private cart: Cart | null = null;
  private loading: Promise<Cart | null> | undefined;
  private creating: Promise<Cart> | undefined;
  private readonly listeners = new Set<Listener>();
  private memoryId: string | null = null;

  constructor(
    private readonly api: StoreApi,
    private readonly storageKey: string,
  ) {}

  /** The last cart the server sent, or null while there is none. */
  get current(): Cart | null {
    return this.cart;
  }

  /** Calls `listener` with every new cart snapshot; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the stored cart, once for all widgets; resolves to the latest cart, or null when the visitor has none yet. */
  load(): Promise<Cart | null> {
    if (!this.loading) {
      this.loading = this.fetchStored().catch((error: unknown) => {
        this.loading = undefined;
        throw error;
      });
    }
    return this.loading.then(() => this.cart);
  }

  /** Adds `quantity` of a product, creating the cart first if needed. */
  async add(productId: number, quantity: number): Promise<Cart> {
    const cart = (await this.load()) ?? (await this.create());
    try {
      return this.set(await this.api.addItem(cart.id, productId, quantity));
    } catch (error) {
      // The API answers 404 both for a missing product and for a missing cart; only the latter is ours to fix.
      if (!isNotFound(error) || !(await this.isGone(cart.id))) throw error;
      const fresh = await this.create();
      return this.set(await this.api.addItem(fresh.id, productId, quantity));
    }
  }

  /** Sets the quantity of one cart line. */
  setQuantity(itemId: number, quantity: number): Promise<Cart> {
    return this.mutate((id) => this.api.setQuantity(id, itemId, quantity));
  }

  /** Removes one cart line. */
  remove(itemId: number): Promise<Cart> {
    return this.mutate((id) => this.api.removeItem(id, itemId));
  }

  /** Asks the store for a hosted checkout page for this cart and returns its URL. */
  async checkout(returnUrl: string): Promise<string> {
    const cart = this.requireCart();
    try {
      return (await this.api.checkout(cart.id, returnUrl)).checkoutUrl;
    } catch (error) {
      await this.resync(error);
      throw error;
    }
  }

  private async mutate(request: (cartId: string) => Promise<Cart>): Promise<Cart> {
    const cart = this.requireCart();
    try {
      return this.set(await request(cart.id));
    } catch (error) {
      await this.resync(error);
      throw error;
    }
  }

  /** After a refused change (stale line, stock conflict), show what the server really holds. */
  private async resync(error: unknown): Promise<void> {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
      this.loading = undefined;
      await this.load().catch(() => undefined);
    }
  }

  private requireCart(): Cart {
    if (!this.cart) throw new ApiError(0, 'no_cart', 'Your cart is empty.');
    return this.cart;
  }

  private async fetchStored(): Promise<Cart | null> {
    const id = this.readId();
    if (!id) return this.set(null);
    try {
      return this.set(await this.api.getCart(id));
    } catch (error) {
      if (isNotFound(error)) return this.create();
      throw error;
    }
  }

  private async isGone(cartId: string): Promise<boolean> {
    try {
      await this.api.getCart(cartId);
      return false;
    } catch (error) {
      return isNotFound(error);
    }
  }

  private create(): Promise<Cart> {
    // Several widgets may ask at once; they must all end up with the same single cart.
    if (!this.creating) {
      this.creating = this.api
        .createCart()
        .then((cart) => {
          this.writeId(cart.id);
          this.loading = Promise.resolve(cart);
          return this.set(cart);
        })
        .finally(() => {
          this.creating = undefined;
        });
    }
    return this.creating;
  }

  private set<T extends Cart | null>(cart: T): T {
    this.cart = cart;
    for (const listener of this.listeners) listener(cart);
    return cart;
  }

  // localStorage throws when the host page's storage is blocked; the cart then lasts for this page view.
  private readId(): string | null {
    try {
      return localStorage.getItem(this.storageKey) ?? this.memoryId;
    } catch {
      return this.memoryId;
    }
  }

  private writeId(id: string): void {
    this.memoryId = id;
    try {
      localStorage.setItem(this.storageKey, id);
    } catch {
      // Kept in memory only.
    }
  }
}

const sessions = new Map<string, CartSession>();

/**
 * The cart session of the store at `base`, created on first use so that all widgets of
 * one store on the page share it.
 *
 * @param api - the store's API client
 * @param base - the store's base URL; its origin names the localStorage key
 */
export function cartSessionFor(api: StoreApi, base: string): CartSession {
  let session = sessions.get(base);
  if (!session) {
    session = new CartSession(api, `padlock-store:cart:${new URL(base).origin}`);
    sessions.set(base, session);
  }
  return session;
}
