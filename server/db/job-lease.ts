import type { DataSource } from 'typeorm';
import { JobLease } from './job-lease.entity';
import { inTransaction } from './transaction';

/**
 * Takes the lease on a job for `durationMs` if nobody holds it (or it ran out, or we hold it
 * already). One conditional UPDATE decides, so among several instances exactly one wins.
 */
export async function acquireLease(dataSource: DataSource, name: string, holder: string, durationMs: number, now: Date): Promise<boolean> {
  const exists = await dataSource.getRepository(JobLease).existsBy({ name });
  if (!exists) {
    await inTransaction(dataSource, (manager) => manager.insert(JobLease, { name, holder: null, leaseUntil: new Date(0) })).catch(
      async (err: unknown) => {
        // Another instance created the row at the same moment.
        if (!(await dataSource.getRepository(JobLease).existsBy({ name }))) throw err;
      },
    );
  }
  const result = await inTransaction(dataSource, (manager) =>
    manager
      .createQueryBuilder()
      .update(JobLease)
      .set({ holder, leaseUntil: new Date(now.getTime() + durationMs) })
      .where('name = :name AND (lease_until <= :now OR holder = :holder)', { name, now, holder })
      .execute(),
  );
  return result.affected === 1;
}
