/** The `error` object of a Stripe API error response (what the SDK turns into its error classes). */
export interface StripeErrorBody {
  readonly type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  readonly message: string;
  readonly code?: string;
  readonly decline_code?: string;
  readonly param?: string;
  readonly doc_url?: string;
}

/**
 * An error the sandbox answers as Stripe does: an HTTP status and `{ error: { type, code, message, … } }`.
 * stripe-node picks its error class from both: 402 or `card_error` → StripeCardError, 400/404 →
 * StripeInvalidRequestError (or StripeIdempotencyError), 401 → StripeAuthenticationError, 5xx → StripeAPIError.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }

  /** The JSON Stripe answers with. */
  toResponse(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

/** 400 `invalid_request_error`, with a code and the offending parameter when there is one. */
export function invalidRequest(message: string, options: { code?: string; param?: string } = {}): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(options.code ? { code: options.code, doc_url: docUrl(options.code) } : {}),
    ...(options.param ? { param: options.param } : {}),
  });
}

/** 404 for an id Stripe does not know (`No such payment_intent: 'pi_…'`). */
export function noSuchObject(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: docUrl('resource_missing'),
    param,
    message: `No such ${kind}: '${id}'`,
  });
}

/** 400 `payment_intent_unexpected_state`: the PaymentIntent's status does not allow the action. */
export function unexpectedState(message: string): StripeApiError {
  return invalidRequest(message, { code: 'payment_intent_unexpected_state' });
}
