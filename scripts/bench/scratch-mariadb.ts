import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** A throwaway MariaDB database for one bench run. */
export interface ScratchMariaDb {
  readonly url: string;
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Drops the database and closes the connection. */
  drop(): Promise<void>;
}

/**
 * Creates `<database>_bench_<random>` on the server of `databaseUrl` (mysql://user:pass@host:port/database;
 * the test user may create databases whose names start with its test database's, as test/support/test-database.ts does).
 */
export async function createScratchMariaDb(databaseUrl: string): Promise<ScratchMariaDb> {
  const base = new URL(databaseUrl);
  const name = `${base.pathname.slice(1) || 'padlock_test'}_bench_${randomBytes(4).toString('hex')}`;
  const serverOnly = `${base.protocol}//${base.username}:${base.password}@${base.host}/`;
  const admin = await mysql.createConnection({ uri: serverOnly });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.changeUser({ database: name });
  return {
    url: `${serverOnly}${name}`,
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const [rows] = await admin.query(sql, [...params] as (string | number | null)[]);
      return rows as T[];
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
