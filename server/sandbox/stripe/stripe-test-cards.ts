import { passesLuhn } from '../../http/card-number-guard';

/** A check result as Stripe reports it on `payment_method_details.card.checks`. */
export type StripeCheck = 'pass' | 'fail' | 'unavailable' | 'unchecked';

/** What the sandbox keeps of a card: never the number or the CVC. */
export interface CardFacts {
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly funding: 'credit' | 'debit';
  readonly country: string;
}

/** The issuer's answer for a test card. */
export type IssuerAnswer =
  | {
      readonly kind: 'approved';
      readonly card: CardFacts;
      readonly checks: { readonly line1: StripeCheck; readonly postalCode: StripeCheck; readonly cvc: StripeCheck };
      /** 4000000000000259: the charge succeeds, then the cardholder disputes it. */
      readonly disputeAfterwards: boolean;
    }
  | { readonly kind: 'declined'; readonly card: CardFacts; readonly code: string; readonly declineCode: string; readonly message: string };

/** A card form that cannot even be sent to the issuer (Stripe's page refuses it before paying). */
export interface CardFormError {
  readonly kind: 'invalid';
  readonly field: 'number' | 'expiry' | 'cvc';
  readonly message: string;
}

interface TestCard {
  readonly brand: string;
  readonly funding?: 'credit' | 'debit';
  readonly checks?: Partial<{ line1: StripeCheck; postalCode: StripeCheck; cvc: StripeCheck }>;
  readonly decline?: { readonly code: string; readonly declineCode: string; readonly message: string };
  readonly dispute?: boolean;
}

const DECLINED = 'Your card was declined.';

/**
 * Stripe's documented test cards (docs.stripe.com/testing), with their default-account-settings
 * behaviour: the brand cards succeed with every check passing; 0010/0028/0036 fail the street
 * and/or postal code check, 0044 leaves both unavailable, 0101 fails the CVC check (the charge
 * succeeds unless a Radar rule blocks it), 0259 succeeds and is then disputed as fraudulent;
 * the decline cards fail with their documented code and decline code.
 */
const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  '4242424242424242': { brand: 'visa' },
  '4000056655665556': { brand: 'visa', funding: 'debit' },
  '5555555555554444': { brand: 'mastercard' },
  '2223003122003222': { brand: 'mastercard' },
  '5200828282828210': { brand: 'mastercard', funding: 'debit' },
  '378282246310005': { brand: 'amex' },
  '6011111111111117': { brand: 'discover' },
  '3566002020360505': { brand: 'jcb' },
  '4000000000000010': { brand: 'visa', checks: { line1: 'fail', postalCode: 'fail' } },
  '4000000000000028': { brand: 'visa', checks: { line1: 'fail' } },
  '4000000000000036': { brand: 'visa', checks: { postalCode: 'fail' } },
  '4000000000000044': { brand: 'visa', checks: { line1: 'unavailable', postalCode: 'unavailable' } },
  '4000000000000101': { brand: 'visa', checks: { cvc: 'fail' } },
  '4000000000000259': { brand: 'visa', dispute: true },
  '4000000000000002': { brand: 'visa', decline: { code: 'card_declined', declineCode: 'generic_decline', message: DECLINED } },
  '4000000000009995': {
    brand: 'visa',
    decline: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  },
  '4000000000000069': { brand: 'visa', decline: { code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' } },
  '4000000000000127': {
    brand: 'visa',
    decline: { code: 'incorrect_cvc', declineCode: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  },
  '4000000000000119': {
    brand: 'visa',
    decline: {
      code: 'processing_error',
      declineCode: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
  '4100000000000019': { brand: 'visa', decline: { code: 'card_declined', declineCode: 'fraudulent', message: DECLINED } },
};

const NON_TEST_CARD =
  'Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.';

/** The card brand a number belongs to, by its leading digits. */
export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  if (/^35/.test(number)) return 'jcb';
  if (/^3[068]/.test(number)) return 'diners';
  return 'unknown';
}

/** Reads `MM/YY` (or `MM/YYYY`), refusing what Stripe's card form refuses. */
function parseExpiry(expiry: string, now: Date): { month: number; year: number } | CardFormError {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry);
  if (!match) return { kind: 'invalid', field: 'expiry', message: "Your card's expiration date is incomplete." };
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return { kind: 'invalid', field: 'expiry', message: "Your card's expiration month is invalid." };
  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  if (year < thisYear) return { kind: 'invalid', field: 'expiry', message: "Your card's expiration year is in the past." };
  if (year === thisYear && month < thisMonth)
    return { kind: 'invalid', field: 'expiry', message: "Your card's expiration date is in the past." };
  if (year > thisYear + 50) return { kind: 'invalid', field: 'expiry', message: "Your card's expiration year is invalid." };
  return { month, year };
}

/**
 * What the issuer says to a card typed on the hosted page: a form error (bad number, expiry or
 * CVC), a decline, or an approval with its checks. The number and CVC are only read here; what
 * comes back holds the brand and the last four digits, never more.
 */
export function evaluateCard(input: { number: string; expiry: string; cvc: string }, now: Date): IssuerAnswer | CardFormError {
  const number = input.number.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(number) || number.length < 13) return { kind: 'invalid', field: 'number', message: 'Your card number is incomplete.' };
  if (number.length > 19 || !passesLuhn(number)) return { kind: 'invalid', field: 'number', message: 'Your card number is invalid.' };
  const expiry = parseExpiry(input.expiry, now);
  if ('kind' in expiry) return expiry;
  const brand = brandOf(number);
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(input.cvc.trim())) {
    return { kind: 'invalid', field: 'cvc', message: "Your card's security code is incomplete." };
  }

  const test = TEST_CARDS[number];
  const card: CardFacts = {
    brand: test?.brand ?? brand,
    last4: number.slice(-4),
    expMonth: expiry.month,
    expYear: expiry.year,
    funding: test?.funding ?? 'credit',
    country: 'US',
  };
  if (!test) return { kind: 'declined', card, code: 'card_declined', declineCode: 'test_mode_live_card', message: NON_TEST_CARD };
  if (test.decline) return { kind: 'declined', card, ...test.decline };
  return {
    kind: 'approved',
    card,
    checks: { line1: 'pass', postalCode: 'pass', cvc: 'pass', ...test.checks },
    disputeAfterwards: test.dispute === true,
  };
}
