import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { DomainError } from '../domain-error';
import { FORM_SPACE, readings } from './card-number-decoding';

// Characters people, forms and copy-paste put between groups of a card number's digits: any
// white space (tabs, new lines, no-break and ideographic spaces), dashes of every kind, dots,
// slashes, underscores, plus signs, and the invisible soft hyphen and zero-width characters.
const SEPARATOR = `[\\s\\-./_+\\u00ad\\u2010-\\u2015\\u2212\\u200b-\\u200d\\u2060${FORM_SPACE}]`;
// Groups of digits separated by up to three such characters.
const DIGIT_RUN = new RegExp(`\\d+(?:${SEPARATOR}{1,3}\\d+)*`, 'g');
const GROUP = /\d+/g;
// UUIDs are 32 hex digits in dashed groups: their digit stretches are never a card number.
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// What may stand right before an international phone number's country code: a plus, as typed,
// as an entity, or as a form-encoded `+` (FORM_SPACE, which may have been either).
const PHONE_PLUS = new RegExp(`(?:\\+|${FORM_SPACE}|&#0*43;?|&#x0*2b;?|&plus;?)$`, 'i');

/** The Luhn check digit test of a string of digits (every card number passes it). */
export function passesLuhn(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

/**
 * Whether digits look like a card number: 13–19 of them passing the Luhn check. No card number
 * starts with 0 (ISO/IEC 7812 gives that first digit to no card issuer), and the only card
 * numbers starting with 1 are the airlines' 15-digit UATP ones: so zero-padded numbers and
 * Unix times in milliseconds, microseconds or nanoseconds (13, 16 and 19 digits starting with 1
 * until 2033) are not taken for cards.
 */
export function looksLikeCard(digits: string): boolean {
  const length = digits.length;
  if (length < 13 || length > 19 || digits[0] === '0' || (digits[0] === '1' && length !== 15)) return false;
  return passesLuhn(digits);
}

/**
 * Whether the digit groups starting at `groupStart` in `text` (the first of them `firstGroup`,
 * `length` digits in all) are an international phone number: a country code of 1–3 digits right
 * after a plus (not a plus between two numbers), 15 digits at most (E.164).
 */
function isPhoneNumber(text: string, groupStart: number, firstGroup: string, length: number): boolean {
  if (length > 15 || firstGroup.length > 3) return false;
  const before = text.slice(Math.max(0, groupStart - 12), groupStart);
  const plus = PHONE_PLUS.exec(before);
  return plus !== null && !/\d$/.test(before.slice(0, before.length - plus[0].length));
}

/** Whether one reading of a text holds a card number (see {@link containsCardNumber}). */
function readingHoldsCard(text: string): boolean {
  const withoutUuids = text.includes('-') ? text.replace(UUID, 'uuid') : text;
  for (const run of withoutUuids.matchAll(DIGIT_RUN)) {
    if (run[0].length < 13) continue;
    const groups = [...run[0].matchAll(GROUP)].map((g) => ({ digits: g[0], at: run.index + g.index }));
    for (let start = 0; start < groups.length; start++) {
      let digits = '';
      // Stops at 19 digits, so a long run costs at most 19 checks per group, never a quadratic sweep.
      for (let end = start; end < groups.length && digits.length < 19; end++) {
        digits += groups[end].digits;
        if (looksLikeCard(digits) && !isPhoneNumber(withoutUuids, groups[start].at, groups[start].digits, digits.length)) return true;
      }
    }
  }
  return false;
}

// A text worth reading at all: it has a digit, an escape or a character NFKC may fold into one.
const MAY_HOLD_DIGITS = /[\d%&\u0080-\uffff]/;
// A URL never holds white space; one that has a query or a fragment is read as a browser means it.
const URL_WITH_QUERY = /^[^\s?#]*[?#]\S*$/;

/**
 * Whether a text holds something that looks like a payment card number: a Luhn-valid number of
 * 13–19 digits (see {@link looksLikeCard}), with or without separators, in any of the encodings a
 * browser or a form may use: percent-escapes (decoded once and twice), `+` for a space in a URL's
 * query or fragment, HTML character references (`&#52;`, `&#x34;`, `&nbsp;`, with or without the
 * semicolon), full-width and other compatibility digits, and the digits of other scripts. Within a
 * longer run of separated groups ("qty 1 4242 4242 4242 4242") every sequence of whole groups is
 * checked; an unbroken run of digits counts only as a whole. Not taken for card numbers:
 * international phone numbers (`+` and a 1–3 digit country code, 15 digits at most) and UUIDs.
 */
export function containsCardNumber(text: string): boolean {
  if (!MAY_HOLD_DIGITS.test(text)) return false;
  if (readings(text).some(readingHoldsCard)) return true;
  if (!URL_WITH_QUERY.test(text)) return false;
  const query = text.slice(text.search(/[?#]/));
  return readings(query, 'form').some(readingHoldsCard);
}

/**
 * Whether a JSON number may have been sent as a card number. A fraction is not one (0.1234… is a
 * ratio). Beyond 2^53 a whole number is held only approximately, so the digits sent may not be the
 * ones it prints as: every whole number that parses to the same value is checked.
 */
function numberMayBeCard(value: number): boolean {
  if (!Number.isInteger(value)) return false;
  if (Number.isSafeInteger(value)) return looksLikeCard(String(Math.abs(value)));
  const magnitude = Math.abs(value);
  if (magnitude >= 1e20) return false;
  const halfStep = BigInt(2 ** (Math.floor(Math.log2(magnitude)) - 53));
  // Of any ten consecutive numbers one passes Luhn (the last digit settles it), so ten either
  // side of the middle answer for a wider step too: the work per number stays small.
  const reach = halfStep < 10n ? halfStep : 10n;
  const middle = BigInt(magnitude);
  for (let candidate = middle - reach; candidate <= middle + reach; candidate++) {
    if (looksLikeCard(candidate.toString())) return true;
  }
  return false;
}

/**
 * Walks any parsed input (strings, numbers, arrays, objects and their keys, at any depth) looking
 * for card numbers. The walk keeps its own stack, so no nesting is too deep for it.
 */
export function valueContainsCardNumber(value: unknown): boolean {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (containsCardNumber(item)) return true;
    } else if (typeof item === 'number') {
      if (numberMayBeCard(item)) return true;
    } else if (typeof item === 'bigint') {
      if (containsCardNumber(item.toString())) return true;
    } else if (typeof item === 'object' && item !== null && !seen.has(item)) {
      seen.add(item);
      for (const [key, child] of Object.entries(item)) {
        if (!Array.isArray(item) && containsCardNumber(key)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/**
 * Whether a URL carries a card number anywhere: in its path, or in its query or fragment read as
 * a browser encodes them (names and values, percent-decoded once and twice, `+` as a space).
 */
export function urlContainsCardNumber(url: string): boolean {
  return containsCardNumber(url);
}

const URL_VERDICT = Symbol('card number in the URL');
type Judged = IncomingMessage & { originalUrl?: string; [URL_VERDICT]?: boolean };

/**
 * {@link urlContainsCardNumber} for the URL the client sent (`originalUrl` once Express has
 * routed, `url` before), worked out once per request: the cached-read lane or this guard asks
 * first, and the request log asks again when the answer is done.
 */
export function requestUrlContainsCardNumber(req: IncomingMessage): boolean {
  const judged = req as Judged;
  return (judged[URL_VERDICT] ??= urlContainsCardNumber(judged.originalUrl ?? judged.url ?? ''));
}

/**
 * The store never accepts card data (DESIGN promise 2). This guard runs after the body parsers
 * and before every route: a request carrying a card number anywhere (URL, query, body, keys) is
 * refused with a 400 before any handler can store it, and the request logger redacts its URL.
 */
export const cardNumberGuard: RequestHandler = (req, _res, next) => {
  // The query is read from the URL itself, where a `+` may still be a phone number's plus: the
  // parsed req.query has already turned it into a space, and checking it again refused phones.
  if (requestUrlContainsCardNumber(req) || valueContainsCardNumber(req.body)) {
    next(
      new DomainError(
        'invalid_input',
        'card_data_refused',
        'This looks like a payment card number. Card details are never sent to the store: enter them only on the secure payment page.',
      ),
    );
    return;
  }
  next();
};
