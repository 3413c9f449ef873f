import { GatewayUnavailableError } from '../payment-gateway';

/** The `type` the braintree SDK sets on the errors it throws (`authenticationError`, `unexpectedError`, …). */
function sdkErrorType(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string') return err.type;
  return undefined;
}

/**
 * Wraps a fault the SDK threw (network, authentication, server error, not found, invalid keys)
 * in the typed error the HTTP layer answers with 502. Declines never come this way: the SDK
 * returns them as results.
 */
export function braintreeUnavailable(action: string, err: unknown): GatewayUnavailableError {
  if (err instanceof GatewayUnavailableError) return err;
  const type = sdkErrorType(err);
  const detail = err instanceof Error && err.message ? err.message : String(err);
  return new GatewayUnavailableError('braintree', `Braintree ${action} failed: ${type ? `${type}: ` : ''}${detail}`, { cause: err });
}

/** Runs one SDK call, turning anything it throws into a {@link GatewayUnavailableError}. */
export async function callBraintree<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw braintreeUnavailable(action, err);
  }
}
