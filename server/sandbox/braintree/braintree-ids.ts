import { randomInt } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** An id shaped like Braintree's transaction and dispute ids (8 lowercase letters and digits). */
export function braintreeId(): string {
  return randomString(ID_ALPHABET, 8);
}

/**
 * A one-time nonce (`tokencc_sandbox_…` for cards, `tokenpp_sandbox_…` for PayPal). Letters only
 * in the random part: the store refuses any request carrying a long digit run that could be a card
 * number, and a nonce must never look like one.
 */
export function sandboxNonce(kind: 'card' | 'paypal'): string {
  return `${kind === 'card' ? 'tokencc' : 'tokenpp'}_sandbox_${randomString(LETTERS, 24)}`;
}

/** A processor authorisation code like `7J2S4F`. */
export function authorizationCode(): string {
  return randomString('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 6);
}
