/** An amount in integer minor units (cents, yen, fils) of an ISO-4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

export interface Product {
  id: number;
  slug: string;
  name: string;
  description: string;
  price: Money;
  image: string | null;
  inStock: boolean;
  category: string | null;
}

export interface ProductPage {
  items: Product[];
  total: number;
  limit: number;
  offset: number;
}

export interface CartItem {
  id: number;
  productId: number;
  slug: string;
  name: string;
  image: string | null;
  unitPrice: Money;
  quantity: number;
  lineTotal: Money;
  /** Sent by the store but not part of the documented contract: false when stock no longer covers the quantity. */
  available?: boolean;
}

export interface Cart {
  id: string;
  items: CartItem[];
  total: Money;
  itemCount: number;
}

/** A failed API call, carrying the server's `{ error: { code, message } }` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The store's HTTP API, one method per endpoint. */
export interface StoreApi {
  /** One page of the catalog, or of one category of it. */
  listProducts(limit: number, offset: number, category: string | null): Promise<ProductPage>;
  getProduct(slug: string): Promise<Product>;
  createCart(): Promise<Cart>;
  getCart(cartId: string): Promise<Cart>;
  addItem(cartId: string, productId: number, quantity: number): Promise<Cart>;
  setQuantity(cartId: string, itemId: number, quantity: number): Promise<Cart>;
  removeItem(cartId: string, itemId: number): Promise<Cart>;
  checkout(cartId: string, returnUrl: string): Promise<{ checkoutUrl: string }>;
}

/**
 * Creates a client for the store whose API lives at `<base>/api`.
 *
 * @param base - the store's base URL, without a trailing slash
 */
export function createApi(base: string): StoreApi {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}/api${path}`, {
        method,
        mode: 'cors',
        // The widget runs on other sites: never send their cookies, nor ours.
        credentials: 'omit',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'The store could not be reached. Please check your connection and try again.');
    }
    const data: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      throw new ApiError(
        response.status,
        typeof error?.code === 'string' ? error.code : 'http_error',
        typeof error?.message === 'string' && error.message ? error.message : `The store answered with an error (${response.status}).`,
      );
    }
    if (data === undefined) throw new ApiError(response.status, 'bad_response', 'The store sent an unreadable answer.');
    return data as T;
  }

  const cart = (cartId: string): string => `/carts/${encodeURIComponent(cartId)}`;

  return {
    listProducts: (limit, offset, category) =>
      call('GET', `/products?limit=${limit}&offset=${offset}${category ? `&category=${encodeURIComponent(category)}` : ''}`),
    getProduct: (slug) => call('GET', `/products/${encodeURIComponent(slug)}`),
    createCart: () => call('POST', '/carts', {}),
    getCart: (cartId) => call('GET', cart(cartId)),
    addItem: (cartId, productId, quantity) => call('POST', `${cart(cartId)}/items`, { productId, quantity }),
    setQuantity: (cartId, itemId, quantity) => call('PATCH', `${cart(cartId)}/items/${itemId}`, { quantity }),
    removeItem: (cartId, itemId) => call('DELETE', `${cart(cartId)}/items/${itemId}`),
    checkout: (cartId, returnUrl) => call('POST', `${cart(cartId)}/checkout`, { returnUrl }),
  };
}
