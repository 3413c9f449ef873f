import type { EntityManager } from 'typeorm';
import type { Cart } from '../cart/cart.entity';
import { bumpIfSoldOut } from '../catalog/catalog-version';
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
}

/**
 * Creates an order in `pending_payment` from a cart and reserves its stock, inside the caller's
 * transaction. Each product's stock is taken with one conditional update (`stock >= quantity`),
 * never read-then-write, so concurrent checkouts cannot oversell; any shortfall aborts the whole
 * order with a 409 naming the product.
 */
export async function placeOrder(manager: EntityManager, request: PlaceOrderRequest): Promise<Order> {
  const { cart, details } = request;
  if (cart.items.length === 0) throw conflict('cart_empty', 'The cart is empty');

  // A fixed lock order (by product id) keeps concurrent checkouts from deadlocking.
  const items = [...cart.items].sort((a, b) => a.productId - b.productId);
  for (const item of items) {
    const reserved = await manager
      .createQueryBuilder()
      .update(Product)
      .set({ stock: () => 'stock - :quantity' })
      .where('id = :id AND active = :active AND stock >= :quantity', { id: item.productId, active: true })
      .setParameter('quantity', item.quantity)
      .execute();
    if (reserved.affected !== 1) {
      const left = await manager.findOneBy(Product, { id: item.productId });
      throw new DomainError(
        'conflict',
        'insufficient_stock',
        !left?.active || left.stock === 0
          ? `${item.product.name} is no longer in stock`
          : `Only ${left.stock} of ${item.product.name} left in stock; please change the quantity in your cart`,
      );
    }
  }
  await bumpIfSoldOut(
    manager,
    items.map((item) => item.productId),
  );

  const lineTotals = items.map((item) => multiply(money(item.product.price, item.product.currency), item.quantity));
  const subtotal = sum(lineTotals, cart.currency);
  const shipping = shippingMethod(details.shippingMethod, cart.currency).price;
  const total = add(subtotal, shipping);

  const shippingAddress = await manager.save(Address, manager.create(Address, details.shipping));
  const billingAddress =
    details.billing === details.shipping ? shippingAddress : await manager.save(Address, manager.create(Address, details.billing));

  const order = await manager.save(
    Order,
    manager.create(Order, {
      publicId: randomToken(),
      status: INITIAL_ORDER_STATUS,
      email: details.email,
      currency: cart.currency,
      subtotal: subtotal.amount,
      shippingAmount: shipping.amount,
      total: total.amount,
      shippingMethod: details.shippingMethod,
      shippingAddressId: shippingAddress.id,
      billingAddressId: billingAddress.id,
      returnUrl: request.returnUrl,
      expiresAt: new Date(request.now.getTime() + request.ttlMinutes * 60_000),
    }),
  );

  await manager.insert(
    OrderLine,
    items.map((item, i) => ({
      orderId: order.id,
      productId: item.productId,
      name: item.product.name,
      unitPrice: item.product.price,
      quantity: item.quantity,
      lineTotal: lineTotals[i].amount,
    })),
  );
  await manager.insert(OrderEvent, {
    orderId: order.id,
    fromStatus: null,
    toStatus: INITIAL_ORDER_STATUS,
    reason: 'Order placed at checkout; stock reserved',
  });
  return order;
}
