import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });
const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const timestamp = (name: string): TableColumnOptions => ({ name, type: 'datetime', default: 'CURRENT_TIMESTAMP' });

/** Payment attempts, store-initiated refunds, verified gateway events, job leases, review flags. */
export class Payments1764200000000 implements MigrationInterface {
  name = 'Payments1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('orders', new TableColumn({ name: 'review_reason', type: 'varchar', length: '64', isNullable: true }));

    await q.createTable(
      new Table({
        name: 'payments',
        columns: [
          id(),
          int('order_id'),
          text('gateway', 16),
          text('attempt_key', 64, { isUnique: true }),
          text('status', 16),
          text('checkout_ref', 255, { isNullable: true }),
          text('payment_ref', 255, { isNullable: true }),
          text('redirect_url', 2000, { isNullable: true }),
          text('currency', 3),
          int('amount'),
          int('captured_amount', { default: 0 }),
          int('refunded_amount', { default: 0 }),
          text('avs_street', 16, { isNullable: true }),
          text('avs_postal_code', 16, { isNullable: true }),
          text('cvc_check', 16, { isNullable: true }),
          text('avs_raw', 255, { isNullable: true }),
          text('decline_message', 500, { isNullable: true }),
          text('follow_up', 16, { isNullable: true }),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
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
        columns: [id(), int('payment_id'), int('amount'), text('currency', 3), text('status', 16), text('refund_ref', 255, { isNullable: true }), text('message', 500, { isNullable: true }), timestamp('created_at')],
        foreignKeys: [new TableForeignKey({ columnNames: ['payment_id'], referencedTableName: 'payments', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'gateway_events',
        columns: [
          id(),
          text('gateway', 16),
          text('event_id', 255),
          text('type', 100),
          text('kind', 32),
          text('ref', 255, { isNullable: true }),
          int('amount', { isNullable: true }),
          text('currency', 3, { isNullable: true }),
          int('order_id', { isNullable: true }),
          int('payment_id', { isNullable: true }),
          text('outcome', 500),
          { name: 'occurred_at', type: 'datetime' },
          timestamp('received_at'),
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
        columns: [text('name', 64, { isPrimary: true }), text('holder', 64, { isNullable: true }), { name: 'lease_until', type: 'datetime' }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['job_leases', 'gateway_events', 'refunds', 'payments']) await q.dropTable(table);
    await q.dropColumn('orders', 'review_reason');
  }
}
