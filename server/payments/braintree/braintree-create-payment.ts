import type braintree from 'braintree';
import type { CreatedPayment, CreatePaymentRequest } from '../payment-gateway';
import { braintreeUnavailable, callBraintree } from './braintree-errors';
import { toBraintreeAmount } from './braintree-money';

/**
 * Starts an in-page payment: a fresh client token for the browser's Drop-in (or the local
 * sandbox's fields page), with the amount PayPal shows. Nothing is charged until the store
 * charges the nonce the browser sends back. The client token is public by design (it authorises
 * tokenizing only); no secret goes to the page.
 */
export async function createInPagePayment(
  gateway: braintree.BraintreeGateway,
  request: CreatePaymentRequest,
  options: { readonly fieldsUrl?: string; readonly merchantAccountId?: string },
): Promise<CreatedPayment> {
  const result = await callBraintree('clientToken.generate', () =>
    gateway.clientToken.generate(options.merchantAccountId ? { merchantAccountId: options.merchantAccountId } : {}),
  );
  if (!result.success || !result.clientToken) {
    // A refused client token means a wrong merchant account or credentials: a configuration fault.
    throw braintreeUnavailable('clientToken.generate', new Error(result.message || 'no client token'));
  }
  return {
    kind: 'in_page',
    clientConfig: {
      clientToken: result.clientToken,
      amount: toBraintreeAmount(request.amount),
      currency: request.amount.currency,
      ...(options.fieldsUrl ? { fieldsUrl: options.fieldsUrl } : {}),
    },
  };
}
