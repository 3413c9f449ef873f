import type { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { conflict, DomainError } from '../domain-error';
import { Order } from './order.entity';
import { transitionOrder } from './order-transitions';

/** Longest tracking note kept (carrier and tracking number, a short remark). */
export const TRACKING_NOTE_MAX = 500;

/** Marks a paid order shipped, with the admin's tracking note, through the state machine. */
export async function markOrderShipped(dataSource: DataSource, orderId: number, trackingNote: string, now: Date): Promise<void> {
  await inTransaction(dataSource, async (manager) => {
    const order = await manager.findOneBy(Order, { id: orderId });
    if (!order) throw new DomainError('not_found', 'not_found', `Order ${orderId} was not found`);
    if (order.status !== 'paid' && order.status !== 'partially_refunded') {
      throw conflict('order_not_shippable', `Only a paid order can be marked shipped; this one is ${order.status}.`);
    }
    await manager.update(Order, { id: orderId }, { trackingNote });
    await transitionOrder(manager, { ...order, trackingNote }, { to: 'shipped', reason: (trackingNote ? `Shipped: ${trackingNote}` : 'Shipped').slice(0, 500), now });
  });
}
