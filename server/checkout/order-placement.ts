import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CartItem } from '../cart/cart-item.entity';
import type { Cart } from '../cart/cart.entity';
import { anySoldOut, bumpCatalogVersion } from '../catalog/catalog-version';
import { Product } from '../catalog/product.entity';
import type { CheckoutDetails } from './checkout-form';
import { shippingMethod } from './shipping-methods';
import { conflict, DomainError } from '../domain-error';
import { add, money, multiply, sum } from '../money';
import { randomToken } from '../random-token';
import { Address } from '../orders/address.entity';
import { OrderEvent } from '../orders/order-event.entity';
import { OrderLine } from '../orders/order-line.entity';
import { Order } from '../orders/order.entity';
import { INITIAL_ORDER_STATUS } from '../orders/order-state';

/** What an order is placed from: the cart, the shopper's details and where they came from. */
export interface PlaceOrderRequest {
  readonly cart: Cart;
  readonly details: CheckoutDetails;
  readonly returnUrl: string;
  readonly now: Date;
  readonly ttlMinutes: number;
  /**
   * The caller's own writes for the new order, in the same transaction (claiming the checkout),
   * run after the order's rows are written and before its stock is reserved.
   */
  readonly beforeReserving?: (orderId: number) => Promise<void>;
}

/**
 * Creates an order in `pending_payment` from a cart and reserves its stock, inside the caller's
 * transaction, and returns the new order's id. The stock of every product in the cart is taken
 * with conditional updates (see {@link reserveStock}), never read-then-write, so
 * concurrent checkouts cannot oversell; any shortfall aborts the whole order with a 409 naming the
 * product. Rows are written without reading them back (nothing after the insert needs the
 * database's defaults), so an order costs one statement per table.
 *
 * The reservation comes late: it locks the product rows, and every checkout of a popular product
 * waits for that lock, so it is held only for the reservation, the lines and the commit. The
 * lines come after it because their foreign key takes a shared lock on the same product rows:
 * two orders holding that shared lock would deadlock on the reservation's exclusive one.
 */
export async function placeOrder(manager: EntityManager, request: PlaceOrderRequest): Promise<number> {
  const { cart, details } = request;
  if (cart.items.length === 0) throw conflict('cart_empty', 'The cart is empty');

  const items = [...cart.items].sort((a, b) => a.productId - b.productId);
  const lineTotals = items.map((item) => multiply(money(item.product.price, item.product.currency), item.quantity));
  const subtotal = sum(lineTotals, cart.currency);
  const shipping = shippingMethod(details.shippingMethod, cart.currency).price;
  const total = add(subtotal, shipping);

  const shippingAddressId = await insertReturningId(manager, Address, details.shipping);
  const billingAddressId =
    details.billing === details.shipping ? shippingAddressId : await insertReturningId(manager, Address, details.billing);

  const orderId = await insertReturningId(manager, Order, {
    publicId: randomToken(),
    status: INITIAL_ORDER_STATUS,
    email: details.email,
    currency: cart.currency,
    subtotal: subtotal.amount,
    shippingAmount: shipping.amount,
    total: total.amount,
    shippingMethod: details.shippingMethod,
    shippingAddressId,
    billingAddressId,
    returnUrl: request.returnUrl,
    expiresAt: new Date(request.now.getTime() + request.ttlMinutes * 60_000),
  });

  await insertRows(manager, OrderEvent, [
    { orderId, fromStatus: null, toStatus: INITIAL_ORDER_STATUS, reason: 'Order placed at checkout; stock reserved' },
  ]);
  await request.beforeReserving?.(orderId);

  if (await reserveStock(manager, items)) await bumpCatalogVersion(manager);
  await insertRows(
    manager,
    OrderLine,
    items.map((item, i) => ({
      orderId,
      productId: item.productId,
      name: item.product.name,
      unitPrice: item.product.price,
      quantity: item.quantity,
      lineTotal: lineTotals[i].amount,
    })),
  );
  return orderId;
}

/**
 * Takes every product's quantity in one UPDATE whose condition holds for each row only while it
 * has enough stock: unless it changed one row per product, some product fell short and the
 * transaction is aborted with a 409 naming it. The rows are locked in primary-key order, so
 * concurrent checkouts cannot deadlock on each other. Returns whether the order sold a product out
 * (the catalog then shows it out of stock).
 *
 * A single product, the usual order, is first taken only if a unit is left behind: when that
 * update changes the row, nothing sold out, and no read is needed to know it.
 */
async function reserveStock(manager: EntityManager, items: readonly CartItem[]): Promise<boolean> {
  // A cart may hold one product on two lines (two concurrent adds): its stock is taken once, for both.
  const wanted = new Map<number, number>();
  for (const item of items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
  const ids = [...wanted.keys()];
  if (ids.length === 1 && (await takeStock(manager, wanted, '>')) === 1) return false;
  if ((await takeStock(manager, wanted, '>=')) === ids.length) return ids.length === 1 || anySoldOut(manager, ids);

  // For the message only: this read may come from the transaction's snapshot, older than the
  // update that just fell short, so it may not show the shortfall.
  const products = await manager.findBy(Product, { id: In(ids) });
  const short =
    items.find((item) => {
      const left = products.find((p) => p.id === item.productId);
      return !left?.active || left.stock < wanted.get(item.productId)!;
    }) ?? items[0];
  const left = products.find((p) => p.id === short.productId);
  throw new DomainError(
    'conflict',
    'insufficient_stock',
    !left?.active || left.stock === 0
      ? `${short.product.name} is no longer in stock`
      : `Only ${left.stock} of ${short.product.name} left in stock; please change the quantity in your cart`,
  );
}

/**
 * One UPDATE taking `wanted` (units per product id) from every active product whose stock compares
 * to its quantity as `comparison` says; returns the rows it changed.
 */
async function takeStock(manager: EntityManager, wanted: ReadonlyMap<number, number>, comparison: '>' | '>='): Promise<number> {
  const ids = [...wanted.keys()];
  const parameters: Record<string, number> = {};
  const cases = ids
    .map((id, i) => {
      parameters[`reserveId${i}`] = id;
      parameters[`reserveQuantity${i}`] = wanted.get(id)!;
      return `WHEN :reserveId${i} THEN :reserveQuantity${i}`;
    })
    .join(' ');
  const quantity = `(CASE id ${cases} END)`;
  const taken = await manager
    .createQueryBuilder()
    .update(Product)
    .set({ stock: () => `stock - ${quantity}` })
    .where(`id IN (:...reserveIds) AND active = :active AND stock ${comparison} ${quantity}`, { reserveIds: ids, active: true })
    .setParameters(parameters)
    .execute();
  return taken.affected ?? 0;
}

/** Inserts one row and returns its generated id, without the SELECT TypeORM adds to read defaults back. */
async function insertReturningId<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: QueryDeepPartialEntity<T>,
): Promise<number> {
  const result = await manager.createQueryBuilder().insert().into(entity).values(values).updateEntity(false).execute();
  // mysql2 reports an OK packet with insertId; better-sqlite3 the statement's lastInsertRowid.
  const raw = result.raw as { insertId?: number | string } | number | bigint;
  const id = typeof raw === 'object' ? raw.insertId : raw;
  if (id === undefined || Number(id) <= 0) throw new Error('the database did not report the inserted row id');
  return Number(id);
}

/** Inserts rows in one statement, without reading them back. */
async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T>[],
): Promise<void> {
  await manager.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
}
