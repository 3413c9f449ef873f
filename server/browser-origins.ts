/**
 * What a page must let the browser load or reach for a payment gateway's own scripts, frames and
 * forms: gateways declare it, the HTTP layer turns it into the page's Content-Security-Policy.
 */
export interface BrowserOrigins {
  readonly scripts: readonly string[];
  readonly frames: readonly string[];
  /** Where the checkout page may send the shopper (form-action also governs redirects after a POST). */
  readonly navigations: readonly string[];
  /** Where the checkout page's scripts may connect. */
  readonly connections: readonly string[];
  /** Stylesheet sources a gateway's own fields need (Braintree Drop-in injects its styles). */
  readonly styles?: readonly string[];
}
