// The decoding stage of the card-number guard: every way a browser, a form or a copy-paste may
// dress up digits, undone before the guard looks. Kept apart from the detection so each can be
// read on its own.

/** How a text reached the store: as it stands, or as the query or fragment of a URL (`+` is a space). */
export type TextEncoding = 'plain' | 'form';

// Named character references that can stand for a separator, a digit's escape syntax or an
// ampersand (for entities encoded twice). Others cannot hide digits and are left as they are.
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  AMP: '&',
  num: '#',
  percnt: '%',
  semi: ';',
  plus: '+',
  period: '.',
  sol: '/',
  lowbar: '_',
  UnderBar: '_',
  hyphen: '\u2010',
  dash: '\u2010',
  ndash: '\u2013',
  mdash: '\u2014',
  horbar: '\u2015',
  minus: '\u2212',
  nbsp: '\u00a0',
  NonBreakingSpace: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  emsp13: '\u2004',
  emsp14: '\u2005',
  numsp: '\u2007',
  puncsp: '\u2008',
  thinsp: '\u2009',
  ThinSpace: '\u2009',
  hairsp: '\u200a',
  VeryThinSpace: '\u200a',
  ZeroWidthSpace: '\u200b',
  zwnj: '\u200c',
  zwj: '\u200d',
  shy: '\u00ad',
  Tab: '\t',
  NewLine: '\n',
};

// Longest names first, so `emsp13` is not read as `emsp` followed by "13". The semicolon is
// optional, as browsers read `&nbsp` and `&#32` without one; a decimal reference takes every digit
// that follows it, as browsers do, so `&#321111` is one character, not a space and "1111".
const ENTITY = new RegExp(
  `&(?:#(\\d+)|#[xX]([0-9a-fA-F]+)|(${Object.keys(NAMED_ENTITIES)
    .sort((a, b) => b.length - a.length)
    .join('|')}));?`,
  'g',
);

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED_ENTITIES[name];
    const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex!, 16);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\ufffd';
  });
}

const ESCAPE_RUN = /(?:%[0-9a-fA-F]{2})+/g;

/**
 * What a `+` of form encoding decodes to: U+2064 INVISIBLE PLUS, which the guard reads as a space
 * between digit groups, and also as the plus it may have been, so that `?tel=+49%20151%20…`
 * (a phone number typed into an address bar) is still read as a phone number.
 */
export const FORM_SPACE = '\u2064';

/**
 * Percent-decoding that never gives up: each run of escapes is decoded as UTF-8 on its own (bytes
 * that are not UTF-8 become U+FFFD), and a malformed escape (`%`, `%zz`) stays as it is, so it
 * cannot hide the escapes around it the way one failing `decodeURIComponent` would.
 */
function decodePercent(text: string, plusIsSpace: boolean): string {
  const spaced = plusIsSpace ? text.replace(/\+/g, FORM_SPACE) : text;
  if (!spaced.includes('%')) return spaced;
  return spaced.replace(ESCAPE_RUN, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

// Anything beyond ASCII: only such text can change under NFKC or hold digits of another script.
const NON_ASCII = /[\u0080-\uffff]/;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const digitValues = new Map<string, string>();

/**
 * The ASCII digit of a decimal digit of any script (Arabic-Indic, Devanagari, Thai…). Unicode
 * encodes every script's digits as a contiguous 0–9 range, so a digit's value is its distance
 * from the start of its stretch of digits, modulo 10.
 */
function asciiDigit(digit: string): string {
  let value = digitValues.get(digit);
  if (value === undefined) {
    const codePoint = digit.codePointAt(0)!;
    let distance = 0;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - distance - 1))) distance++;
    value = String(distance % 10);
    digitValues.set(digit, value);
  }
  return value;
}

/**
 * A text with compatibility characters folded (NFKC: full-width digits and percent signs,
 * superscripts, ideographic and no-break spaces) and the digits of every script made ASCII.
 */
function normalise(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFKC').replace(/\p{Nd}/gu, (digit) => (digit <= '9' ? digit : asciiDigit(digit)));
}

/** One decoding step: percent-escapes, then HTML character references, then normalisation. */
function decodeOnce(text: string, plusIsSpace: boolean): string {
  return normalise(decodeEntities(decodePercent(text, plusIsSpace)));
}

// An escape, or an escape escaped again (`%2520`: `%25` is the escaped `%` of `%20`).
const ESCAPE = /%(?:25)*([0-9a-fA-F]{2})/g;

/**
 * A reading with the escapes still in it read as a browser shows them: an escape is one
 * character, never digits, so the "20" of `%20` or `%2520` does not join the number after it (an
 * escaped plus stays a plus: a separator, or the prefix of a phone number).
 */
function escapesAsCharacters(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(ESCAPE, (_escape, hex: string) => (hex.toLowerCase() === '2b' ? '+' : '\ufffd'));
}

/**
 * The readings of a text the guard looks at: the text itself and the text decoded once and
 * twice (percent-escapes, HTML entities, compatibility and other-script digits). A text encoded
 * with `form` reads `+` as a space in the first decoding, as a browser's form encoding means it;
 * in the second, a `+` that came out of `%2B` stays a plus.
 */
export function readings(text: string, encoding: TextEncoding = 'plain'): string[] {
  const asIs = normalise(text);
  const once = decodeOnce(asIs, encoding === 'form');
  const twice = decodeOnce(once, false);
  return [...new Set([asIs, once, twice].map(escapesAsCharacters))];
}
