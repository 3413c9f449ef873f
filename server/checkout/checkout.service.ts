import type { DataSource } from 'typeorm';
import type { CartService } from '../cart/cart.service';
import type { Cart } from '../cart/cart.entity';
import type { StoreConfig } from '../config';
import { isAllowedReturnUrl } from '../embed-origins';
import { invalidInput, conflict, DomainError, notFound } from '../domain-error';
import { Order } from '../orders/order.entity';
import { placeOrder } from './order-placement';
import { randomToken, TOKEN_PATTERN } from '../random-token';
import { Checkout } from './checkout.entity';
import type { CheckoutDetails } from './checkout-form';
import { inTransaction } from '../db/transaction';
import { singleStatement } from '../db/single-statement';
import { withoutFragment } from '../stored-url';

/** How long a checkout link stays usable before the shopper must start again from the cart. */
const CHECKOUT_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** Checkout sessions: from a cart to the store's checkout page, and from the page to an order. */
export class CheckoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly carts: CartService,
    private readonly config: Pick<StoreConfig, 'publicUrl' | 'embedOrigins' | 'orderTtlMinutes'>,
    private readonly clock: () => Date,
  ) {}

  /**
   * Starts a checkout for a cart and returns the https URL of its checkout page. The return URL is
   * kept without its fragment.
   */
  async start(cartId: string, returnUrl: string): Promise<{ checkoutUrl: string }> {
    if (!isAllowedReturnUrl(returnUrl, this.config.publicUrl, this.config.embedOrigins)) {
      throw invalidInput('returnUrl must be a page on the store or on a site allowed to embed it', [
        { path: 'returnUrl', message: 'origin is not in EMBED_ORIGINS' },
      ]);
    }
    const cart = await this.carts.load(cartId);
    if (cart.items.length === 0) throw conflict('cart_empty', 'The cart is empty; add a product before checking out');
    const short = cart.items.find((i) => !i.product.active || i.product.stock < i.quantity);
    if (short) {
      throw conflict(
        'insufficient_stock',
        short.product.stock === 0 || !short.product.active
          ? `${short.product.name} is out of stock`
          : `Only ${short.product.stock} of ${short.product.name} left in stock`,
      );
    }
    const now = this.clock();
    const id = randomToken();
    // One INSERT: the token is ours, so nothing needs reading back.
    await singleStatement(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(Checkout)
        .values({
          id,
          cartId: cart.id,
          returnUrl: withoutFragment(returnUrl),
          orderId: null,
          expiresAt: new Date(now.getTime() + CHECKOUT_LINK_TTL_MS),
        })
        .updateEntity(false)
        .execute(),
    );
    return { checkoutUrl: `${this.config.publicUrl}/checkout/${id}` };
  }

  /** The checkout behind a token; 404 for unknown tokens, 410 for links that have run out. */
  async find(token: string): Promise<Checkout> {
    const checkout = TOKEN_PATTERN.test(token) ? await this.dataSource.getRepository(Checkout).findOneBy({ id: token }) : null;
    return this.usable(checkout);
  }

  /**
   * {@link find}, with the cart's items and products read in the same query: what {@link submit}
   * places the order from.
   */
  async findWithCart(token: string): Promise<CheckoutWithCart> {
    // find, not findOne: with a limit of one, TypeORM first selects the distinct id in a query of its own.
    const [checkout] = TOKEN_PATTERN.test(token)
      ? await this.dataSource.getRepository(Checkout).find({ where: { id: token }, relations: { cart: { items: { product: true } } } })
      : [];
    const usable = this.usable(checkout ?? null);
    if (!usable.cart) throw notFound('Cart');
    return usable as CheckoutWithCart;
  }

  private usable(checkout: Checkout | null): Checkout {
    if (!checkout) throw notFound('Checkout');
    if (checkout.orderId === null && checkout.expiresAt.getTime() <= this.clock().getTime()) {
      throw new DomainError('gone', 'checkout_expired', 'This checkout link has expired; please start again from your cart');
    }
    return checkout;
  }

  /** The order a checkout created, with its lines and addresses, if the shopper got that far. */
  async orderOf(checkout: Checkout): Promise<Order | null> {
    if (checkout.orderId === null) return null;
    return this.dataSource.getRepository(Order).findOne({
      where: { id: checkout.orderId },
      relations: { lines: true, shippingAddress: true, billingAddress: true },
    });
  }

  /**
   * Places the order for a checkout. Submitting twice (double click, back button) does not place
   * a second order: the checkout is claimed with a conditional update in the same transaction.
   * `checkout` is the one {@link findWithCart} returned for this request: the order is placed from
   * that cart, as a transaction's first read would have given it on MariaDB (a snapshot, not a lock).
   */
  async submit(checkout: CheckoutWithCart, details: CheckoutDetails): Promise<void> {
    if (checkout.orderId !== null) return;
    await inTransaction(this.dataSource, async (manager) => {
      await placeOrder(manager, {
        cart: checkout.cart,
        details,
        returnUrl: checkout.returnUrl,
        now: this.clock(),
        ttlMinutes: this.config.orderTtlMinutes,
        beforeReserving: async (orderId) => {
          const claimed = await manager
            .createQueryBuilder()
            .update(Checkout)
            .set({ orderId })
            .where('id = :id AND order_id IS NULL', { id: checkout.id })
            .execute();
          if (claimed.affected !== 1) throw new CheckoutAlreadyPlaced();
        },
      });
    }).catch((err: unknown) => {
      if (!(err instanceof CheckoutAlreadyPlaced)) throw err;
    });
  }
}

/** A checkout read together with its cart, items and products. */
export type CheckoutWithCart = Checkout & { readonly cart: Cart };

/** Rolls back a second, concurrent placement of the same checkout. */
class CheckoutAlreadyPlaced extends Error {}
