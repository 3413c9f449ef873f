import type { EntityManager } from 'typeorm';
import { Product } from '../catalog/product.entity';
import { DomainError } from '../domain-error';
import { enqueueOrderMessages } from '../notifications/order-messages';
import { OrderEvent } from './order-event.entity';
import { OrderLine } from './order-line.entity';
import { Order } from './order.entity';
import { checkTransition, releasesStock, type OrderStatus, type TransitionContext } from './order-state';

/** Raised when a status change is not allowed by the state machine or lost a race. */
export class OrderTransitionError extends DomainError {
  constructor(message: string) {
    super('conflict', 'order_state_conflict', message);
  }
}

/** Facts the caller brings to the transition's guard, and the reason recorded in the timeline. */
export interface TransitionRequest {
  readonly to: OrderStatus;
  readonly reason: string;
  readonly now?: Date;
  readonly confirmedAmount?: number;
  readonly refundedAmount?: number;
}

/**
 * Moves an order to a new status inside the caller's transaction: checks the state machine,
 * updates the row only if it still has the status that was checked (so concurrent writers cannot
 * both win), records the change in the order's timeline, writes the e-mails it owes into the
 * outbox, and gives reserved stock back when the new status releases it. Returns the order with
 * its new status.
 */
export async function transitionOrder(manager: EntityManager, order: Order, request: TransitionRequest): Promise<Order> {
  const from = order.status;
  const ctx: TransitionContext = {
    now: request.now ?? new Date(),
    expiresAt: order.expiresAt,
    total: order.total,
    ...(request.confirmedAmount !== undefined ? { confirmedAmount: request.confirmedAmount } : {}),
    ...(request.refundedAmount !== undefined ? { refundedAmount: request.refundedAmount } : {}),
  };
  const check = checkTransition(from, request.to, ctx);
  if (!check.allowed) throw new OrderTransitionError(`Order ${order.id}: ${check.reason}`);

  const result = await manager
    .createQueryBuilder()
    .update(Order)
    .set({ status: request.to })
    .where('id = :id AND status = :from', { id: order.id, from })
    .execute();
  if (result.affected !== 1) {
    throw new OrderTransitionError(`Order ${order.id} changed status while moving from ${from} to ${request.to}`);
  }

  await manager.insert(OrderEvent, { orderId: order.id, fromStatus: from, toStatus: request.to, reason: request.reason });
  await enqueueOrderMessages(manager, order, { from, to: request.to, refundedAmount: request.refundedAmount });

  if (releasesStock(request.to)) {
    const lines = await manager.find(OrderLine, { where: { orderId: order.id }, order: { productId: 'ASC' } });
    for (const line of lines) {
      await manager
        .createQueryBuilder()
        .update(Product)
        .set({ stock: () => 'stock + :quantity' })
        .where('id = :id', { id: line.productId })
        .setParameter('quantity', line.quantity)
        .execute();
    }
  }

  order.status = request.to;
  return order;
}
