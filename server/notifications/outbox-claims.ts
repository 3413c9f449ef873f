import type { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { OutboxMessage } from './outbox-message.entity';

// Each function is one conditional UPDATE (or a read), so that among several workers exactly one
// holds a message at a time, and only the current holder can record how sending went.

/** Ids of messages that may be claimed now: pending and due, or sending with a lease that ran out. */
export async function dueMessageIds(dataSource: DataSource, now: Date, limit: number): Promise<number[]> {
  const rows = await dataSource
    .getRepository(OutboxMessage)
    .createQueryBuilder('m')
    .select('m.id', 'id')
    .where("m.status IN ('pending', 'sending') AND m.due_at <= :now", { now })
    .orderBy('m.due_at', 'ASC')
    .addOrderBy('m.id', 'ASC')
    .limit(limit)
    .getRawMany<{ id: number | string }>();
  return rows.map((row) => Number(row.id));
}

/** Takes a message for `token` until `leaseUntil`, counting the attempt; false when another worker got it first. */
export async function claimMessage(dataSource: DataSource, id: number, token: string, now: Date, leaseUntil: Date): Promise<boolean> {
  const result = await inTransaction(dataSource, (manager) =>
    manager
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ status: 'sending', claimToken: token, dueAt: leaseUntil, attempts: () => 'attempts + 1' })
      .where("id = :id AND status IN ('pending', 'sending') AND due_at <= :now", { id, now })
      .execute(),
  );
  return result.affected === 1;
}

/** Records a delivery; false when the claim was lost meanwhile (the lease ran out and another worker took it). */
export async function recordSent(dataSource: DataSource, id: number, token: string, now: Date): Promise<boolean> {
  return releaseClaim(dataSource, id, token, { status: 'sent', sentAt: now, lastError: null });
}

/** Records a failed attempt: pending again from `retryAt`, or failed for good when `retryAt` is null. */
export async function recordFailure(
  dataSource: DataSource,
  id: number,
  token: string,
  error: string,
  retryAt: Date | null,
): Promise<boolean> {
  const outcome = retryAt === null ? { status: 'failed' as const } : { status: 'pending' as const, dueAt: retryAt };
  return releaseClaim(dataSource, id, token, { ...outcome, lastError: error.slice(0, 500) });
}

async function releaseClaim(dataSource: DataSource, id: number, token: string, values: Partial<OutboxMessage>): Promise<boolean> {
  const result = await inTransaction(dataSource, (manager) =>
    manager
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ ...values, claimToken: null })
      .where("id = :id AND status = 'sending' AND claim_token = :token", { id, token })
      .execute(),
  );
  return result.affected === 1;
}
