import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { isSealed, SecretKeyring, SecretUnreadableError, SEALED_PREFIX } from '../../server/db/secret-envelope';

const key = (): Buffer => randomBytes(32);
const CONTEXT = 'admin_users.totp_secret:7';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The reason `open` refused, failing the test when it opened. */
function refusal(keyring: SecretKeyring, sealed: string, context = CONTEXT): string {
  try {
    keyring.open(sealed, context);
  } catch (err) {
    expect(err).toBeInstanceOf(SecretUnreadableError);
    expect((err as Error).message).not.toContain(SECRET);
    return (err as SecretUnreadableError).reason;
  }
  throw new Error('the sealed value opened');
}

/** `sealed` with one base64url character of part `index` (0 key id … 4 body) changed. */
function altered(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const part = parts[index];
  const at = Math.floor(part.length / 2);
  const swapped = part[at] === 'A' ? 'B' : 'A';
  parts[index] = part.slice(0, at) + swapped + part.slice(at + 1);
  return parts.join(':');
}

describe('SecretKeyring (AES-256-GCM envelopes)', () => {
  const ring = new SecretKeyring([key()]);

  it('round-trips any text, and the sealed value holds no trace of it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ minLength: 1, maxLength: 40 }), (plain, context) => {
        const sealed = ring.seal(plain, context);
        expect(ring.open(sealed, context)).toBe(plain);
        expect(isSealed(sealed)).toBe(true);
        if (plain.length >= 4) expect(sealed).not.toContain(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('carries the version prefix and the key id, and a fresh IV each time', () => {
    const a = ring.seal(SECRET, CONTEXT);
    const b = ring.seal(SECRET, CONTEXT);
    expect(a.startsWith(`${SEALED_PREFIX}${ring.currentKeyId}:`)).toBe(true);
    expect(ring.currentKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a.split(':')[3]).not.toBe(b.split(':')[3]);
    expect(ring.sealedUnderCurrentKey(a)).toBe(true);
    expect(isSealed(SECRET)).toBe(false);
  });

  it('detects tampering with the IV, the ciphertext or the tag', () => {
    const sealed = ring.seal(SECRET, CONTEXT);
    expect(refusal(ring, altered(sealed, 3))).toBe('not_authentic');
    expect(refusal(ring, altered(sealed, 4))).toBe('not_authentic');
    // The tag is the body's last 16 bytes.
    const parts = sealed.split(':');
    const body = Buffer.from(parts[4], 'base64url');
    body[body.length - 1] ^= 1;
    expect(refusal(ring, [...parts.slice(0, 4), body.toString('base64url')].join(':'))).toBe('not_authentic');
    expect(refusal(ring, sealed.slice(0, -4))).toBe('not_authentic');
  });

  it('binds the value to its context: copied to another row or column, it does not open', () => {
    const sealed = ring.seal(SECRET, CONTEXT);
    expect(refusal(ring, sealed, 'admin_users.totp_secret:8')).toBe('not_authentic');
    expect(refusal(ring, sealed, 'admin_session_secrets.secret:7')).toBe('not_authentic');
  });

  it('refuses a value sealed under a key it does not hold, naming the key ids and the context', () => {
    const other = new SecretKeyring([key()]);
    const sealed = other.seal(SECRET, CONTEXT);
    expect(refusal(ring, sealed)).toBe('unknown_key');
    expect(() => ring.open(sealed, CONTEXT)).toThrow(
      new RegExp(`${CONTEXT}.*key ${other.currentKeyId}.*\\(${ring.currentKeyId}\\).*SECRETS_KEY`),
    );
    // Relabelled with the reader's key id, it still does not open: the key id is authenticated.
    const relabelled = sealed.replace(other.currentKeyId, ring.currentKeyId);
    expect(refusal(ring, relabelled)).toBe('not_authentic');
  });

  it('refuses what is not an envelope', () => {
    expect(refusal(ring, SECRET)).toBe('malformed');
    expect(refusal(ring, `${SEALED_PREFIX}zz:abc:def`)).toBe('malformed');
  });

  it('rotation: a ring of the new and the old key opens both, seals under the new one only', () => {
    const oldKey = key();
    const newKey = key();
    const before = new SecretKeyring([oldKey]);
    const during = new SecretKeyring([newKey, oldKey]);
    const after = new SecretKeyring([newKey]);
    const sealedBefore = before.seal(SECRET, CONTEXT);

    expect(during.open(sealedBefore, CONTEXT)).toBe(SECRET);
    expect(during.sealedUnderCurrentKey(sealedBefore)).toBe(false);
    const resealed = during.seal(during.open(sealedBefore, CONTEXT), CONTEXT);
    expect(during.sealedUnderCurrentKey(resealed)).toBe(true);
    expect(after.open(resealed, CONTEXT)).toBe(SECRET);
    expect(refusal(after, sealedBefore)).toBe('unknown_key');
    expect(refusal(before, resealed)).toBe('unknown_key');
    expect(during.keyIds).toEqual([after.currentKeyId, before.currentKeyId]);
  });

  it('takes only keys of 32 bytes or more', () => {
    expect(() => new SecretKeyring([randomBytes(31)])).toThrow(/at least 32 bytes/);
    expect(() => new SecretKeyring([])).toThrow(/at least one key/);
  });

  it('gives keyed pseudonyms: the same on every keyring with the same current key, another under another key or purpose', () => {
    const raw = key();
    const a = new SecretKeyring([raw]);
    const b = new SecretKeyring([raw, key()]);
    expect(a.pseudonym('203.0.113.7', 'rate-limit client')).toMatch(/^[0-9a-f]{64}$/);
    expect(b.pseudonym('203.0.113.7', 'rate-limit client')).toBe(a.pseudonym('203.0.113.7', 'rate-limit client'));
    expect(a.pseudonym('203.0.113.8', 'rate-limit client')).not.toBe(a.pseudonym('203.0.113.7', 'rate-limit client'));
    expect(a.pseudonym('203.0.113.7', 'other purpose')).not.toBe(a.pseudonym('203.0.113.7', 'rate-limit client'));
    expect(new SecretKeyring([key(), raw]).pseudonym('203.0.113.7', 'rate-limit client')).not.toBe(
      a.pseudonym('203.0.113.7', 'rate-limit client'),
    );
  });
});
