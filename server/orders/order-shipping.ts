import type { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { conflict, notFound } from '../domain-error';
import { Order } from './order.entity';
import { mayTake } from './order-state';
import type { OrderTransitions } from './order-transitions';

/** Longest tracking note kept (carrier and tracking number, a short remark). */
export const TRACKING_NOTE_MAX = 500;

/** Marks a paid order shipped, with the admin's tracking note, through the state machine. */
export async function markOrderShipped(
  dataSource: DataSource,
  transitions: OrderTransitions,
  orderId: number,
  trackingNote: string,
  now: Date,
): Promise<void> {
  await inTransaction(dataSource, async (manager) => {
    const order = await manager.findOneBy(Order, { id: orderId });
    if (!order) throw notFound(`Order ${orderId}`);
    const check = mayTake('ship', { status: order.status, expiresAt: order.expiresAt, now });
    if (!check.allowed) throw conflict('order_not_shippable', `Only a paid order can be marked shipped; ${check.reason}.`);
    await manager.update(Order, { id: orderId }, { trackingNote });
    await transitions.apply(
      manager,
      { ...order, trackingNote },
      { to: 'shipped', reason: (trackingNote ? `Shipped: ${trackingNote}` : 'Shipped').slice(0, 500) },
    );
  });
}
