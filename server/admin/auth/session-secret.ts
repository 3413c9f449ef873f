import type { DataSource } from 'typeorm';
import { sealContext } from '../../db/sealed-columns';
import type { SecretKeyring } from '../../db/secret-envelope';
import { inTransaction } from '../../db/transaction';
import { randomToken } from '../../random-token';
import { AdminSessionSecret } from './admin-session-secret.entity';
import { openAdminSecret, SESSION_SECRETS } from './admin-secrets';

const COOKIE_SIGNING = 'cookie_signing';

/**
 * The secret that signs the admin session cookie (express-session's `secret`): 256 random bits,
 * made by whichever store instance needs it first and kept in the database, so that every
 * instance sharing the database signs and checks cookies alike, and no configured or default
 * value is ever used, in development or in production. It is stored sealed with the SECRETS_KEY
 * keyring like the other admin secrets, so a copy of the database does not hold it; a keyring
 * that cannot open it is a 503 naming SECRETS_KEY.
 */
export async function cookieSigningSecret(dataSource: DataSource, keyring: SecretKeyring): Promise<string> {
  const secrets = dataSource.getRepository(AdminSessionSecret);
  const existing = await secrets.findOneBy({ name: COOKIE_SIGNING });
  if (!existing) {
    // Instances starting together may all get here: the first insert wins, the others are
    // ignored, and every instance then reads back the one that won.
    await inTransaction(dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(AdminSessionSecret)
        .values({ name: COOKIE_SIGNING, secret: keyring.seal(randomToken(), sealContext(SESSION_SECRETS, COOKIE_SIGNING)) })
        .orIgnore()
        .execute(),
    );
  }
  const stored = existing ?? (await secrets.findOneByOrFail({ name: COOKIE_SIGNING }));
  return openAdminSecret(keyring, SESSION_SECRETS, COOKIE_SIGNING, stored.secret);
}
