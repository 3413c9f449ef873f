import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { BrowserOrigins } from '../browser-origins';

/**
 * Baseline headers for every response. Resources may be loaded cross-origin (the embed script,
 * images and API are used from blog pages); pages add {@link pageSecurityPolicy}.
 */
export function baseSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}

/** HSTS, sent only on responses that actually travel over HTTPS. */
export function strictTransportSecurity(maxAge: number): RequestHandler {
  const hsts = helmet.strictTransportSecurity({ maxAge, includeSubDomains: false });
  return (req, res, next) => (req.secure ? hsts(req, res, next) : next());
}

/**
 * The strict Content-Security-Policy of the store's own pages (storefront, checkout, order
 * status): scripts and styles only from the store itself, no inline code, never framed.
 * Payment gateways are added by listing their origins, never by loosening these rules.
 * `upgrade-insecure-requests` is left out on purpose: pages only load same-origin resources, and
 * on a page wrongly served over plain HTTP it would break the script that shows the "not secure"
 * warning.
 */
export function pageSecurityPolicy(gateways: BrowserOrigins): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...gateways.scripts],
      styleSrc: ["'self'", ...(gateways.styles ?? [])],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'", ...gateways.connections],
      frameSrc: gateways.frames.length > 0 ? [...gateways.frames] : ["'none'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      // Also governs where a form's POST may redirect: the gateways' hosted pages.
      formAction: ["'self'", ...gateways.navigations],
      frameAncestors: ["'none'"],
    },
  });
}
