import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { textColumn } from './columns';

/**
 * Version counters of what store instances cache in memory: one row per cache (`catalog`), bumped
 * in the same transaction as every write that changes what the cache serves. Each instance polls
 * the counter and drops its cache when it moves, so an edit made on one instance shows on all.
 */
export class CacheVersions1764900000000 implements MigrationInterface {
  name = 'CacheVersions1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'cache_versions',
        columns: [textColumn('name', 32, { isPrimary: true }), { name: 'version', type: 'bigint', default: 0 }],
      }),
    );
    await q.query("INSERT INTO cache_versions (name, version) VALUES ('catalog', 1)");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('cache_versions');
  }
}
