import type { DataSource } from 'typeorm';
import { randomToken } from '../random-token';
import { isRetryableTransactionError } from './transaction-retry';

const TABLE = 'schema_migration_lock';
// Long enough for every migration the store has; a holder that dies frees the lock after it.
const HOLD_SECONDS = 300;
const WAIT_MS = 250;

/** Options of {@link withMigrationLock}; tests shorten them. */
export interface MigrationLockOptions {
  /** How long to wait for another instance's migrations before giving up. */
  readonly timeoutMs?: number;
}

/**
 * Runs `work` (the migrations) while holding a lock row in the database, so that instances started
 * together on one MySQL/MariaDB database migrate one after the other: the first runs them, the
 * others then find nothing pending. A row, not GET_LOCK(): Galera refuses GET_LOCK, and two nodes
 * taking the row at once see one of them fail certification (a deadlock error), which here just
 * means "not yet". SQLite serves one process, so it needs none.
 */
export async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>, options: MigrationLockOptions = {}): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') return work();
  const holder = randomToken();
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (name VARCHAR(32) NOT NULL PRIMARY KEY, holder VARCHAR(64) NULL, held_until DATETIME NOT NULL) ENGINE=InnoDB`,
  );
  await dataSource.query(`INSERT IGNORE INTO ${TABLE} (name, holder, held_until) VALUES ('migrations', NULL, '1970-01-01 00:00:00')`);
  const deadline = Date.now() + (options.timeoutMs ?? 2 * HOLD_SECONDS * 1000);
  for (;;) {
    if (await tryTake(dataSource, holder)) break;
    if (Date.now() > deadline) throw new Error('Timed out waiting for another instance to finish the database migrations');
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }
  try {
    return await work();
  } finally {
    await dataSource.query(
      `UPDATE ${TABLE} SET holder = NULL, held_until = '1970-01-01 00:00:00' WHERE name = 'migrations' AND holder = ?`,
      [holder],
    );
  }
}

async function tryTake(dataSource: DataSource, holder: string): Promise<boolean> {
  try {
    const result: { affectedRows?: number } = await dataSource.query(
      `UPDATE ${TABLE} SET holder = ?, held_until = UTC_TIMESTAMP() + INTERVAL ${HOLD_SECONDS} SECOND
       WHERE name = 'migrations' AND (holder IS NULL OR held_until < UTC_TIMESTAMP())`,
      [holder],
    );
    return result.affectedRows === 1;
  } catch (err) {
    // Another node took it at the same moment and won certification (or held its row lock).
    if (isRetryableTransactionError(err)) return false;
    throw err;
  }
}
