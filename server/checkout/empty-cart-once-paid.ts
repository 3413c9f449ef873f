import { CartItem } from '../cart/cart-item.entity';
import { acceptsPayment } from '../orders/order-state';
import type { OrderEffect } from '../orders/order-transitions';
import { Checkout } from './checkout.entity';

/**
 * The shopper has paid (or their payment is held for review): the cart that became this order
 * starts empty on their next visit. Only when the payment is accepted (see `acceptsPayment`), so a held
 * order captured later does not empty a cart the shopper has filled again since.
 */
export const emptyCartOncePaid: OrderEffect = async (manager, change) => {
  if (!acceptsPayment(change.from, change.to)) return;
  // One statement: the cart is found through its checkout (indexed by order) inside the DELETE.
  await manager
    .createQueryBuilder()
    .delete()
    .from(CartItem)
    .where(
      `cart_id IN (${manager.createQueryBuilder().subQuery().select('c.cart_id').from(Checkout, 'c').where('c.order_id = :orderId').getQuery()})`,
      {
        orderId: change.order.id,
      },
    )
    .execute();
};
