import type { RequestHandler } from 'express';
import { HttpError } from './http-error';

// Digits optionally separated by single spaces, dashes or dots, as people paste card numbers.
const DIGIT_RUN = /\d(?:[ \-.\u00a0]?\d)*/g;

function passesLuhn(digits: string): boolean {
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
 * Whether a string holds something that looks like a payment card number: a Luhn-valid run of
 * 13–19 digits, with or without separators. Full-width and other compatibility digits count too.
 */
export function containsCardNumber(text: string): boolean {
  // NFKC folds full-width and other compatibility digits to ASCII ones.
  const normalised = text.normalize('NFKC');
  for (const match of normalised.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
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
    return Object.entries(value).some(
      ([k, v]) => containsCardNumber(k) || valueContainsCardNumber(v, depth + 1),
    );
  }
  return false;
}

function decodedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Whether a request URL (path or query, percent-decoded) carries a card number. */
export function urlContainsCardNumber(url: string): boolean {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  let decodedQuery = query;
  try {
    decodedQuery = decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is checked as it stands.
  }
  return containsCardNumber(decodedPath(url)) || containsCardNumber(decodedQuery);
}

/**
 * The store never accepts card data (DESIGN promise 2). This guard runs after the body parsers
 * and before every route: a request carrying a card number anywhere is refused with a 400 before
 * any handler can store it, and the request logger redacts its URL.
 */
export const cardNumberGuard: RequestHandler = (req, _res, next) => {
  if (urlContainsCardNumber(req.originalUrl) || valueContainsCardNumber(req.body)) {
    next(
      new HttpError(
        400,
        'card_data_refused',
        'This looks like a payment card number. Card details are never sent to the store: enter them only on the secure payment page.',
      ),
    );
    return;
  }
  next();
};
