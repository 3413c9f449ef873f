import type { DataSource, ObjectLiteral } from 'typeorm';
import { DomainError } from '../../domain-error';
import type { Logger } from '../../logger';
import { openStored, resealColumns, type ResealReport, type SealedColumn } from '../../db/sealed-columns';
import { SecretUnreadableError, type SecretKeyring } from '../../db/secret-envelope';
import { AdminUser } from '../admin-user.entity';
import { AdminSessionSecret } from './admin-session-secret.entity';

/** Admins' TOTP secrets, sealed for `admin_users.totp_secret:<admin id>`. */
export const TOTP_SECRETS: SealedColumn<AdminUser> = {
  entity: AdminUser,
  key: 'id',
  property: 'totpSecret',
  name: 'admin_users.totp_secret',
};

/** The session-cookie signing secret, sealed for `admin_session_secrets.secret:<name>`. */
export const SESSION_SECRETS: SealedColumn<AdminSessionSecret> = {
  entity: AdminSessionSecret,
  key: 'name',
  property: 'secret',
  name: 'admin_session_secrets.secret',
};

/** Every column of secrets the store encrypts at rest: what the start-up sweep and `npm run secrets:rotate` go over. */
export const SEALED_COLUMNS: readonly SealedColumn<ObjectLiteral>[] = [TOTP_SECRETS, SESSION_SECRETS];

const UNREADABLE_MESSAGE =
  'The admin is unavailable: the store cannot decrypt the secrets it keeps for admin logins, because its SECRETS_KEY is not ' +
  'the key they were encrypted with. Whoever runs the store must set SECRETS_KEY (or SECRETS_KEY_PREVIOUS) to that key; ' +
  'the store’s log names it.';

/**
 * The plain secret of a stored admin secret. A value no configured key opens is a set-up fault,
 * not a wrong code: it becomes a 503 whose message says to fix SECRETS_KEY, and whose cause (in
 * the log) names the key ids involved.
 */
export function openAdminSecret<E extends ObjectLiteral>(
  keyring: SecretKeyring,
  column: SealedColumn<E>,
  key: string | number,
  stored: string,
): string {
  try {
    return openStored(keyring, column, key, stored);
  } catch (err) {
    if (err instanceof SecretUnreadableError)
      throw new DomainError('unavailable', 'secrets_unreadable', UNREADABLE_MESSAGE, undefined, { cause: err });
    throw err;
  }
}

/**
 * Start-up: seals the secrets stored in plain text before encryption at rest existed, and says
 * in the log which stored secrets the configured keys cannot open (a wrong SECRETS_KEY).
 */
export async function sealPlainSecrets(dataSource: DataSource, keyring: SecretKeyring, logger: Logger): Promise<ResealReport> {
  const report = await resealColumns(dataSource, keyring, SEALED_COLUMNS, false);
  if (report.sealed > 0) logger.info({ sealed: report.sealed, keyId: keyring.currentKeyId }, 'encrypted secrets stored in plain text');
  if (report.unreadable.length > 0) logUnreadable(logger, keyring, report.unreadable);
  return report;
}

/**
 * `npm run secrets:rotate`: seals every stored secret under the current SECRETS_KEY, opening the
 * ones sealed under a SECRETS_KEY_PREVIOUS key (and any plain ones). Once it reports nothing
 * unreadable, the previous keys can be dropped from the configuration.
 */
export function rotateSecrets(dataSource: DataSource, keyring: SecretKeyring): Promise<ResealReport> {
  return resealColumns(dataSource, keyring, SEALED_COLUMNS, true);
}

/** Logs, once per sweep, which stored secrets no configured key opens (they are named, never shown). */
export function logUnreadable(logger: Logger, keyring: SecretKeyring, unreadable: readonly string[]): void {
  logger.error(
    { unreadable, keyIds: keyring.keyIds },
    `${unreadable.length} stored secret(s) cannot be decrypted with the configured SECRETS_KEY: the admin answers 503 until ` +
      'SECRETS_KEY (or SECRETS_KEY_PREVIOUS) holds the key they were encrypted with',
  );
}
