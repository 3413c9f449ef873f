/**
 * An amount of money: an integer count of the currency's minor units (cents for USD,
 * yen for JPY, fils for BHD) and its ISO-4217 code. Money never travels as a float.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/**
 * ISO-4217 minor-unit exponents: how many decimals each currency's major unit has.
 * Currencies not listed here are refused rather than guessed. HUF and IDR are left out on
 * purpose: ISO gives them 2 decimals while browsers (CLDR) and some gateways use 0, so the same
 * amount would be shown 100 times apart.
 */
const MINOR_UNIT_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2,
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PLN: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  USD: 2,
  VND: 0,
  ZAR: 2,
});

/** Whether the store knows the exponent of this ISO-4217 code. */
export function isKnownCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(MINOR_UNIT_EXPONENTS, code);
}

/** The number of decimals of a currency's major unit (USD 2, JPY 0, BHD 3). */
export function minorUnitExponent(currency: string): number {
  const exponent = MINOR_UNIT_EXPONENTS[currency];
  if (exponent === undefined) throw new RangeError(`Unknown currency: ${currency}`);
  return exponent;
}

/** Builds a Money value, refusing anything that is not a safe integer of a known currency. */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money amounts are integers in minor units, got ${amount}`);
  minorUnitExponent(currency);
  return { amount, currency };
}

/** A whole number of major units (e.g. 5 dollars, 500 yen) expressed in minor units. */
export function fromMajorUnits(major: number, currency: string): Money {
  if (!Number.isSafeInteger(major)) throw new RangeError(`Expected a whole number of major units, got ${major}`);
  return money(major * 10 ** minorUnitExponent(currency), currency);
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`Currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** Multiplies by a whole quantity (a cart line). */
export function multiply(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`Quantity must be an integer, got ${quantity}`);
  return money(a.amount * quantity, a.currency);
}

/** Sums amounts of one currency; the empty sum is zero in `currency`. */
export function sum(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce(add, zero(currency));
}

/**
 * The amount as a decimal string in major units, computed on integers only
 * (`1999 USD` → `"19.99"`, `500 JPY` → `"500"`, `1234 BHD` → `"1.234"`).
 */
export function toDecimalString(m: Money): string {
  const exponent = minorUnitExponent(m.currency);
  const negative = m.amount < 0;
  const digits = Math.abs(m.amount)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Formats for display in a locale, e.g. `$19.99`, `￥500`, `BHD 1.234`. The decimal string is
 * handed to Intl as a string so no float rounding can creep in.
 */
export function formatMoney(m: Money, locale = 'en-US'): string {
  const exponent = minorUnitExponent(m.currency);
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl.NumberFormat accepts decimal strings exactly (ES2023 "Intl.NumberFormat v3").
  return formatter.format(toDecimalString(m) as unknown as number);
}

/**
 * Parses an amount a person typed in major units ("12.50", "1,200", "12") into minor units of
 * `currency`, exactly (no floating point). Returns a sentence saying what is wrong instead when
 * the text is not such an amount, has more decimals than the currency, or is not above zero.
 */
export function parseMajorUnits(text: string, currency: string): Money | string {
  const exponent = minorUnitExponent(currency);
  const cleaned = text.trim().replace(/,(?=\d{3}(?:\D|$))/g, '');
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return `Enter an amount like ${exponent > 0 ? `12.${'5'.padEnd(exponent, '0')}` : '1200'} (${currency}).`;
  const decimals = match[2] ?? '';
  if (decimals.length > exponent) {
    return exponent === 0 ? `${currency} amounts have no decimals.` : `${currency} amounts have at most ${exponent} decimals.`;
  }
  const amount = Number(match[1]) * 10 ** exponent + Number(decimals.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(amount)) return 'That amount is too large.';
  if (amount <= 0) return 'The amount must be more than zero.';
  return money(amount, currency);
}
