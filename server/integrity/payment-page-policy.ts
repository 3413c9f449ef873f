import type { RequestHandler } from 'express';
import { pageDirectives, serialisePolicy, type BrowserOrigins, type PolicyDirectives } from '../browser-origins';
import type { PaymentPageInventory } from './payment-page-inventory';

/** The path browsers send the payment pages' CSP violation reports to. */
export const CSP_REPORT_PATH = '/csp-reports';

/** The Reporting API endpoint name the policy's `report-to` refers to. */
export const REPORT_GROUP = 'csp-endpoint';

/** The two headers a payment page must carry, exactly. */
export interface PaymentPageHeaders {
  readonly contentSecurityPolicy: string;
  readonly reportingEndpoints: string;
}

/**
 * The Content-Security-Policy of the payment pages, generated from the inventory: the store's
 * page policy ({@link pageDirectives}: its own scripts by `'self'`, each with an `integrity` hash
 * in the page; no inline script, no eval, never framed) opened to exactly the gateway origins the
 * inventory lists, each in its directive, and reporting violations to the store.
 */
export function paymentPageDirectives(inventory: PaymentPageInventory, publicUrl: string): PolicyDirectives {
  const from = (directive: string) => [...new Set(inventory.gatewaySources.filter((s) => s.directive === directive).map((s) => s.origin))];
  const listed: BrowserOrigins = {
    scripts: from('script-src'),
    styles: from('style-src'),
    connections: from('connect-src'),
    frames: from('frame-src'),
    navigations: from('form-action'),
  };
  return new Map<string, readonly string[]>([
    ...pageDirectives(listed),
    // report-uri for browsers without the Reporting API (Firefox, Safari); report-to for the rest.
    ['report-uri', [`${publicUrl}${CSP_REPORT_PATH}`]],
    ['report-to', [REPORT_GROUP]],
  ]);
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
