import type { SandboxDispute, SandboxNotification, SandboxTransaction, SandboxValidationError } from './braintree-sandbox-records';
import { toBraintreeXml } from './braintree-xml';

/** A transaction as its XML element holds it: the SDK reads the PayPal details from `<paypal>`. */
function wireTransaction(t: SandboxTransaction): Record<string, unknown> {
  const { paypalAccount, ...rest } = t;
  return { ...rest, paypal: paypalAccount };
}

function wireDispute(d: SandboxDispute): Record<string, unknown> {
  return { ...d };
}

/** `<transaction>…</transaction>`: what find, sale, submitForSettlement, void and refund return. */
export function transactionXml(t: SandboxTransaction): string {
  return toBraintreeXml('transaction', wireTransaction(t));
}

/**
 * `<api-error-response>`: validation errors nested by scope (`<errors><transaction><errors
 * type="array">…`), the summary message, and the transaction when one was created (processor
 * declines, gateway rejections), which the SDK exposes as `result.transaction`.
 */
export function errorResponseXml(errors: readonly SandboxValidationError[], message: string, transaction?: SandboxTransaction): string {
  const tree: Record<string, unknown> = { errors: [] };
  for (const error of errors) {
    let node = tree;
    for (const scope of error.scope) {
      const child = (node[scope] ??= { errors: [] }) as Record<string, unknown>;
      node = child;
    }
    (node.errors as unknown[]).push({ code: error.code, attribute: error.attribute, message: error.message });
  }
  return toBraintreeXml('apiErrorResponse', {
    errors: tree,
    message,
    ...(transaction ? { transaction: wireTransaction(transaction) } : {}),
  });
}

export function clientTokenXml(clientToken: string): string {
  return toBraintreeXml('clientToken', { value: clientToken });
}

/** The first step of a search: the matching ids and the page size the SDK then fetches by. */
export function searchResultsXml(ids: readonly string[], pageSize: number): string {
  return toBraintreeXml('searchResults', { pageSize, ids: [...ids] });
}

/** The second step of a search: one page of transactions. */
export function transactionPageXml(transactions: readonly SandboxTransaction[], pageSize: number): string {
  // Repeated <transaction> elements, which the SDK's parser turns into an array.
  const items = transactions
    .map((t) =>
      toBraintreeXml('transaction', wireTransaction(t))
        .replace(/^<\?xml[^>]*>\n/, '')
        .trim(),
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<credit-card-transactions type="collection"><current-page-number type="integer">1</current-page-number><page-size type="integer">${pageSize}</page-size><total-items type="integer">${transactions.length}</total-items>${items}</credit-card-transactions>\n`;
}

/** `<notification>` as a webhook's `bt_payload` carries it (before base64). */
export function notificationXml(notification: SandboxNotification, timestamp: Date): string {
  const subject =
    notification.kind === 'dispute_opened'
      ? { dispute: wireDispute(notification.dispute) }
      : { transaction: wireTransaction(notification.transaction) };
  return toBraintreeXml('notification', { timestamp, kind: notification.kind, subject });
}
