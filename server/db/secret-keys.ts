import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIN_SECRETS_KEY_BYTES, type SecretsKeyConfig } from '../config';
import { SecretKeyring } from './secret-envelope';

/**
 * The keyring for the configured SECRETS_KEY (and SECRETS_KEY_PREVIOUS), or, in development, for
 * a key generated once into `<DATA_DIR>/secrets.key` (mode 0600) and reused on every later start.
 * Whether the file was created now is returned so the caller can say so.
 */
export function loadSecretKeyring(config: SecretsKeyConfig): { keyring: SecretKeyring; generatedNow: boolean } {
  if (config.kind === 'configured') {
    return { keyring: new SecretKeyring(config.keys.map((k) => Buffer.from(k, 'base64'))), generatedNow: false };
  }
  const generatedNow = createKeyFileOnce(config.file);
  const key = Buffer.from(fs.readFileSync(config.file, 'utf8').trim(), 'base64');
  if (key.length < MIN_SECRETS_KEY_BYTES)
    throw new Error(`${config.file} does not hold a ${MIN_SECRETS_KEY_BYTES}-byte base64 key; delete it to have a new one generated`);
  return { keyring: new SecretKeyring([key]), generatedNow };
}

/** Writes a new random key unless the file exists (another process may be creating it at the same time). */
function createKeyFileOnce(file: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and linked into place: linking fails when the file exists, and a store starting
  // at the same moment never reads a half-written key.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(aside, `${randomBytes(MIN_SECRETS_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(aside, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
