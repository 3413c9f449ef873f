import type { CheckResult } from '../../payments/payment-gateway';

const PHRASES: Readonly<Record<CheckResult, string>> = {
  pass: 'matched',
  fail: 'did not match',
  unavailable: 'could not be checked',
  unchecked: 'was not checked',
};

/**
 * The gateway's address and security-code checks in plain words, e.g. "Street address did not
 * match, postal code matched, security code matched". Null when the gateway reported none.
 */
export function addressCheckWords(street: CheckResult | null, postalCode: CheckResult | null, cvc: CheckResult | null): string | null {
  const parts = [
    street && `street address ${PHRASES[street]}`,
    postalCode && `postal code ${PHRASES[postalCode]}`,
    cvc && `security code ${PHRASES[cvc]}`,
  ].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return null;
  const sentence = parts.join(', ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
