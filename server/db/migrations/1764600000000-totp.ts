import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { intColumn } from './columns';

/**
 * TOTP replay protection: the last time step (30-second counter) whose code an admin used, so a
 * code is accepted once, and never one older than the last.
 */
export class Totp1764600000000 implements MigrationInterface {
  name = 'Totp1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('admin_users', new TableColumn(intColumn('totp_last_step', { isNullable: true })));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('admin_users', 'totp_last_step');
  }
}
