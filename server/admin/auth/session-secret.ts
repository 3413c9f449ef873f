import type { DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { randomToken } from '../../random-token';
import { AdminSessionSecret } from './admin-session-secret.entity';

const COOKIE_SIGNING = 'cookie_signing';

/**
 * The secret that signs the admin session cookie (express-session's `secret`): 256 random bits,
 * made by whichever store instance needs it first and kept in the database, so that every
 * instance sharing the database signs and checks cookies alike, and no configured or default
 * value is ever used, in development or in production. Reading it out of the database does not
 * open any session: the sessions table holds only hashes of session ids.
 */
export async function cookieSigningSecret(dataSource: DataSource): Promise<string> {
  const secrets = dataSource.getRepository(AdminSessionSecret);
  const existing = await secrets.findOneBy({ name: COOKIE_SIGNING });
  if (existing) return existing.secret;
  // Instances starting together may all get here: the first insert wins, the others are ignored,
  // and every instance then reads back the one that won.
  await inTransaction(dataSource, (manager) =>
    manager
      .createQueryBuilder()
      .insert()
      .into(AdminSessionSecret)
      .values({ name: COOKIE_SIGNING, secret: randomToken() })
      .orIgnore()
      .execute(),
  );
  return (await secrets.findOneByOrFail({ name: COOKIE_SIGNING })).secret;
}
