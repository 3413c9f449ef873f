import type { DataSource } from 'typeorm';
import type { Order } from '../orders/order.entity';
import type { OrderFacts } from '../orders/order-state';
import { Payment } from './payment.entity';

/** What the order state machine needs to know of an order's payments, from the payments themselves. */
export function orderFactsFrom(order: Order, payments: readonly Payment[], now: Date): OrderFacts {
  return {
    status: order.status,
    expiresAt: order.expiresAt,
    now,
    refundable: payments.filter((p) => p.status === 'captured').reduce((sum, p) => sum + p.capturedAmount - p.refundedAmount, 0),
    hasPaymentAtGateway: payments.some((p) => Boolean(p.checkoutRef || p.paymentRef)),
  };
}

/** {@link orderFactsFrom}, loading the order's payments. */
export async function loadOrderFacts(dataSource: DataSource, order: Order, now: Date): Promise<OrderFacts> {
  const payments = await dataSource.getRepository(Payment).find({ where: { orderId: order.id }, order: { id: 'ASC' } });
  return orderFactsFrom(order, payments, now);
}
