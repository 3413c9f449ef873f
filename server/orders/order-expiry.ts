import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { Order } from './order.entity';
import { OrderTransitionError, transitionOrder } from './order-transitions';
import { inTransaction } from '../db/transaction';

/**
 * Expires unpaid orders whose time is up and gives their stock back. Safe to run on several
 * instances at once: each expiry is a conditional status change, so only one instance wins it.
 * Returns how many orders this call expired.
 */
export async function expireUnpaidOrders(dataSource: DataSource, logger: Logger, now: Date = new Date(), batchSize = 100): Promise<number> {
  // Orders with a payment still open at a gateway wait: reconciliation closes that payment first
  // (or finds it was paid), so an order is never expired while the shopper is paying.
  const due = await dataSource
    .getRepository(Order)
    .createQueryBuilder('o')
    .select('o.id', 'id')
    .where("o.status = 'pending_payment' AND o.expires_at <= :now", { now })
    .andWhere("NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status IN ('created', 'pending'))")
    .orderBy('o.expires_at', 'ASC')
    .limit(batchSize)
    .getRawMany<{ id: number }>();
  let expired = 0;
  for (const { id } of due.map((row) => ({ id: Number(row.id) }))) {
    try {
      await inTransaction(dataSource, async (manager) => {
        const order = await manager.findOneByOrFail(Order, { id });
        if (order.status !== 'pending_payment') return;
        await transitionOrder(manager, order, { to: 'expired', reason: 'Not paid in time; reserved stock released', now });
        expired += 1;
      });
    } catch (err) {
      // Another instance (or a payment) changed the order first: nothing to do here.
      if (!(err instanceof OrderTransitionError)) throw err;
    }
  }
  if (expired > 0) logger.info({ expired }, 'expired unpaid orders');
  return expired;
}
