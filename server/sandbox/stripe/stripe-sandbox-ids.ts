import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // 248 is the largest multiple of 62 below 256: rejecting the rest keeps every character equally likely.
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const byte = bytes[i];
    if (byte < 248) out += ALPHABET[byte % ALPHABET.length];
  }
  return out.length === length ? out : out + randomAlphanumeric(length - out.length);
}

/** Object id prefixes, as Stripe spells them. */
export type StripeIdPrefix = 'cs_test' | 'pi' | 'ch' | 'pm' | 're' | 'dp' | 'evt' | 'req' | 'txn';

/** A new object id in Stripe's shape (`pi_3Qx…`, `cs_test_a1…`): a prefix and random alphanumerics. */
export function newStripeId(prefix: StripeIdPrefix): string {
  return prefix === 'cs_test' ? `cs_test_a1${randomAlphanumeric(56)}` : `${prefix}_${randomAlphanumeric(24)}`;
}

/** A PaymentIntent's client secret (`pi_…_secret_…`). */
export function clientSecretFor(id: string): string {
  return `${id}_secret_${randomAlphanumeric(25)}`;
}
