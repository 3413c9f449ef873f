import { rotateSecrets } from './admin/auth/admin-secrets';
import { loadConfig } from './config';
import { openDatabase } from './database';
import { loadSecretKeyring } from './db/secret-keys';

/**
 * `npm run secrets:rotate`: after SECRETS_KEY became the new key and SECRETS_KEY_PREVIOUS lists the
 * old one (on every instance), seals every secret in the database under the new key. Safe to run
 * while the stores serve, and again. Exits 1 when some secret opens under none of the keys, so a
 * key that is still needed is not dropped.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.secrets.kind === 'generated') console.error(`SECRETS_KEY is not set: using the development key in ${config.secrets.file}.`);
  const { keyring } = loadSecretKeyring(config.secrets);
  const dataSource = await openDatabase(config.database);
  try {
    const report = await rotateSecrets(dataSource, keyring);
    console.log(
      `Secrets now sealed under key ${keyring.currentKeyId}: ${report.resealed} re-encrypted from a previous key, ` +
        `${report.sealed} encrypted that were stored in plain text.`,
    );
    if (report.unreadable.length > 0) {
      console.error(
        `${report.unreadable.length} stored secret(s) open under none of the configured keys (${keyring.keyIds.join(', ')}) and were left as they are: ` +
          `${report.unreadable.join(', ')}. Add the key they were encrypted with to SECRETS_KEY_PREVIOUS and run this again.`,
      );
      process.exitCode = 1;
    } else if (keyring.keyIds.length > 1) {
      console.log('Nothing needs the previous keys any more: remove SECRETS_KEY_PREVIOUS from every instance.');
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('Rotating the secrets failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
