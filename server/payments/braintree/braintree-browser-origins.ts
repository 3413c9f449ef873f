import braintree from 'braintree';
import type { BrowserOrigins } from '../payment-gateway';

/**
 * What the checkout page must allow for Braintree's Drop-in (cards and PayPal), from the
 * Content-Security-Policy tables of the braintree-web reference ("Using a Content Security
 * Policy": base directives, plus the "PayPal Specific Directives"):
 * - script-src js.braintreegateway.com, assets.braintreegateway.com; PayPal www.paypalobjects.com, *.paypal.com
 * - frame-src / child-src assets.braintreegateway.com; PayPal *.paypal.com
 * - connect-src api.(sandbox.)braintreegateway.com, client-analytics.(sandbox.)braintreegateway.com, *.braintree-api.com
 * - style-src assets.braintreegateway.com and 'unsafe-inline': Drop-in and PayPal inject styles.
 *   Only inline *styles* are allowed, never inline scripts (the PayPal table also lists
 *   'unsafe-inline' scripts; the store does not grant that).
 * img-src needs nothing extra: the page's policy already allows https images.
 */
export function dropInBrowserOrigins(environment: braintree.Environment): BrowserOrigins {
  const sandbox = environment === braintree.Environment.Sandbox;
  const api = sandbox ? 'https://api.sandbox.braintreegateway.com' : 'https://api.braintreegateway.com';
  const analytics = sandbox ? 'https://client-analytics.sandbox.braintreegateway.com' : 'https://client-analytics.braintreegateway.com';
  return {
    scripts: [
      'https://js.braintreegateway.com',
      'https://assets.braintreegateway.com',
      'https://www.paypalobjects.com',
      'https://*.paypal.com',
    ],
    frames: ['https://assets.braintreegateway.com', 'https://*.paypal.com'],
    navigations: [],
    connections: [api, analytics, 'https://*.braintree-api.com', 'https://*.paypal.com'],
    styles: ['https://assets.braintreegateway.com', "'unsafe-inline'"],
  };
}
