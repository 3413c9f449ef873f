import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { intColumn, textColumn } from './columns';

/**
 * Rate-limit counters in the database, so that every instance sharing it counts against the same
 * limits: one row per limit, client and fixed window. Times are milliseconds since the epoch
 * (bigint), which both engines compare exactly and which need no time-zone handling.
 */
export class RateLimits1764810000000 implements MigrationInterface {
  name = 'RateLimits1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'rate_limit_hits',
        columns: [
          textColumn('limiter', 32, { isPrimary: true }),
          textColumn('client_key', 64, { isPrimary: true }),
          { name: 'window_start', type: 'bigint', isPrimary: true },
          { name: 'window_end', type: 'bigint' },
          intColumn('hits'),
        ],
        // The sweep deletes by window end.
        indices: [new TableIndex({ name: 'idx_rate_limit_hits_end', columnNames: ['window_end'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rate_limit_hits');
  }
}
