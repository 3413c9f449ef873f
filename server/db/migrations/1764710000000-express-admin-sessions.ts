import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { intColumn, textColumn, timestampColumn } from './columns';

/**
 * Admin sessions move to `express-session`: the table keeps the SHA-256 of each session id, the
 * session's JSON, when it was issued (for the absolute lifetime) and when it was last used (for
 * the idle timeout). The store also keeps the secret that signs the session cookie, made once per
 * database so every instance shares it. Sessions of the old shape are dropped: their admins log in
 * again.
 */
export class ExpressAdminSessions1764710000000 implements MigrationInterface {
  name = 'ExpressAdminSessions1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropTable('admin_sessions');
    await q.createTable(
      new Table({
        name: 'admin_sessions',
        columns: [
          textColumn('sid_hash', 64, { isPrimary: true }),
          { name: 'data', type: 'text' },
          { name: 'started_at', type: 'datetime' },
          { name: 'last_seen_at', type: 'datetime' },
        ],
        // The sweep deletes by either limit.
        indices: [
          new TableIndex({ name: 'idx_admin_sessions_started', columnNames: ['started_at'] }),
          new TableIndex({ name: 'idx_admin_sessions_last_seen', columnNames: ['last_seen_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'admin_session_secrets',
        columns: [textColumn('name', 64, { isPrimary: true }), textColumn('secret', 64), timestampColumn('created_at')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('admin_session_secrets');
    await q.dropTable('admin_sessions');
    // The shape of 1764400000000-admin.
    await q.createTable(
      new Table({
        name: 'admin_sessions',
        columns: [
          textColumn('id', 64, { isPrimary: true }),
          intColumn('admin_id'),
          textColumn('csrf_token', 64),
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
  }
}
