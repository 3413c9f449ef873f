import { createHash, createHmac } from 'node:crypto';

/**
 * Signs a webhook payload the way Braintree does and its SDK checks (webhook_notification_gateway
 * `validateSignature`, digest `Sha1hexdigest`): `public_key|hex(HMAC-SHA1(key = SHA1(private_key)
 * raw bytes, message = bt_payload))`.
 */
export function signWebhookPayload(publicKey: string, privateKey: string, payload: string): string {
  const key = createHash('sha1').update(privateKey, 'utf8').digest();
  return `${publicKey}|${createHmac('sha1', key).update(payload, 'utf8').digest('hex')}`;
}

/**
 * Encodes notification XML as `bt_payload`: base64 in lines of 60 characters, each ending in a
 * newline, as Braintree sends it (the SDK accepts newlines in the payload).
 */
export function encodeWebhookPayload(xml: string): string {
  const base64 = Buffer.from(xml, 'utf8').toString('base64');
  return `${base64.replace(/.{60}/g, '$&\n').replace(/\n$/, '')}\n`;
}

/** The form body of a webhook POST: `bt_signature=…&bt_payload=…`. */
export function webhookFormBody(publicKey: string, privateKey: string, xml: string): string {
  const payload = encodeWebhookPayload(xml);
  return new URLSearchParams({ bt_signature: signWebhookPayload(publicKey, privateKey, payload), bt_payload: payload }).toString();
}
