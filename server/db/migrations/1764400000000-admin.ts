import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, intColumn, textColumn, timestampColumn } from './columns';

/** Admin accounts, their database-backed sessions, TOTP recovery codes and the audit log. */
export class Admin1764400000000 implements MigrationInterface {
  name = 'Admin1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'admin_users',
        columns: [
          idColumn(),
          textColumn('email', 254, { isUnique: true }),
          textColumn('password_hash', 255),
          intColumn('failed_logins', { default: 0 }),
          { name: 'locked_until', type: 'datetime', isNullable: true },
          textColumn('totp_secret', 255, { isNullable: true }),
          { name: 'totp_enabled_at', type: 'datetime', isNullable: true },
          { name: 'last_login_at', type: 'datetime', isNullable: true },
          timestampColumn('created_at'),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'admin_sessions',
        columns: [
          // SHA-256 of the cookie's token: the table alone never yields a usable session.
          textColumn('id', 64, { isPrimary: true }),
          intColumn('admin_id'),
          textColumn('csrf_token', 64),
          // 'active', or 'needs_totp' between the password and the second factor.
          textColumn('stage', 16),
          textColumn('ip', 45),
          timestampColumn('created_at'),
          { name: 'last_seen_at', type: 'datetime' },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['admin_id'],
            referencedTableName: 'admin_users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'idx_admin_sessions_admin', columnNames: ['admin_id'] }),
          new TableIndex({ name: 'idx_admin_sessions_seen', columnNames: ['last_seen_at'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'admin_recovery_codes',
        columns: [idColumn(), intColumn('admin_id'), textColumn('code_hash', 64), { name: 'used_at', type: 'datetime', isNullable: true }],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['admin_id'],
            referencedTableName: 'admin_users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ name: 'idx_admin_recovery_codes', columnNames: ['admin_id', 'code_hash'], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'admin_audit_log',
        columns: [
          idColumn(),
          // No foreign key: the log outlives the accounts it names.
          intColumn('admin_id', { isNullable: true }),
          textColumn('actor', 254),
          textColumn('action', 64),
          textColumn('target', 120, { isNullable: true }),
          textColumn('outcome', 16),
          textColumn('detail', 500, { isNullable: true }),
          textColumn('ip', 45),
          timestampColumn('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_admin_audit_time', columnNames: ['created_at', 'id'] }),
          new TableIndex({ name: 'idx_admin_audit_admin', columnNames: ['admin_id', 'created_at'] }),
        ],
      }),
    );

    // Shipping details an admin adds when marking an order shipped.
    await q.addColumn('orders', new TableColumn(textColumn('tracking_note', 500, { isNullable: true })));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('orders', 'tracking_note');
    await q.dropTable('admin_audit_log');
    await q.dropTable('admin_recovery_codes');
    await q.dropTable('admin_sessions');
    await q.dropTable('admin_users');
  }
}
