import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, intColumn, textColumn, timestampColumn } from './columns';

/** Payment attempts, store-initiated refunds, verified gateway events, job leases, review flags. */
export class Payments1764200000000 implements MigrationInterface {
  name = 'Payments1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('orders', new TableColumn({ name: 'review_reason', type: 'varchar', length: '64', isNullable: true }));

    await q.createTable(
      new Table({
        name: 'payments',
        columns: [
          idColumn(),
          intColumn('order_id'),
          textColumn('gateway', 16),
          textColumn('attempt_key', 64, { isUnique: true }),
          textColumn('status', 16),
          textColumn('checkout_ref', 255, { isNullable: true }),
          textColumn('payment_ref', 255, { isNullable: true }),
          textColumn('redirect_url', 2000, { isNullable: true }),
          textColumn('currency', 3),
          intColumn('amount'),
          intColumn('captured_amount', { default: 0 }),
          intColumn('refunded_amount', { default: 0 }),
          textColumn('avs_street', 16, { isNullable: true }),
          textColumn('avs_postal_code', 16, { isNullable: true }),
          textColumn('cvc_check', 16, { isNullable: true }),
          textColumn('avs_raw', 255, { isNullable: true }),
          textColumn('decline_message', 500, { isNullable: true }),
          textColumn('follow_up', 16, { isNullable: true }),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['order_id'],
            referencedTableName: 'orders',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'idx_payments_order', columnNames: ['order_id', 'id'] }),
          new TableIndex({ name: 'idx_payments_checkout_ref', columnNames: ['checkout_ref'] }),
          new TableIndex({ name: 'idx_payments_payment_ref', columnNames: ['payment_ref'] }),
          new TableIndex({ name: 'idx_payments_status', columnNames: ['status', 'created_at'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'refunds',
        columns: [
          idColumn(),
          intColumn('payment_id'),
          intColumn('amount'),
          textColumn('currency', 3),
          textColumn('status', 16),
          textColumn('refund_ref', 255, { isNullable: true }),
          textColumn('message', 500, { isNullable: true }),
          timestampColumn('created_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['payment_id'],
            referencedTableName: 'payments',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'gateway_events',
        columns: [
          idColumn(),
          textColumn('gateway', 16),
          textColumn('event_id', 255),
          textColumn('type', 100),
          textColumn('kind', 32),
          textColumn('ref', 255, { isNullable: true }),
          intColumn('amount', { isNullable: true }),
          textColumn('currency', 3, { isNullable: true }),
          intColumn('order_id', { isNullable: true }),
          intColumn('payment_id', { isNullable: true }),
          textColumn('outcome', 500),
          { name: 'occurred_at', type: 'datetime' },
          timestampColumn('received_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_gateway_events_gateway_event', columnNames: ['gateway', 'event_id'], isUnique: true }),
          new TableIndex({ name: 'idx_gateway_events_order', columnNames: ['order_id', 'id'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          textColumn('name', 64, { isPrimary: true }),
          textColumn('holder', 64, { isNullable: true }),
          { name: 'lease_until', type: 'datetime' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['job_leases', 'gateway_events', 'refunds', 'payments']) await q.dropTable(table);
    await q.dropColumn('orders', 'review_reason');
  }
}
