import type { DataSource, EntityManager } from 'typeorm';
import { Product } from '../catalog/product.entity';
import { invalidInput, conflict, notFound } from '../domain-error';
import { randomToken, TOKEN_PATTERN } from '../random-token';
import { CartItem } from './cart-item.entity';
import { Cart } from './cart.entity';
import { toCartView, type CartView } from './cart.view';
import { inTransaction } from '../db/transaction';
import { singleStatement } from '../db/single-statement';

/** The most units of one product a cart may hold. */
export const MAX_QUANTITY_PER_LINE = 99;

/** Carts: create, read, add, change and remove lines, with quantity bounds and stock checks. */
export class CartService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly currency: string,
    private readonly publicUrl: string,
    private readonly clock: () => Date,
  ) {}

  async create(): Promise<CartView> {
    const id = randomToken();
    // One INSERT, without reading the row back: the id is ours and the view reads the cart anyway.
    await singleStatement(this.dataSource, (manager) =>
      manager.createQueryBuilder().insert().into(Cart).values({ id, currency: this.currency }).updateEntity(false).execute(),
    );
    return this.view(id);
  }

  /** The cart with its items and their products; 404 when the id is unknown. */
  async load(cartId: string, manager: EntityManager = this.dataSource.manager): Promise<Cart> {
    const cart = TOKEN_PATTERN.test(cartId)
      ? // find, not findOne: with a limit of one, TypeORM first selects the distinct id in a query of its own.
        (await manager.find(Cart, { where: { id: cartId }, relations: { items: { product: true } } }))[0]
      : null;
    if (!cart) throw notFound('Cart');
    return cart;
  }

  async view(cartId: string): Promise<CartView> {
    return toCartView(await this.load(cartId), this.publicUrl);
  }

  /** Adds units of a product; a product already in the cart has its quantity increased. */
  async addItem(cartId: string, productId: number, quantity: number): Promise<CartView> {
    await inTransaction(this.dataSource, async (manager) => {
      const cart = await this.load(cartId, manager);
      const product = await this.sellableProduct(manager, productId);
      const existing = cart.items.find((i) => i.productId === productId);
      const wanted = (existing?.quantity ?? 0) + quantity;
      this.checkQuantity(product, wanted);
      if (existing) await manager.update(CartItem, { id: existing.id }, { quantity: wanted });
      else await manager.insert(CartItem, { cartId: cart.id, productId, quantity });
      await manager.update(Cart, { id: cart.id }, { updatedAt: this.clock() });
    });
    return this.view(cartId);
  }

  async updateItem(cartId: string, itemId: number, quantity: number): Promise<CartView> {
    await inTransaction(this.dataSource, async (manager) => {
      const cart = await this.load(cartId, manager);
      const item = cart.items.find((i) => i.id === itemId);
      if (!item) throw notFound('Cart item');
      if (!item.product.active) throw conflict('product_unavailable', `${item.product.name} is no longer available`);
      this.checkQuantity(item.product, quantity);
      await manager.update(CartItem, { id: item.id }, { quantity });
    });
    return this.view(cartId);
  }

  async removeItem(cartId: string, itemId: number): Promise<CartView> {
    await inTransaction(this.dataSource, async (manager) => {
      const cart = await this.load(cartId, manager);
      if (!cart.items.some((i) => i.id === itemId)) throw notFound('Cart item');
      await manager.delete(CartItem, { id: itemId, cartId: cart.id });
    });
    return this.view(cartId);
  }

  private async sellableProduct(manager: EntityManager, productId: number): Promise<Product> {
    const product = await manager.findOneBy(Product, { id: productId, active: true });
    if (!product) throw notFound(`Product ${productId}`);
    return product;
  }

  private checkQuantity(product: Product, quantity: number): void {
    if (quantity > MAX_QUANTITY_PER_LINE) {
      throw invalidInput(`At most ${MAX_QUANTITY_PER_LINE} of one product fit in a cart`, [
        { path: 'quantity', message: `"quantity" must be at most ${MAX_QUANTITY_PER_LINE} in total for ${product.name}` },
      ]);
    }
    if (quantity > product.stock) {
      throw conflict(
        'insufficient_stock',
        product.stock === 0 ? `${product.name} is out of stock` : `Only ${product.stock} of ${product.name} left in stock`,
        [{ path: 'quantity', message: `${product.stock} available` }],
      );
    }
  }
}
