import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './transaction-retry';

const sqliteLocks = new WeakMap<DataSource, Mutex>();
const retryPolicies = new WeakMap<DataSource, RetryPolicy>();

/** Sets how many times {@link inTransaction} runs a transaction again on this database (TRANSACTION_RETRIES). */
export function setTransactionRetries(dataSource: DataSource, retries: number): void {
  retryPolicies.set(dataSource, { ...DEFAULT_RETRY_POLICY, retries });
}

/** How {@link inTransaction} (and single statements) retry on this database. */
export function retryPolicyOf(dataSource: DataSource): RetryPolicy {
  return retryPolicies.get(dataSource) ?? DEFAULT_RETRY_POLICY;
}

/**
 * Runs `work` in one database transaction. Every write in the store goes through here.
 *
 * SQLite (better-sqlite3) has a single connection per process: two interleaved transactions
 * would collide ("cannot start a transaction within a transaction"), and a write issued while
 * another transaction is open would silently join it. So on SQLite transactions take turns;
 * MySQL/MariaDB gives each transaction its own pooled connection and runs them concurrently.
 *
 * On MySQL/MariaDB a transaction that fails with a deadlock, a lock wait timeout or a Galera
 * node that is not ready (see transaction-retry.ts) is rolled back and run again, a bounded
 * number of times: Galera reports a write-write conflict between nodes as a deadlock at commit.
 * So `work` may run more than once: it must not carry state from one run to the next (reset
 * outer variables at its start, re-read rows inside it, keep network calls outside it).
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') {
    return withRetries(() => dataSource.transaction(work), retryPolicyOf(dataSource));
  }
  let lock = sqliteLocks.get(dataSource);
  if (!lock) {
    lock = new Mutex();
    sqliteLocks.set(dataSource, lock);
  }
  return lock.runExclusive(() => dataSource.transaction(work));
}
