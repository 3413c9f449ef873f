import Stripe from 'stripe';
import { GatewayUnavailableError } from '../payment-gateway';

/** A request Stripe understood and refused: a card decline, or a request the object's state does not allow. */
export interface StripeRefusal {
  readonly type: 'card_error' | 'invalid_request_error';
  /** Stripe's error code (`card_declined`, `amount_too_large`, `payment_intent_unexpected_state`, …). */
  readonly code: string | undefined;
  readonly message: string;
}

/**
 * Wraps a fault (network, timeout, authentication, permission, rate limit, Stripe's own errors,
 * an idempotency key reused with other parameters) in the typed error the HTTP layer answers with 502.
 */
export function stripeUnavailable(action: string, err: unknown): GatewayUnavailableError {
  if (err instanceof GatewayUnavailableError) return err;
  const type = err instanceof Stripe.errors.StripeError ? err.type : undefined;
  const detail = err instanceof Error && err.message ? err.message : String(err);
  return new GatewayUnavailableError('stripe', `Stripe ${action} failed: ${type ? `${type}: ` : ''}${detail}`, { cause: err });
}

/** Runs one SDK call whose every Stripe error is a fault, never a business answer. */
export async function callStripe<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw err instanceof Stripe.errors.StripeError ? stripeUnavailable(action, err) : err;
  }
}

/**
 * Runs one SDK call where Stripe may refuse: card errors and invalid requests come back as a
 * {@link StripeRefusal} for the caller to turn into a value; other Stripe errors are faults.
 */
export async function tryStripe<T>(
  action: string,
  call: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; refusal: StripeRefusal }> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (err instanceof Stripe.errors.StripeCardError) {
      return { ok: false, refusal: { type: 'card_error', code: err.code, message: err.message } };
    }
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode !== 404) {
      return { ok: false, refusal: { type: 'invalid_request_error', code: err.code, message: err.message } };
    }
    throw err instanceof Stripe.errors.StripeError ? stripeUnavailable(action, err) : err;
  }
}
