import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, intColumn, textColumn, timestampColumn } from './columns';

const foreignKey = (column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' = 'RESTRICT'): TableForeignKey =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/** Store flags, products, carts, checkouts, orders with their lines, addresses and timeline. */
export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // One-time facts about this store (e.g. "the demo catalog was seeded"); the name is the key.
    await q.createTable(
      new Table({ name: 'store_flags', columns: [textColumn('name', 64, { isPrimary: true }), timestampColumn('created_at')] }),
    );

    await q.createTable(
      new Table({
        name: 'products',
        columns: [
          idColumn(),
          textColumn('slug', 120, { isUnique: true }),
          textColumn('name', 200),
          { name: 'description', type: 'text' },
          intColumn('price'),
          textColumn('currency', 3),
          textColumn('image', 500, { isNullable: true }),
          intColumn('stock'),
          { name: 'active', type: 'boolean' },
          intColumn('position', { default: 0 }),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_products_catalog_order', columnNames: ['active', 'position', 'id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'carts',
        columns: [
          textColumn('id', 64, { isPrimary: true }),
          textColumn('currency', 3),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'cart_items',
        columns: [idColumn(), textColumn('cart_id', 64), intColumn('product_id'), intColumn('quantity')],
        foreignKeys: [foreignKey('cart_id', 'carts', 'CASCADE'), foreignKey('product_id', 'products', 'CASCADE')],
        indices: [new TableIndex({ name: 'uq_cart_items_cart_product', columnNames: ['cart_id', 'product_id'], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'addresses',
        columns: [
          idColumn(),
          textColumn('name', 200),
          textColumn('line1', 200),
          textColumn('line2', 200, { isNullable: true }),
          textColumn('city', 100),
          textColumn('region', 100, { isNullable: true }),
          textColumn('postal_code', 20),
          textColumn('country', 2),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'orders',
        columns: [
          idColumn(),
          textColumn('public_id', 64, { isUnique: true }),
          textColumn('status', 32),
          textColumn('email', 254),
          textColumn('currency', 3),
          intColumn('subtotal'),
          intColumn('shipping_amount'),
          intColumn('total'),
          textColumn('shipping_method', 32),
          intColumn('shipping_address_id'),
          intColumn('billing_address_id'),
          textColumn('return_url', 2000),
          { name: 'expires_at', type: 'datetime' },
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
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
        columns: [
          idColumn(),
          intColumn('order_id'),
          intColumn('product_id'),
          textColumn('name', 200),
          intColumn('unit_price'),
          intColumn('quantity'),
          intColumn('line_total'),
        ],
        foreignKeys: [foreignKey('order_id', 'orders', 'CASCADE'), foreignKey('product_id', 'products')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'order_events',
        columns: [
          idColumn(),
          intColumn('order_id'),
          textColumn('from_status', 32, { isNullable: true }),
          textColumn('to_status', 32),
          textColumn('reason', 500),
          timestampColumn('created_at'),
        ],
        foreignKeys: [foreignKey('order_id', 'orders', 'CASCADE')],
        indices: [new TableIndex({ name: 'idx_order_events_order', columnNames: ['order_id', 'id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'checkouts',
        columns: [
          textColumn('id', 64, { isPrimary: true }),
          textColumn('cart_id', 64),
          textColumn('return_url', 2000),
          intColumn('order_id', { isNullable: true }),
          timestampColumn('created_at'),
          { name: 'expires_at', type: 'datetime' },
        ],
        foreignKeys: [foreignKey('cart_id', 'carts', 'CASCADE'), foreignKey('order_id', 'orders')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'checkouts',
      'order_events',
      'order_lines',
      'orders',
      'addresses',
      'cart_items',
      'carts',
      'products',
      'store_flags',
    ]) {
      await q.dropTable(table);
    }
  }
}
