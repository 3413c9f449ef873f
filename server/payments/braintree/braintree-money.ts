import { minorUnitExponent, money, toDecimalString, type Money } from '../../money';

/**
 * Reads an amount as Braintree writes it (a decimal string in major units: `"69.00"`, `"100"`,
 * `"250.0"`, `"500"` for JPY) into Money, on integers only. Extra decimals are accepted only when
 * they are zeros; anything else is refused rather than rounded.
 */
export function parseBraintreeAmount(amount: string, currency: string): Money {
  const match = /^(\d{1,15})(?:\.(\d{1,6}))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`Not a Braintree amount: "${amount}"`);
  const exponent = minorUnitExponent(currency);
  const whole = match[1];
  const fraction = match[2] ?? '';
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new RangeError(`"${amount}" has more decimals than ${currency} allows`);
  }
  return money(Number(whole + fraction.slice(0, exponent).padEnd(exponent, '0')), currency);
}

/** The decimal string Braintree expects for an amount (`1999 USD` → `"19.99"`, `500 JPY` → `"500"`). */
export function toBraintreeAmount(amount: Money): string {
  return toDecimalString(amount);
}
