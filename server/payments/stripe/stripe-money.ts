import { money, type Money } from '../../money';

/**
 * Currencies whose Stripe amounts carry more digits than their ISO-4217 minor units. Icelandic
 * króna is zero-decimal, but Stripe still takes it as a two-decimal amount whose decimals are 00
 * (stripe.com/docs/currencies, "Special cases"). Every other currency the store knows (JPY 0,
 * USD 2, BHD 3, …) is sent to Stripe in exactly its ISO minor units.
 */
const EXTRA_STRIPE_DIGITS: Readonly<Record<string, number>> = Object.freeze({ ISK: 2 });

function factor(currency: string): number {
  return 10 ** (EXTRA_STRIPE_DIGITS[currency.toUpperCase()] ?? 0);
}

/** The integer Stripe expects for an amount (`1999 USD` → 1999, `500 JPY` → 500). */
export function toStripeAmount(amount: Money): number {
  return amount.amount * factor(amount.currency);
}

/** Stripe's currency spelling: ISO-4217, lower case. */
export function toStripeCurrency(currency: string): string {
  return currency.toLowerCase();
}

/**
 * Reads an amount as Stripe reports it into Money (upper-case ISO code), on integers only.
 * Throws a RangeError for an amount that is not whole in the store's minor units.
 */
export function fromStripeAmount(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  const f = factor(code);
  if (!Number.isSafeInteger(amount) || amount % f !== 0) throw new RangeError(`Not a whole ${code} amount from Stripe: ${amount}`);
  return money(amount / f, code);
}
