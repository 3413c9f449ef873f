import type { AvsResult, CheckResult } from '../payment-gateway';

/** The address and security-code response codes Braintree puts on a transaction (null when absent). */
export interface BraintreeCheckCodes {
  readonly avsErrorResponseCode?: string | null;
  readonly avsStreetAddressResponseCode?: string | null;
  readonly avsPostalCodeResponseCode?: string | null;
  readonly cvvResponseCode?: string | null;
}

/*
 * Braintree's codes, as listed in "AVS and CVV Response Codes"
 * (developer.paypal.com/braintree/docs/reference/general/processor-responses/avs-cvv-responses):
 *   M matches → pass            N does not match → fail
 *   U not verified → unavailable (the bank received the value but did not check it)
 *   S issuer does not participate → unavailable
 *   E system error → unavailable
 *   I not provided → unchecked (nothing was sent to check)
 *   A not applicable, B bypassed → unchecked (no check was made: PayPal, skipped checks)
 *   null / missing (PayPal and other non-card payments) → unchecked
 * `unavailable` means a check was attempted and could not give an answer; `unchecked` means no
 * check was attempted at all. An address-check policy may treat them differently.
 */
const CODE_RESULTS: Readonly<Record<string, CheckResult>> = {
  M: 'pass',
  N: 'fail',
  U: 'unavailable',
  S: 'unavailable',
  E: 'unavailable',
  I: 'unchecked',
  A: 'unchecked',
  B: 'unchecked',
};

function checkResult(code: string | null | undefined): CheckResult {
  if (!code) return 'unchecked';
  return CODE_RESULTS[code] ?? 'unavailable';
}

/**
 * Normalises a transaction's AVS and CVV codes. The AVS error code (S: issuing bank does not
 * support AVS, E: AVS system error) applies to both address parts, so it wins over their own codes.
 */
export function avsResultFromCodes(codes: BraintreeCheckCodes): AvsResult {
  const avsError = codes.avsErrorResponseCode || null;
  const addressOverride: CheckResult | null = avsError === 'S' || avsError === 'E' ? 'unavailable' : null;
  return {
    street: addressOverride ?? checkResult(codes.avsStreetAddressResponseCode),
    postalCode: addressOverride ?? checkResult(codes.avsPostalCodeResponseCode),
    cvc: checkResult(codes.cvvResponseCode),
    raw: {
      street: codes.avsStreetAddressResponseCode || null,
      postalCode: codes.avsPostalCodeResponseCode || null,
      cvc: codes.cvvResponseCode || null,
      error: avsError,
    },
  };
}
