import { AdminUser } from '../admin/admin-user.entity';
import { acceptsPayment, type OrderStatus } from '../orders/order-state';
import type { OrderEffect } from '../orders/order-transitions';
import { randomToken } from '../random-token';
import { OutboxMessage, type OutboxKind } from './outbox-message.entity';

/** One message a status change owes: what it says and who gets it. */
export interface OwedMessage {
  readonly kind: OutboxKind;
  readonly audience: 'shopper' | 'admins';
}

const REFUNDED: ReadonlySet<OrderStatus> = new Set(['partially_refunded', 'refunded']);

/**
 * The messages an order's move from `from` to `to` owes. The shopper hears when the order is
 * paid, refunded (each time) or shipped; admins hear once per new order, when it leaves
 * `pending_payment` paid or held (a held order captured later is not new to them).
 */
export function messagesForTransition(from: OrderStatus, to: OrderStatus): OwedMessage[] {
  const owed: OwedMessage[] = [];
  if (to === 'paid') owed.push({ kind: 'order_paid', audience: 'shopper' });
  if (REFUNDED.has(to)) owed.push({ kind: 'order_refunded', audience: 'shopper' });
  if (to === 'shipped') owed.push({ kind: 'order_shipped', audience: 'shopper' });
  if (acceptsPayment(from, to)) owed.push({ kind: 'admin_new_order', audience: 'admins' });
  return owed;
}

/**
 * Writes the messages a status change owes into the outbox, inside the caller's transaction:
 * they commit with the change or not at all. Shopper messages go to `order.email` (so `order`
 * must be a whole row); admin messages go to every admin account (none when there are none).
 */
export const enqueueOrderMessages: OrderEffect = async (manager, change) => {
  const { order } = change;
  const owed = messagesForTransition(change.from, change.to);
  if (owed.length === 0) return;
  const admins = owed.some((m) => m.audience === 'admins')
    ? await manager.find(AdminUser, { select: { email: true }, order: { id: 'ASC' } })
    : [];
  // Whole seconds: MySQL may round fractional seconds up, which would hold a new message back.
  const dueAt = new Date(Math.floor(change.now.getTime() / 1000) * 1000);
  const rows = owed.flatMap(({ kind, audience }) =>
    (audience === 'shopper' ? [order.email] : admins.map((a) => a.email)).map((recipient) => ({
      kind,
      orderId: order.id,
      recipient,
      orderStatus: change.to,
      amount: kind === 'order_refunded' ? (change.refundedAmount ?? null) : null,
      messageKey: randomToken(),
      status: 'pending' as const,
      attempts: 0,
      dueAt,
    })),
  );
  // Without reading the rows back (a plain insert would SELECT their generated columns afterwards).
  if (rows.length > 0) await manager.createQueryBuilder().insert().into(OutboxMessage).values(rows).updateEntity(false).execute();
};
