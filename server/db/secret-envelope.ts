import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { MIN_SECRETS_KEY_BYTES } from '../config';

/** What every sealed value starts with: the envelope format and its version. */
export const SEALED_PREFIX = 'sealed:v1:';

// AES-256-GCM with NIST's recommended 96-bit IV and the full 128-bit tag.
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Configured keys are stretched into separate keys for encrypting and for naming, so the key id
// printed in messages says nothing about the encryption key.
const ENCRYPTION_INFO = 'padlock-store secrets at rest v1: aes-256-gcm';
const KEY_ID_INFO = 'padlock-store secrets at rest v1: key id';

const SEALED_SHAPE = /^sealed:v1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

/** Why a sealed value could not be opened; the message names the purpose and key ids, never a secret. */
export type UnreadableReason = 'unknown_key' | 'not_authentic' | 'malformed';

/** A stored secret that none of the configured keys opens. */
export class SecretUnreadableError extends Error {
  constructor(
    readonly reason: UnreadableReason,
    message: string,
  ) {
    super(message);
    this.name = 'SecretUnreadableError';
  }
}

interface RingKey {
  readonly id: string;
  readonly key: Buffer;
}

const derive = (raw: Buffer, info: string, bytes: number): Buffer => Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), info, bytes));

function ringKey(raw: Buffer): RingKey {
  if (raw.length < MIN_SECRETS_KEY_BYTES) throw new Error(`a secrets key must be at least ${MIN_SECRETS_KEY_BYTES} bytes long`);
  return { id: derive(raw, KEY_ID_INFO, 4).toString('hex'), key: derive(raw, ENCRYPTION_INFO, 32) };
}

// The envelope's version, the key and the purpose are all authenticated: a value copied to another
// row or column, or relabelled with another key id, does not open.
const associatedData = (keyId: string, context: string): Buffer => Buffer.from(`${SEALED_PREFIX}${keyId}\u0000${context}`, 'utf8');

/**
 * The keys that encrypt secrets stored in the database (AES-256-GCM, a random 96-bit IV per value).
 * A sealed value is `sealed:v1:<key id>:<iv>:<ciphertext and tag>` (base64url), bound by its
 * associated data to a context naming what it is and where it lives (`admin_users.totp_secret:7`).
 * The first key seals; every key opens, so a rotation can list the old key until everything has
 * been sealed again under the new one.
 */
export class SecretKeyring {
  private readonly keys: readonly RingKey[];

  /** @param rawKeys - the current key first, then previous ones; each at least {@link MIN_SECRETS_KEY_BYTES} bytes. */
  constructor(rawKeys: readonly Buffer[]) {
    if (rawKeys.length === 0) throw new Error('a secrets keyring needs at least one key');
    this.keys = rawKeys.map(ringKey);
  }

  /** The id of the key that seals (8 hex digits, shown in sealed values and messages). */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  /** Every key id, the current one first. */
  get keyIds(): readonly string[] {
    return this.keys.map((k) => k.id);
  }

  /** Encrypts `plaintext` for `context` under the current key. */
  seal(plaintext: string, context: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(id, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED_PREFIX}${id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  /**
   * Decrypts a value made by {@link seal} for the same `context`. Throws
   * {@link SecretUnreadableError} when no configured key made it, or it was altered or moved.
   */
  open(sealed: string, context: string): string {
    const parts = SEALED_SHAPE.exec(sealed);
    if (!parts) throw new SecretUnreadableError('malformed', `The stored ${context} is not a sealed value of a known format.`);
    const [, keyId, iv, body] = parts;
    const ringKey = this.keys.find((k) => k.id === keyId);
    if (!ringKey)
      throw new SecretUnreadableError(
        'unknown_key',
        `The stored ${context} was encrypted with key ${keyId}, which is not among the configured secrets keys (${this.keyIds.join(', ')}): ` +
          'SECRETS_KEY (or SECRETS_KEY_PREVIOUS during a rotation) must hold the key it was encrypted with.',
      );
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv(ALGORITHM, ringKey.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadableError(
        'not_authentic',
        `The stored ${context} does not decrypt under key ${keyId}: it was altered, or copied from another row or column.`,
      );
    }
  }

  /**
   * A keyed pseudonym of `value` for `purpose` (HMAC-SHA256 under a key derived from the current
   * key, hex): equal values give equal pseudonyms on every instance with the same SECRETS_KEY, and
   * without the key nobody can test a guess (an IPv4 address) against a stored one. A new current
   * key gives new pseudonyms.
   */
  pseudonym(value: string, purpose: string): string {
    return createHmac('sha256', this.pseudonymKey(purpose)).update(value, 'utf8').digest('hex');
  }

  private readonly pseudonymKeys = new Map<string, Buffer>();

  private pseudonymKey(purpose: string): Buffer {
    let key = this.pseudonymKeys.get(purpose);
    if (!key) {
      key = derive(this.keys[0].key, `padlock pseudonym:${purpose}`, 32);
      this.pseudonymKeys.set(purpose, key);
    }
    return key;
  }

  /** Whether `value` is sealed under the current key, i.e. a rotation has nothing to do for it. */
  sealedUnderCurrentKey(value: string): boolean {
    return SEALED_SHAPE.exec(value)?.[1] === this.currentKeyId;
  }
}

/** Whether a stored value is a sealed envelope rather than a plain secret from before encryption. */
export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);
