import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { textColumn } from './columns';

/**
 * Secrets at rest are sealed (AES-256-GCM envelopes, see db/secret-envelope.ts): the session-cookie
 * signing secret outgrows its 64 characters. TOTP secrets already fit in their 255. The values
 * themselves are sealed at start-up, not here: a migration does not hold SECRETS_KEY.
 */
export class SealedSecrets1764820000000 implements MigrationInterface {
  name = 'SealedSecrets1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.changeColumn('admin_session_secrets', 'secret', new TableColumn(textColumn('secret', 255)));
  }

  async down(q: QueryRunner): Promise<void> {
    // A sealed secret does not fit back; the store makes a new one (admins log in again).
    await q.query('DELETE FROM admin_session_secrets');
    await q.changeColumn('admin_session_secrets', 'secret', new TableColumn(textColumn('secret', 64)));
  }
}
