import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction, retryPolicyOf } from './transaction';
import { withRetries } from './transaction-retry';

/**
 * Runs a write that is exactly one SQL statement. On MySQL/MariaDB one statement is atomic on its
 * own (autocommit), so it is sent alone: one round trip instead of START TRANSACTION, the
 * statement and COMMIT. On SQLite it goes through {@link inTransaction}, because the single
 * connection's transactions take turns and a statement sent while another one is open would
 * silently join it.
 *
 * Like a transaction, it runs again after a deadlock: on Galera a statement that conflicts with
 * another node's write (a shared rate-limit counter) fails at commit like a transaction does.
 *
 * `work` must issue one statement and nothing else (a second one would not be atomic with it).
 */
export function singleStatement<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') return inTransaction(dataSource, work);
  return withRetries(() => work(dataSource.manager), retryPolicyOf(dataSource));
}
