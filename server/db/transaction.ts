import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';

const sqliteLocks = new WeakMap<DataSource, Mutex>();

/**
 * Runs `work` in one database transaction. Every write in the store goes through here.
 *
 * SQLite (better-sqlite3) has a single connection per process: two interleaved transactions
 * would collide ("cannot start a transaction within a transaction"), and a write issued while
 * another transaction is open would silently join it. So on SQLite transactions take turns;
 * MySQL/MariaDB gives each transaction its own pooled connection and runs them concurrently.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource.transaction(work);
  let lock = sqliteLocks.get(dataSource);
  if (!lock) {
    lock = new Mutex();
    sqliteLocks.set(dataSource, lock);
  }
  return lock.runExclusive(() => dataSource.transaction(work));
}
