import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Checkouts are looked up by the order they created on every accepted payment (the cart of a
 * paid order is emptied): without this index each paid callback scanned the whole table.
 */
export class CheckoutOrderIndex1764930000000 implements MigrationInterface {
  name = 'CheckoutOrderIndex1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('checkouts', new TableIndex({ name: 'idx_checkouts_order', columnNames: ['order_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('checkouts', 'idx_checkouts_order');
  }
}
