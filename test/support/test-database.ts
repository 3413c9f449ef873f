import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { StoreConfig } from '../../server/config';

/** Which engine this jest project runs the integration suite on (set by test/setup/use-*.ts). */
export function testEngine(): 'sqlite' | 'mariadb' {
  return process.env.PADLOCK_TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';
}

const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://padlock:padlock@127.0.0.1:3306/padlock_test';

/** The DATABASE_URL of a store's database: to start another store on it (another instance, a restart). */
export const databaseUrlOf = (config: StoreConfig): string =>
  config.database.kind === 'sqlite' ? `sqlite:${config.database.file}` : config.database.url;

/** A fresh, empty database for one test store, and how to throw it away. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** An empty SQLite file in `dir`, or a new MariaDB database named for this test run. */
export async function scratchDatabase(dir: string): Promise<ScratchDatabase> {
  if (testEngine() === 'sqlite') {
    return { url: `sqlite:${path.join(dir, 'store.sqlite')}`, drop: async () => undefined };
  }
  const base = new URL(MYSQL_URL);
  const name = `${base.pathname.slice(1) || 'padlock_test'}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: `${base.protocol}//${base.username}:${base.password}@${base.host}/` });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = `${base.protocol}//${base.username}:${base.password}@${base.host}/${name}`;
  return {
    url,
    async drop() {
      const conn = await mysql.createConnection({ uri: `${base.protocol}//${base.username}:${base.password}@${base.host}/` });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
