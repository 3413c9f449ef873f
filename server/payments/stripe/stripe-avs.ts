import type Stripe from 'stripe';
import type { AvsResult, CheckResult } from '../payment-gateway';

const KNOWN: ReadonlySet<string> = new Set<CheckResult>(['pass', 'fail', 'unavailable', 'unchecked']);

/** One of Stripe's check values (`pass`, `fail`, `unavailable`, `unchecked`, or null when nothing was checked). */
function checkResult(value: string | null | undefined): CheckResult {
  if (value === null || value === undefined) return 'unchecked';
  // A value Stripe adds later is treated as "no answer", never as a pass.
  return KNOWN.has(value) ? (value as CheckResult) : 'unavailable';
}

/**
 * The address and CVC checks of a charge, from `payment_method_details.card.checks`
 * (`address_line1_check`, `address_postal_code_check`, `cvc_check`), with Stripe's values kept raw.
 * A charge that is not a card payment, or no charge at all, has nothing checked.
 */
export function avsFromCharge(charge: Stripe.Charge | null): AvsResult {
  const checks = charge?.payment_method_details?.card?.checks ?? null;
  const raw = {
    address_line1_check: checks?.address_line1_check ?? null,
    address_postal_code_check: checks?.address_postal_code_check ?? null,
    cvc_check: checks?.cvc_check ?? null,
  };
  return {
    street: checkResult(raw.address_line1_check),
    postalCode: checkResult(raw.address_postal_code_check),
    cvc: checkResult(raw.cvc_check),
    raw,
  };
}
