import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { Order } from './order.entity';
import { mayTake, statusesAllowing } from './order-state';
import { OrderTransitionError, type OrderTransitions } from './order-transitions';
import { OPEN_PAYMENT_STATUSES } from './payment-state';
import { inTransaction } from '../db/transaction';

/**
 * Expires unpaid orders whose time is up and gives their stock back. Safe to run on several
 * instances at once: each expiry is a conditional status change, so only one instance wins it.
 * Returns how many orders this call expired.
 */
export async function expireUnpaidOrders(
  dataSource: DataSource,
  transitions: OrderTransitions,
  logger: Logger,
  now: Date,
  batchSize = 100,
): Promise<number> {
  // Orders with a payment still open at a gateway wait: reconciliation closes that payment first
  // (or finds it was paid), so an order is never expired while the shopper is paying.
  const due = await dataSource
    .getRepository(Order)
    .createQueryBuilder('o')
    .select('o.id', 'id')
    .where('o.status IN (:...expirable) AND o.expires_at <= :now', { expirable: statusesAllowing('expire'), now })
    .andWhere('NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status IN (:...open))', { open: OPEN_PAYMENT_STATUSES })
    .orderBy('o.expires_at', 'ASC')
    .limit(batchSize)
    .getRawMany<{ id: number }>();
  let expired = 0;
  for (const { id } of due.map((row) => ({ id: Number(row.id) }))) {
    try {
      // Counted once committed: a transaction that deadlocked runs again (db/transaction.ts).
      const done = await inTransaction(dataSource, async (manager) => {
        const order = await manager.findOneByOrFail(Order, { id });
        // Paid, cancelled or expired by someone else meanwhile: nothing to do here.
        if (!mayTake('expire', { status: order.status, expiresAt: order.expiresAt, now }).allowed) return false;
        await transitions.apply(manager, order, { to: 'expired', reason: 'Not paid in time; reserved stock released', now });
        return true;
      });
      if (done) expired += 1;
    } catch (err) {
      // Another instance (or a payment) changed the order first: nothing to do here.
      if (!(err instanceof OrderTransitionError)) throw err;
    }
  }
  if (expired > 0) logger.info({ expired }, 'expired unpaid orders');
  return expired;
}
