import type { DataSource, EntityManager, EntitySubscriberInterface } from 'typeorm';

/**
 * The catalog's version counter (table `cache_versions`, row `catalog`). Every write that changes
 * what the public catalog shows bumps it inside its own transaction, so the new version becomes
 * visible together with the change; each instance's {@link CatalogCache} polls it.
 */
const CATALOG = 'catalog';
// Marks a transaction that bumped the version, for the commit listener below.
const BUMPED = 'catalogVersionBumped';

/** Moves the catalog to a new version; call inside the transaction that changes products. */
export async function bumpCatalogVersion(manager: EntityManager): Promise<void> {
  await manager.query('UPDATE cache_versions SET version = version + 1 WHERE name = ?', [CATALOG]);
  if (manager.queryRunner) manager.queryRunner.data[BUMPED] = true;
}

/**
 * Calls `listener` after each commit, on `dataSource`, of a transaction that bumped the version:
 * the instance that made a change sees it at once instead of at its next poll.
 */
export function onCatalogVersionCommitted(dataSource: DataSource, listener: () => void): void {
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit({ queryRunner }) {
      if (queryRunner.data[BUMPED] !== true) return;
      // The query runner outlives the transaction (SQLite has only one): the mark must not.
      delete queryRunner.data[BUMPED];
      listener();
    },
    afterTransactionRollback({ queryRunner }) {
      delete queryRunner.data[BUMPED];
    },
  };
  dataSource.subscribers.push(subscriber);
}

/** The catalog's current version (0 when the row is missing, which no migrated database has). */
export async function readCatalogVersion(dataSource: DataSource): Promise<number> {
  const rows: { version: number | string }[] = await dataSource.query('SELECT version FROM cache_versions WHERE name = ?', [CATALOG]);
  return rows.length === 0 ? 0 : Number(rows[0].version);
}

/**
 * Whether a reservation has just sold one of `productIds` out: the catalog shows `inStock`, not the
 * stock figure, so only that crossing needs a {@link bumpCatalogVersion}. Checkouts that leave stock
 * behind write nothing more, and do not all contend for the counter's row.
 */
export async function anySoldOut(manager: EntityManager, productIds: readonly number[]): Promise<boolean> {
  if (productIds.length === 0) return false;
  const rows: unknown[] = await manager.query(
    `SELECT id FROM products WHERE stock <= 0 AND id IN (${productIds.map(() => '?').join(', ')})`,
    [...productIds],
  );
  return rows.length > 0;
}

/**
 * Bumps the version when stock given back (`returned`: units per product id, already added)
 * brought a sold-out product back into stock.
 */
export async function bumpIfBackInStock(manager: EntityManager, returned: ReadonlyMap<number, number>): Promise<void> {
  if (returned.size === 0) return;
  const ids = [...returned.keys()];
  const rows: { id: number | string; stock: number | string }[] = await manager.query(
    `SELECT id, stock FROM products WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  if (rows.some((row) => Number(row.stock) > 0 && Number(row.stock) <= (returned.get(Number(row.id)) ?? 0))) {
    await bumpCatalogVersion(manager);
  }
}
