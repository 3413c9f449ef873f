import { createHash, randomBytes } from 'node:crypto';

/** How many recovery codes an admin gets when turning on two-step login. */
export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 (no i, l, o, u): codes survive being written down and typed back.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH;

/** New single-use recovery codes, `xxxx-xxxx-xxxx` (60 random bits each), to show the admin once. */
export function newRecoveryCodes(count: number = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    // 32 symbols divide 256 evenly, so masking a random byte keeps every symbol equally likely.
    const symbols = [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
    return symbols.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');
  });
}

/**
 * What was typed, as the stored hash of the recovery code it spells (SHA-256, hex), or null when
 * it cannot be one. Case, spaces and hyphens do not matter, and letters misread as digits are
 * read as the digits (Crockford's rule).
 */
export function recoveryCodeHash(input: string): string | null {
  const normalized = input
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
  if (normalized.length !== LENGTH || [...normalized].some((c) => !ALPHABET.includes(c))) return null;
  return createHash('sha256').update(normalized).digest('hex');
}
