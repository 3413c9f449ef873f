import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, intColumn, textColumn, timestampColumn } from './columns';

/** The e-mail outbox: messages written with the order changes that cause them, sent by a worker. */
export class Outbox1764500000000 implements MigrationInterface {
  name = 'Outbox1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          idColumn(),
          textColumn('kind', 32),
          intColumn('order_id'),
          textColumn('recipient', 254),
          textColumn('order_status', 32),
          intColumn('amount', { isNullable: true }),
          textColumn('message_key', 64, { isUnique: true }),
          textColumn('status', 16),
          intColumn('attempts', { default: 0 }),
          { name: 'due_at', type: 'datetime' },
          textColumn('claim_token', 64, { isNullable: true }),
          textColumn('last_error', 500, { isNullable: true }),
          timestampColumn('created_at'),
          { name: 'sent_at', type: 'datetime', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['order_id'],
            referencedTableName: 'orders',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        // The worker's query: claimable messages by due time.
        indices: [
          new TableIndex({ name: 'idx_outbox_due', columnNames: ['status', 'due_at'] }),
          new TableIndex({ name: 'idx_outbox_order', columnNames: ['order_id'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox_messages');
  }
}
