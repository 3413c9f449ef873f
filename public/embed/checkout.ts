/**
 * Sends the whole browser tab to the store's hosted checkout page. The payment page must own
 * the tab, so the top window is navigated, falling back to this window where a sandboxed
 * frame may not do that. Refuses any address that is not HTTPS.
 *
 * @param checkoutUrl - the `checkoutUrl` the store returned
 */
export function openCheckout(checkoutUrl: string): void {
  if (!checkoutUrl.startsWith('https:')) throw new Error('The store sent a checkout address that is not secure, so it was not opened.');
  try {
    (window.top ?? window).location.href = checkoutUrl;
  } catch {
    location.href = checkoutUrl;
  }
}
