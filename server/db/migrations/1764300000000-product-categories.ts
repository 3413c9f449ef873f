import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { textColumn } from './columns';

/** Products get an optional category slug, so a blog can show one part of the catalog. */
export class ProductCategories1764300000000 implements MigrationInterface {
  name = 'ProductCategories1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('products', new TableColumn(textColumn('category', 60, { isNullable: true })));
    await q.createIndex('products', new TableIndex({ name: 'idx_products_category', columnNames: ['category', 'active', 'position'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('products', 'idx_products_category');
    await q.dropColumn('products', 'category');
  }
}
