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

/** A Content-Security-Policy as directive name → sources, in the order they are sent. */
export type PolicyDirectives = ReadonlyMap<string, readonly string[]>;

/**
 * The strict Content-Security-Policy of the store's own pages (storefront, checkout, order
 * status, admin): scripts and styles only from the store itself, no inline code, never framed.
 * Payment gateways are added by listing their origins, never by loosening these rules.
 * `upgrade-insecure-requests` is left out on purpose: pages only load same-origin resources, and
 * on a page wrongly served over plain HTTP it would break the script that shows the "not secure"
 * warning.
 */
export function pageDirectives(gateways: BrowserOrigins): PolicyDirectives {
  return new Map<string, readonly string[]>([
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...gateways.scripts]],
    ['style-src', ["'self'", ...(gateways.styles ?? [])]],
    // Product pictures may come from any https host the admin names.
    ['img-src', ["'self'", 'data:', 'https:']],
    ['connect-src', ["'self'", ...gateways.connections]],
    ['frame-src', gateways.frames.length > 0 ? [...gateways.frames] : ["'none'"]],
    ['font-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    // Also governs where a form's POST may redirect: the gateways' hosted pages.
    ['form-action', ["'self'", ...gateways.navigations]],
    ['frame-ancestors', ["'none'"]],
  ]);
}

/** A policy as its header value: `name source source; name …`. */
export function serialisePolicy(directives: PolicyDirectives): string {
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}
