import type { TableColumnOptions } from 'typeorm';

// Column shapes shared by the migrations, so one migration serves SQLite and MySQL/MariaDB
// ("integer" is the only type SQLite auto-increments). Released migrations depend on these:
// change a shape by adding a new helper, never by editing one.

export const idColumn = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const intColumn = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'integer',
  ...extra,
});

export const textColumn = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});

export const timestampColumn = (name: string): TableColumnOptions => ({ name, type: 'datetime', default: 'CURRENT_TIMESTAMP' });
