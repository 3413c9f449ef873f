import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from './config';
import { MIGRATIONS } from './db/migrations/index';
import { withMigrationLock } from './db/migration-lock';
import { setTransactionRetries } from './db/transaction';
import { ENTITIES } from './entities';

/** TypeORM options for the configured database; the same entities and migrations for both engines. */
export function dataSourceOptions(database: DatabaseConfig, tuning: DatabaseTuning = {}): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (database.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.file,
      enableWAL: true,
      // Waits for a lock held by another process instead of failing at once.
      timeout: 5000,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: database.url,
    charset: 'utf8mb4_unicode_ci',
    // Store and read every datetime as UTC, whatever the server's zone.
    timezone: 'Z',
    poolSize: tuning.poolSize ?? 10,
  };
}

/** MySQL/MariaDB settings (DATABASE_POOL_SIZE, TRANSACTION_RETRIES); SQLite ignores them. */
export interface DatabaseTuning {
  readonly poolSize?: number;
  readonly transactionRetries?: number;
}

/** Connects to the database and brings its schema up to date. */
export async function openDatabase(database: DatabaseConfig, tuning: DatabaseTuning = {}): Promise<DataSource> {
  if (database.kind === 'sqlite') fs.mkdirSync(path.dirname(database.file), { recursive: true });
  const dataSource = new DataSource(dataSourceOptions(database, tuning));
  if (tuning.transactionRetries !== undefined) setTransactionRetries(dataSource, tuning.transactionRetries);
  await dataSource.initialize();
  await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
  return dataSource;
}
