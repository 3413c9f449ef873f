import fc from 'fast-check';

// Generators for the card-number guard's property tests: card numbers of every brand written the
// ways a shopper, a browser or a form may write them, and ordinary text the guard must let through.

/** A card brand: the prefixes (IIN ranges) its numbers start with and the lengths they have. */
interface Brand {
  readonly name: string;
  readonly prefixes: readonly string[];
  readonly lengths: readonly number[];
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/**
 * Every brand the issue names, with its published ranges. Maestro also issues 12-digit numbers;
 * the guard's floor is 13 digits (DESIGN promise 2), so those are not generated.
 */
export const BRANDS: readonly Brand[] = [
  { name: 'Visa', prefixes: ['4'], lengths: [13, 16, 19] },
  { name: 'Mastercard', prefixes: [...range(51, 55), ...range(2221, 2720)], lengths: [16] },
  { name: 'American Express', prefixes: ['34', '37'], lengths: [15] },
  { name: 'Discover', prefixes: ['6011', '65', ...range(644, 649)], lengths: [16, 19] },
  { name: 'JCB', prefixes: range(3528, 3589), lengths: [16, 17, 18, 19] },
  { name: 'Diners Club', prefixes: ['36', '38', ...range(300, 305)], lengths: [14] },
  { name: 'UnionPay', prefixes: ['62'], lengths: [16, 17, 18, 19] },
  { name: 'Maestro', prefixes: ['5018', '5020', '5038', '5893', '6304', '6759', '6761', '6762', '6763'], lengths: [13, 15, 16, 19] },
  { name: 'UATP', prefixes: ['1'], lengths: [15] },
];

/** The digit that completes `partial` so the whole passes the Luhn check (computed here, not by the guard). */
function luhnCheckDigit(partial: string): string {
  let total = 0;
  for (let i = 0; i < partial.length; i++) {
    // Counted from the right of the finished number: the check digit is position 0, so partial's last digit is doubled.
    let d = Number(partial[partial.length - 1 - i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    total += d;
  }
  return String((10 - (total % 10)) % 10);
}

/** A Luhn-valid card number of a random brand, prefix and length, as plain digits. */
export const cardNumber: fc.Arbitrary<{ brand: string; digits: string }> = fc.constantFrom(...BRANDS).chain((brand) =>
  fc.record({ prefix: fc.constantFrom(...brand.prefixes), length: fc.constantFrom(...brand.lengths) }).chain(({ prefix, length }) =>
    fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: length - prefix.length - 1, maxLength: length - prefix.length - 1 })
      .map((body) => {
        const partial = prefix + body.join('');
        return { brand: brand.name, digits: partial + luhnCheckDigit(partial) };
      }),
  ),
);

/** Splits digits into groups: as brands print them (4-4-4-4, 4-6-5, 4-6-4) or at random places. */
const grouping = (digits: string): fc.Arbitrary<readonly string[]> => {
  const printed = (sizes: number[]) => {
    const groups: string[] = [];
    let at = 0;
    for (const size of sizes) {
      if (at >= digits.length) break;
      groups.push(digits.slice(at, at + size));
      at += size;
    }
    if (at < digits.length) groups.push(digits.slice(at));
    return groups;
  };
  return fc.oneof(
    fc.constant([digits]),
    fc.constant(printed([4, 4, 4, 4, 4])),
    fc.constant(printed([4, 6, 5])),
    fc
      .uniqueArray(fc.integer({ min: 1, max: digits.length - 1 }), { maxLength: digits.length - 1 })
      .map((cuts) =>
        [0, ...cuts.sort((a, b) => a - b), digits.length].slice(1).map((end, i, ends) => digits.slice(i === 0 ? 0 : ends[i - 1], end)),
      ),
  );
};

/** What may stand between two groups: typed, pasted, or written as HTML entities (in form fields). */
const SEPARATORS = [
  ' ',
  '-',
  '.',
  '/',
  '_',
  '+',
  '  ',
  ' - ',
  ' / ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u2013',
  '\u2014',
  '\u200b',
  '\u00ad',
  '&nbsp;',
  '&nbsp',
  '&#32;',
  '&#x20;',
  '&#160;',
  '&ndash;',
  '&#45;',
];

/** Ways to write one digit: ASCII, full-width, Arabic-Indic, Devanagari, a decimal or hex HTML entity. */
const DIGIT_FORMS: readonly ((d: number) => string)[] = [
  (d) => String(d),
  (d) => String.fromCodePoint(0xff10 + d),
  (d) => String.fromCodePoint(0x0660 + d),
  (d) => String.fromCodePoint(0x0966 + d),
  (d) => `&#${48 + d};`,
  (d) => `&#x${(48 + d).toString(16)};`,
];

const percentEncodeAll = (text: string): string =>
  Array.from(Buffer.from(text, 'utf8'))
    .map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`)
    .join('');

/** A browser's form encoding of a value (`application/x-www-form-urlencoded`: spaces become `+`). */
export const formEncode = (text: string): string => new URLSearchParams({ v: text }).toString().slice(2);

/** How the written number is then wrapped: as it is, percent-encoded once, twice, form-encoded, or partly. */
const WRAPPERS: Readonly<Record<string, (text: string) => fc.Arbitrary<string>>> = {
  none: (text) => fc.constant(text),
  percentOnce: (text) => fc.constant(encodeURIComponent(text)),
  percentTwice: (text) => fc.constant(encodeURIComponent(encodeURIComponent(text))),
  percentEverything: (text) => fc.constant(percentEncodeAll(text)),
  form: (text) => fc.constant(formEncode(text)),
  formThenPercent: (text) => fc.constant(encodeURIComponent(formEncode(text))),
  partly: (text) =>
    fc
      .array(fc.boolean(), { minLength: Array.from(text).length, maxLength: Array.from(text).length })
      .map((picks) => Array.from(text, (ch, i) => (picks[i] ? percentEncodeAll(ch) : ch)).join('')),
};

/** A card number written in a random encoding, with the digits it stands for and how it was written. */
export interface EncodedCard {
  readonly brand: string;
  readonly digits: string;
  readonly text: string;
  readonly wrapper: string;
}

/**
 * A card number of any brand in a random encoding: grouped as printed or at random places, random
 * separators between groups, each digit in a random form, the whole possibly percent-, doubly
 * percent- or form-encoded.
 */
export const encodedCard: fc.Arbitrary<EncodedCard> = cardNumber.chain(({ brand, digits }) =>
  grouping(digits).chain((groups) =>
    fc
      .record({
        separators: fc.array(fc.constantFrom(...SEPARATORS), { minLength: groups.length, maxLength: groups.length }),
        forms: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: DIGIT_FORMS.length - 1 })), {
          minLength: digits.length,
          maxLength: digits.length,
        }),
        wrapper: fc.constantFrom(...Object.keys(WRAPPERS)),
      })
      .chain(({ separators, forms, wrapper }) => {
        let at = 0;
        const written = groups
          .map((group, g) => (g === 0 ? '' : separators[g]) + Array.from(group, (d) => DIGIT_FORMS[forms[at++]](Number(d))).join(''))
          .join('');
        return WRAPPERS[wrapper](written).map((text) => ({ brand, digits, text, wrapper }));
      }),
  ),
);

const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const letters = (length: number) =>
  fc.array(fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ'), { minLength: length, maxLength: length }).map((l) => l.join(''));
const join = (...parts: fc.Arbitrary<string>[]) => fc.tuple(...parts).map((p) => p.join(''));

/** Postal codes of several countries. */
const postalCode = fc.oneof(
  digitString(5), // US, DE, FR
  join(digitString(5), fc.constant('-'), digitString(4)), // US ZIP+4
  join(letters(2), digitString(1), letters(1), fc.constant(' '), digitString(1), letters(2)), // UK
  join(letters(1), digitString(1), letters(1), fc.constant(' '), digitString(1), letters(1), digitString(1)), // CA
  join(digitString(4), fc.constant(' '), letters(2)), // NL
  join(digitString(3), fc.constant('-'), digitString(4)), // JP
  join(digitString(5), fc.constant('-'), digitString(3)), // BR
  digitString(6), // IN
  digitString(4), // AU
);

/** Phone numbers as people write them, including 13-digit international numbers. */
const phoneNumber = fc.oneof(
  join(fc.constant('+1 ('), digitString(3), fc.constant(') '), digitString(3), fc.constant('-'), digitString(4)),
  join(fc.constant('+44 20 '), digitString(4), fc.constant(' '), digitString(4)),
  join(fc.constant('+49 30 '), digitString(8)),
  join(fc.constant('+49 151 '), digitString(8)),
  join(fc.constant('+86 1'), digitString(2), fc.constant(' '), digitString(4), fc.constant(' '), digitString(4)),
  join(fc.constant('+62 812-'), digitString(4), fc.constant('-'), digitString(4)),
  join(
    fc.constant('+33 6 '),
    digitString(2),
    fc.constant(' '),
    digitString(2),
    fc.constant(' '),
    digitString(2),
    fc.constant(' '),
    digitString(2),
  ),
  join(fc.constant('('), digitString(3), fc.constant(') '), digitString(3), fc.constant('-'), digitString(4)),
  join(fc.constant('0'), digitString(3), fc.constant(' '), digitString(7)),
  join(fc.constant('0049 151 '), digitString(8)),
);

/** Tracking numbers as carriers print them. */
const trackingNumber = fc.oneof(
  join(
    fc.constant('UPS 1Z'),
    fc.array(fc.constantFrom(...'0123456789ABCDEFGHJKLMNPRSTUVWXYZ'), { minLength: 16, maxLength: 16 }).map((c) => c.join('')),
  ),
  join(fc.constant('DHL '), digitString(10)),
  join(fc.constant('FedEx '), digitString(12)),
  join(fc.constant('Royal Mail '), letters(2), digitString(9), fc.constant('GB')),
  join(fc.constant('USPS 94'), digitString(20)),
);

/** Ordinary things shoppers and admins type, each on its own. */
export const ordinaryValue: fc.Arbitrary<string> = fc.oneof(
  postalCode,
  phoneNumber,
  trackingNumber,
  digitString(6).map((n) => `PLK-2026-${n}`),
  digitString(12).map((ean) => `EAN ${ean}`),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).chain((d) => {
    const iso = d.toISOString().slice(0, 10);
    const [y, m, day] = iso.split('-');
    return fc.constantFrom(iso, `${day}/${m}/${y}`, `${day}.${m}.${y}`, d.toISOString());
  }),
  fc.integer({ min: 1, max: 9_999_999 }).map((cents) => `${(cents / 100).toFixed(2)} USD`),
  fc.integer({ min: 1, max: 99 }).map((qty) => `qty ${qty}`),
  fc.uuid(),
  // Cache-busting and analytics timestamps (Unix milliseconds).
  fc.integer({ min: 1_000_000_000_000, max: 1_999_999_999_999 }).map(String),
);

/** A note made of ordinary values, each labelled, as a tracking note or an address line reads. */
export const ordinaryNote: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom('tel', 'zip', 'order', 'tracking', 'shipped', 'EAN', 'ref', 'note'), ordinaryValue), {
    minLength: 1,
    maxLength: 4,
  })
  .map((pairs) => pairs.map(([label, value]) => `${label} ${value}`).join(', '));

/** How many inputs each property tries; the closing note of the issue reports these figures. */
export const UNIT_RUNS = 2000;
