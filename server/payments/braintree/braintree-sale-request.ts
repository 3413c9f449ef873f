import type braintree from 'braintree';
import type { PostalAddress } from '../../orders/postal-address';
import type { ChargeNonceRequest } from '../payment-gateway';
import { toBraintreeAmount } from './braintree-money';

/**
 * Splits a full name for Braintree's billing first/last name: the last word is the last name,
 * the rest the first name ("Ada King Lovelace" → "Ada King" / "Lovelace"); a single word is a
 * first name only. Names are not part of the address check; this only keeps them readable.
 */
export function splitName(fullName: string): { firstName?: string; lastName?: string } {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { firstName: words[0] };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1] };
}

/** The billing address in Braintree's shape; this is what its address check (AVS) compares. */
export function braintreeBilling(address: PostalAddress): NonNullable<braintree.TransactionRequest['billing']> {
  return {
    ...splitName(address.name),
    streetAddress: address.line1,
    ...(address.line2 ? { extendedAddress: address.line2 } : {}),
    locality: address.city,
    ...(address.region ? { region: address.region } : {}),
    postalCode: address.postalCode,
    countryCodeAlpha2: address.country,
  };
}

/**
 * The `transaction.sale` request for a nonce: the amount as a decimal string, the order number
 * as Braintree's order id (what the merchant sees in the control panel, and what a retry searches
 * for), the billing address for AVS, and whether to capture at once.
 */
export function saleRequest(request: ChargeNonceRequest, merchantAccountId: string | undefined): braintree.TransactionRequest {
  return {
    amount: toBraintreeAmount(request.amount),
    paymentMethodNonce: request.nonce,
    orderId: request.orderNumber,
    ...(merchantAccountId ? { merchantAccountId } : {}),
    customer: { email: request.email },
    billing: braintreeBilling(request.billingAddress),
    options: { submitForSettlement: !request.captureLater },
  };
}
