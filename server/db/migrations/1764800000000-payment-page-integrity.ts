import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, textColumn, timestampColumn } from './columns';

/**
 * Payment-page integrity: the CSP violations browsers report from the payment pages, and the
 * results of `npm run check:payment-pages`. Both tables are kept short by their writers.
 */
export class PaymentPageIntegrity1764800000000 implements MigrationInterface {
  name = 'PaymentPageIntegrity1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'csp_violations',
        columns: [
          idColumn(),
          textColumn('page', 500),
          textColumn('directive', 64),
          textColumn('blocked_url', 500),
          textColumn('source_file', 500, { isNullable: true }),
          textColumn('disposition', 16),
          timestampColumn('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payment_page_checks',
        columns: [
          idColumn(),
          { name: 'ok', type: 'boolean' },
          textColumn('store', 200),
          { name: 'findings', type: 'text' },
          timestampColumn('checked_at'),
        ],
        indices: [new TableIndex({ name: 'idx_payment_page_checks_at', columnNames: ['checked_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('payment_page_checks');
    await q.dropTable('csp_violations');
  }
}
