import { passesLuhn } from '../../http/card-number-guard';
import type { MintedPaymentMethod } from './braintree-sandbox-records';
import { cvvResponseCode, testCard } from './braintree-test-values';

/** What the fields page sends to `/tokenize` (card details never leave the sandbox's origin). */
export type TokenizeRequest =
  | { readonly kind: 'card'; readonly number: string; readonly expiry: string; readonly cvv: string; readonly postalCode: string }
  | { readonly kind: 'paypal' };

/** The card summary or PayPal payer the page passes to the store with the nonce. */
export type NonceDetails = { readonly cardType: string; readonly lastFour: string } | { readonly payerEmail: string };

export type TokenizeOutcome =
  | { readonly ok: true; readonly method: MintedPaymentMethod; readonly details: NonceDetails }
  | { readonly ok: false; readonly message: string };

const SANDBOX_PAYER = 'sandbox-buyer@example.com';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Checks a card the way a gateway's fields do (number, expiry, security code, postal code) and
 * turns it into what a nonce stands for. Like Braintree's sandbox, only the documented test card
 * numbers are accepted. The result keeps the card type, last four digits and expiry; the number
 * and security code are dropped here and never stored or logged.
 */
export function tokenize(body: unknown, now: Date): TokenizeOutcome {
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (input.kind === 'paypal') {
    return {
      ok: true,
      method: { kind: 'paypal_account', payerEmail: SANDBOX_PAYER, behaviour: { kind: 'approve' } },
      details: { payerEmail: SANDBOX_PAYER },
    };
  }
  if (input.kind !== 'card') return { ok: false, message: 'Choose a card or PayPal.' };

  const number = text(input.number).replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) return { ok: false, message: 'The card number is not valid.' };
  const card = testCard(number);
  if (!card)
    return { ok: false, message: "This is a sandbox: use one of Braintree's documented test card numbers, such as 4111 1111 1111 1111." };

  const expiry = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(text(input.expiry));
  const month = Number(expiry?.[1]);
  const year = expiry?.[2]?.length === 2 ? 2000 + Number(expiry[2]) : Number(expiry?.[2]);
  if (!expiry || month < 1 || month > 12) return { ok: false, message: 'Enter the expiry date as MM/YY.' };
  if (year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) return { ok: false, message: 'The card has expired.' };

  const cvv = text(input.cvv);
  if (cvv !== '' && !/^\d{3,4}$/.test(cvv)) return { ok: false, message: 'The security code is 3 or 4 digits.' };
  const postalCode = text(input.postalCode);
  if (!/^[A-Za-z0-9 -]{0,10}$/.test(postalCode)) return { ok: false, message: 'The postal code is not valid.' };

  const last4 = number.slice(-4);
  return {
    ok: true,
    method: {
      kind: 'credit_card',
      cardType: card.cardType,
      last4,
      numberLength: number.length,
      expirationMonth: String(month).padStart(2, '0'),
      expirationYear: String(year),
      cvvResponseCode: cvvResponseCode(cvv || null),
      postalCode: postalCode || null,
      behaviour: card.behaviour,
    },
    details: { cardType: card.cardType, lastFour: last4 },
  };
}
