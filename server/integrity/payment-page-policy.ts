import type { RequestHandler } from 'express';
import type { PaymentPageInventory } from './payment-page-inventory';

/** The path browsers send the payment pages' CSP violation reports to. */
export const CSP_REPORT_PATH = '/csp-reports';

/** The Reporting API endpoint name the policy's `report-to` refers to. */
export const REPORT_GROUP = 'csp-endpoint';

/** A Content-Security-Policy as directive name → sources, in the order they are sent. */
export type PolicyDirectives = ReadonlyMap<string, readonly string[]>;

/** The two headers a payment page must carry, exactly. */
export interface PaymentPageHeaders {
  readonly contentSecurityPolicy: string;
  readonly reportingEndpoints: string;
}

/**
 * The Content-Security-Policy of the payment pages, generated from the inventory: the store's own
 * scripts (by `'self'`, each with an `integrity` hash in the page), plus exactly the gateway
 * origins the inventory lists, each in its directive. No inline script, no eval, never framed;
 * violations are reported to the store.
 */
export function paymentPageDirectives(inventory: PaymentPageInventory, publicUrl: string): PolicyDirectives {
  const from = (directive: string) => [...new Set(inventory.gatewaySources.filter((s) => s.directive === directive).map((s) => s.origin))];
  const frames = from('frame-src');
  return new Map<string, readonly string[]>([
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...from('script-src')]],
    ['style-src', ["'self'", ...from('style-src')]],
    // Product pictures may come from any https host the admin names.
    ['img-src', ["'self'", 'data:', 'https:']],
    ['connect-src', ["'self'", ...from('connect-src')]],
    ['frame-src', frames.length > 0 ? frames : ["'none'"]],
    ['font-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    // Also governs where a form's POST may redirect: the gateways' hosted pages.
    ['form-action', ["'self'", ...from('form-action')]],
    ['frame-ancestors', ["'none'"]],
    // report-uri for browsers without the Reporting API (Firefox, Safari); report-to for the rest.
    ['report-uri', [`${publicUrl}${CSP_REPORT_PATH}`]],
    ['report-to', [REPORT_GROUP]],
  ]);
}

/** A policy as its header value: `name source source; name …`. */
export function serialisePolicy(directives: PolicyDirectives): string {
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/** A header value back into directives (names lower-cased, sources as sent). */
export function parsePolicy(header: string): PolicyDirectives {
  const directives = new Map<string, readonly string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The headers every payment page must carry for this inventory. */
export function paymentPageHeaders(inventory: PaymentPageInventory, publicUrl: string): PaymentPageHeaders {
  return {
    contentSecurityPolicy: serialisePolicy(paymentPageDirectives(inventory, publicUrl)),
    reportingEndpoints: `${REPORT_GROUP}="${publicUrl}${CSP_REPORT_PATH}"`,
  };
}

/** Sends the payment pages' generated policy and its reporting endpoint on every response. */
export function paymentPagePolicy(headers: PaymentPageHeaders): RequestHandler {
  return (_req, res, next) => {
    res.set('Content-Security-Policy', headers.contentSecurityPolicy);
    res.set('Reporting-Endpoints', headers.reportingEndpoints);
    next();
  };
}
