import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// One set of column helpers so the same migration runs on SQLite and MySQL/MariaDB.
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });
const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const timestamp = (name: string): TableColumnOptions => ({ name, type: 'datetime', default: 'CURRENT_TIMESTAMP' });
const foreignKey = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' = 'RESTRICT'): TableForeignKey =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/** Store flags, products, carts, checkouts, orders with their lines, addresses and timeline. */
export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // One-time facts about this store (e.g. "the demo catalog was seeded"); the name is the key.
    await q.createTable(new Table({ name: 'store_flags', columns: [text('name', 64, { isPrimary: true }), timestamp('created_at')] }));

    await q.createTable(
      new Table({
        name: 'products',
        columns: [
          id(),
          text('slug', 120, { isUnique: true }),
          text('name', 200),
          { name: 'description', type: 'text' },
          int('price'),
          text('currency', 3),
          text('image', 500, { isNullable: true }),
          int('stock'),
          { name: 'active', type: 'boolean' },
          int('position', { default: 0 }),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_products_catalog_order', columnNames: ['active', 'position', 'id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'carts',
        columns: [text('id', 64, { isPrimary: true }), text('currency', 3), timestamp('created_at'), timestamp('updated_at')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'cart_items',
        columns: [id(), text('cart_id', 64), int('product_id'), int('quantity')],
        foreignKeys: [foreignKey('cart_id', 'carts', 'CASCADE'), foreignKey('product_id', 'products', 'CASCADE')],
        indices: [new TableIndex({ name: 'uq_cart_items_cart_product', columnNames: ['cart_id', 'product_id'], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'addresses',
        columns: [
          id(),
          text('name', 200),
          text('line1', 200),
          text('line2', 200, { isNullable: true }),
          text('city', 100),
          text('region', 100, { isNullable: true }),
          text('postal_code', 20),
          text('country', 2),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'orders',
        columns: [
          id(),
          text('public_id', 64, { isUnique: true }),
          text('status', 32),
          text('email', 254),
          text('currency', 3),
          int('subtotal'),
          int('shipping_amount'),
          int('total'),
          text('shipping_method', 32),
          int('shipping_address_id'),
          int('billing_address_id'),
          text('return_url', 2000),
          { name: 'expires_at', type: 'datetime' },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        foreignKeys: [foreignKey('shipping_address_id', 'addresses'), foreignKey('billing_address_id', 'addresses')],
        indices: [
          new TableIndex({ name: 'idx_orders_status_expires', columnNames: ['status', 'expires_at'] }),
          new TableIndex({ name: 'idx_orders_created', columnNames: ['created_at'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'order_lines',
        columns: [id(), int('order_id'), int('product_id'), text('name', 200), int('unit_price'), int('quantity'), int('line_total')],
        foreignKeys: [foreignKey('order_id', 'orders', 'CASCADE'), foreignKey('product_id', 'products')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'order_events',
        columns: [id(), int('order_id'), text('from_status', 32, { isNullable: true }), text('to_status', 32), text('reason', 500), timestamp('created_at')],
        foreignKeys: [foreignKey('order_id', 'orders', 'CASCADE')],
        indices: [new TableIndex({ name: 'idx_order_events_order', columnNames: ['order_id', 'id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'checkouts',
        columns: [
          text('id', 64, { isPrimary: true }),
          text('cart_id', 64),
          text('return_url', 2000),
          int('order_id', { isNullable: true }),
          timestamp('created_at'),
          { name: 'expires_at', type: 'datetime' },
        ],
        foreignKeys: [foreignKey('cart_id', 'carts', 'CASCADE'), foreignKey('order_id', 'orders')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['checkouts', 'order_events', 'order_lines', 'orders', 'addresses', 'cart_items', 'carts', 'products', 'store_flags']) {
      await q.dropTable(table);
    }
  }
}
