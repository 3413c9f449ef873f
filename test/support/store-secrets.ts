import fs from 'node:fs';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { SEALED_COLUMNS } from '../../server/admin/auth/admin-secrets';
import type { StoreConfig } from '../../server/config';
import { openStored } from '../../server/db/sealed-columns';
import { SecretUnreadableError } from '../../server/db/secret-envelope';
import { loadSecretKeyring } from '../../server/db/secret-keys';
import { MIN_SECRET_LENGTH, registerSecrets, type RegisteredSecret } from './secret-scan';

const named = (source: string, values: readonly (string | null | undefined)[]): RegisteredSecret[] =>
  values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH).map((value) => ({ source, value }));

/** The secrets a store was configured with (or generated for itself at start). */
export function configSecrets(config: StoreConfig): RegisteredSecret[] {
  const keys = config.secrets.kind === 'configured' ? config.secrets.keys : readGeneratedKey(config.secrets.file);
  return [
    ...named('SECRETS_KEY', keys),
    // The sandbox's fixed Stripe key is not a secret; its webhook secret is random per store.
    ...named('STRIPE_SECRET_KEY', config.stripe.sandbox ? [] : [config.stripe.secretKey]),
    ...named('STRIPE_WEBHOOK_SECRET', [config.stripe.webhookSecret, config.stripe.webhookSecret.replace(/^whsec_/, '')]),
    ...named('BRAINTREE_PRIVATE_KEY', [config.braintree.privateKey]),
  ];
}

function readGeneratedKey(file: string): string[] {
  return fs.existsSync(file) ? [fs.readFileSync(file, 'utf8').trim()] : [];
}

/**
 * The secrets a store keeps in its database (every TOTP secret issued, the session-cookie signing
 * secret), decrypted with the store's keys; those the keys cannot open are left out (a store
 * started with a wrong key on purpose: the store that sealed them names them).
 */
export async function storedSecrets(config: StoreConfig, dataSource: DataSource): Promise<RegisteredSecret[]> {
  if (!dataSource.isInitialized) return [];
  const { keyring } = loadSecretKeyring(config.secrets);
  const found: RegisteredSecret[] = [];
  for (const column of SEALED_COLUMNS) {
    const rows: ObjectLiteral[] = await dataSource.getRepository(column.entity).find();
    for (const row of rows) {
      const stored = row[column.property] as string | null;
      if (stored === null) continue;
      try {
        found.push(...named(column.name, [openStored(keyring, column, row[column.key] as string | number, stored)]));
      } catch (err) {
        if (!(err instanceof SecretUnreadableError)) throw err;
      }
    }
  }
  return found;
}

/** Registers a store's configured secrets for the whole-suite secret scan. */
export function registerConfigSecrets(config: StoreConfig): void {
  for (const s of configSecrets(config)) registerSecrets(s.source, [s.value]);
}

/** Registers a store's stored secrets for the whole-suite secret scan; call before the store closes. */
export async function registerStoredSecrets(config: StoreConfig, dataSource: DataSource): Promise<void> {
  for (const s of await storedSecrets(config, dataSource)) registerSecrets(s.source, [s.value]);
}
