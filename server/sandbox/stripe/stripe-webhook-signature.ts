import { createHmac } from 'node:crypto';

/**
 * The `Stripe-Signature` header Stripe sends with a webhook: `t=<unix seconds>,v1=<hex>`, where
 * v1 is the HMAC-SHA256, keyed with the endpoint's whole signing secret (`whsec_…`), of
 * `${t}.${payload}` (docs.stripe.com/webhooks#verify-manually). Computed here rather than with
 * the SDK's test helper so that the adapter's `constructEvent` checks an independent signer.
 */
export function stripeSignatureHeader(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
