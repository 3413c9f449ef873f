import type { EntityManager } from 'typeorm';
import { bumpIfBackInStock } from '../catalog/catalog-version';
import { Product } from '../catalog/product.entity';
import { DomainError } from '../domain-error';
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
  /** When the change happens; defaults to the clock (jobs pass the time they run for). */
  readonly now?: Date;
  readonly confirmedAmount?: number;
  readonly refundedAmount?: number;
}

/** A status change as it is being made, handed to every effect registered for it. */
export interface OrderChange {
  /** The whole order row, with its old status. */
  readonly order: Order;
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly now: Date;
  /** Minor units refunded so far, when the change is a refund. */
  readonly refundedAmount?: number;
}

/**
 * Something a status change causes outside the order itself (an e-mail into the outbox,
 * emptying the shopper's cart). It runs inside the transition's transaction, so it commits with
 * the change or not at all. Registered where the app is wired, so orders/ knows none of them.
 */
export type OrderEffect = (manager: EntityManager, change: OrderChange) => Promise<void>;

/**
 * Moves orders between statuses: the only writer of an order's status. Checks the state
 * machine, updates the row only if it still has the status that was checked (so concurrent
 * writers cannot both win), records the change in the order's timeline, gives reserved stock
 * back when the new status releases it, and runs the registered effects.
 */
export class OrderTransitions {
  private readonly effects: OrderEffect[] = [];

  constructor(private readonly clock: () => Date) {}

  /** Adds an effect run on every later transition, after the ones registered before it. */
  register(effect: OrderEffect): this {
    this.effects.push(effect);
    return this;
  }

  /** Makes the transition inside the caller's transaction; returns the order with its new status. */
  async apply(manager: EntityManager, order: Order, request: TransitionRequest): Promise<Order> {
    const from = order.status;
    const now = request.now ?? this.clock();
    const ctx: TransitionContext = {
      now,
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

    // Without reading the row back (a plain insert would SELECT its generated columns afterwards).
    await manager
      .createQueryBuilder()
      .insert()
      .into(OrderEvent)
      .values({ orderId: order.id, fromStatus: from, toStatus: request.to, reason: request.reason })
      .updateEntity(false)
      .execute();
    if (releasesStock(request.to)) await giveStockBack(manager, order.id);
    const change: OrderChange = {
      order,
      from,
      to: request.to,
      now,
      ...(request.refundedAmount !== undefined ? { refundedAmount: request.refundedAmount } : {}),
    };
    for (const effect of this.effects) await effect(manager, change);

    order.status = request.to;
    return order;
  }
}

async function giveStockBack(manager: EntityManager, orderId: number): Promise<void> {
  const lines = await manager.find(OrderLine, { where: { orderId }, order: { productId: 'ASC' } });
  for (const line of lines) {
    await manager
      .createQueryBuilder()
      .update(Product)
      .set({ stock: () => 'stock + :quantity' })
      .where('id = :id', { id: line.productId })
      .setParameter('quantity', line.quantity)
      .execute();
  }
  const returned = new Map<number, number>();
  for (const line of lines) returned.set(line.productId, (returned.get(line.productId) ?? 0) + line.quantity);
  await bumpIfBackInStock(manager, returned);
}
