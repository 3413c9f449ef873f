import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createAdmin, hasAdmins } from './admin-accounts';

/** The account a development store creates for itself when it has none. */
export const DEVELOPMENT_ADMIN_EMAIL = 'admin@store.localhost';

/**
 * In development only: when the store has no admin yet, creates one with a random password and
 * returns the lines to print once (the password is stored only as its hash, so it is never shown
 * again). Returns null when nothing was created.
 */
export async function createDevelopmentAdmin(dataSource: DataSource, publicUrl: string): Promise<string | null> {
  if (await hasAdmins(dataSource)) return null;
  const password = randomBytes(15).toString('base64url');
  await createAdmin(dataSource, DEVELOPMENT_ADMIN_EMAIL, password);
  return [
    '',
    `  Development admin created: ${DEVELOPMENT_ADMIN_EMAIL} / ${password}`,
    `  Log in at ${publicUrl}/admin . This is shown only once; npm run admin:create makes more accounts.`,
    '',
  ].join('\n');
}
