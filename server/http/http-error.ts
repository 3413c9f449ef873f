/** One entry of an error's `details`: which input was wrong and why. */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An error with an honest HTTP status and a stable machine-readable code. Anything thrown
 * that is not an HttpError becomes a 500 whose message reveals nothing internal.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: readonly ErrorDetail[]): HttpError =>
  new HttpError(400, 'invalid_request', message, details);

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} was not found`);

export const conflict = (code: string, message: string, details?: readonly ErrorDetail[]): HttpError =>
  new HttpError(409, code, message, details);
