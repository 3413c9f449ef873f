import type { RequestHandler } from 'express';
import { DomainError } from '../domain-error';

// Groups of digits separated by up to three spaces, dashes or dots, as people type card numbers.
const DIGIT_RUN = /\d+(?:[ \-.\u00a0]{1,3}\d+)*/g;
const GROUP = /\d+/g;

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

const looksLikeCard = (digits: string) => digits.length >= 13 && digits.length <= 19 && passesLuhn(digits);

/**
 * Whether a string holds something that looks like a payment card number: a Luhn-valid number
 * of 13–19 digits, with or without separators. Within a longer separated run ("qty 1 4242 4242
 * 4242 4242") every sequence of whole digit groups is checked; an unbroken run of digits counts
 * only as a whole. Full-width and other compatibility digits count too.
 */
export function containsCardNumber(text: string): boolean {
  // NFKC folds full-width and other compatibility digits to ASCII ones.
  const normalised = text.normalize('NFKC');
  for (const run of normalised.matchAll(DIGIT_RUN)) {
    const groups = run[0].match(GROUP) ?? [];
    for (let start = 0; start < groups.length; start++) {
      let digits = '';
      for (let end = start; end < groups.length && digits.length < 19; end++) {
        digits += groups[end];
        if (looksLikeCard(digits)) return true;
      }
    }
  }
  return false;
}

/** Walks any parsed input (strings, numbers, arrays, objects, and their keys) looking for card numbers. */
export function valueContainsCardNumber(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') return containsCardNumber(value);
  if (typeof value === 'number' || typeof value === 'bigint') return containsCardNumber(value.toString());
  if (Array.isArray(value)) return value.some((v) => valueContainsCardNumber(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => containsCardNumber(k) || valueContainsCardNumber(v, depth + 1));
  }
  return false;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is checked as it stands.
    return text;
  }
}

/**
 * Whether a request URL carries a card number: in the path, or in any query parameter's name or
 * value, each percent-decoded on its own (one malformed escape cannot hide the others).
 */
export function urlContainsCardNumber(url: string): boolean {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const pieces = [path, ...query.split(/[&=]/)];
  return pieces.some((piece) => containsCardNumber(decode(piece)) || containsCardNumber(piece));
}

/**
 * The store never accepts card data (DESIGN promise 2). This guard runs after the body parsers
 * and before every route: a request carrying a card number anywhere is refused with a 400 before
 * any handler can store it, and the request logger redacts its URL.
 */
export const cardNumberGuard: RequestHandler = (req, _res, next) => {
  if (urlContainsCardNumber(req.originalUrl) || valueContainsCardNumber(req.query) || valueContainsCardNumber(req.body)) {
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
