/**
 * What went wrong, in the store's own words. Services throw a {@link DomainError} with one of
 * these kinds; only `http/error-handler.ts` decides which HTTP status each kind is answered with.
 */
export type ErrorKind =
  /** The input is malformed or breaks a rule of its field. */
  | 'invalid_input'
  /** Nobody is logged in, or the credentials are wrong. */
  | 'unauthenticated'
  /** Logged in (or not), but this may not be done. */
  | 'forbidden'
  | 'not_found'
  /** The request is fine, but the current state of things refuses it. */
  | 'conflict'
  /** It existed and is over for good (an expired checkout). */
  | 'gone'
  | 'too_large'
  | 'unsupported_encoding'
  /** Someone else (a gateway) said no to an otherwise valid request. */
  | 'refused'
  /** Locked for a while after too many failures. */
  | 'locked'
  | 'rate_limited'
  /** The payment provider could not be reached or answered nonsense. */
  | 'gateway_unavailable'
  /** The store's own set-up keeps this from working (e.g. a SECRETS_KEY that does not open the stored secrets); the message says what to fix. */
  | 'unavailable'
  /** Our own fault; the message is never shown to the client. */
  | 'internal';

/** One entry of an error's `details`: which input was wrong and why. */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An error the store expects and can explain: a kind (how bad, whose fault), a stable
 * machine-readable code, and a message meant for the person who made the request.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export const invalidInput = (message: string, details?: readonly ErrorDetail[]): DomainError =>
  new DomainError('invalid_input', 'invalid_request', message, details);

export const notFound = (what: string): DomainError => new DomainError('not_found', 'not_found', `${what} was not found`);

export const conflict = (code: string, message: string, details?: readonly ErrorDetail[]): DomainError =>
  new DomainError('conflict', code, message, details);

/** Whether `err` is a DomainError of one of `kinds` (any kind when none is given). */
export function isDomainError(err: unknown, ...kinds: ErrorKind[]): err is DomainError {
  return err instanceof DomainError && (kinds.length === 0 || kinds.includes(err.kind));
}
