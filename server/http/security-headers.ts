import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { pageDirectives, serialisePolicy, type BrowserOrigins } from '../browser-origins';

/**
 * Browser features the store turns off for itself and for every frame its pages host. Neither
 * payment integration uses any of them: Braintree's Drop-in runs cards and PayPal without the
 * Payment Request API (Apple Pay and Google Pay are not enabled; enabling them would need
 * `payment=(self)` on the pay page), and Stripe Checkout is a redirect to Stripe's own page, whose
 * policy is Stripe's. Only features Chromium recognises are listed: an unknown one is reported on
 * the console of every page (`bluetooth`, `battery` and `document-domain` are left out for that).
 */
export const DISABLED_BROWSER_FEATURES: readonly string[] = [
  'accelerometer',
  'autoplay',
  'browsing-topics',
  'camera',
  'captured-surface-control',
  'display-capture',
  'encrypted-media',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'identity-credentials-get',
  'idle-detection',
  'interest-cohort',
  'local-fonts',
  'magnetometer',
  'microphone',
  'midi',
  'otp-credentials',
  'payment',
  'picture-in-picture',
  'publickey-credentials-create',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'window-management',
  'xr-spatial-tracking',
];

const PERMISSIONS_POLICY = DISABLED_BROWSER_FEATURES.map((feature) => `${feature}=()`).join(', ');

/** Header names and values, in the order they are set. */
export type HeaderList = readonly (readonly [string, string])[];

/**
 * What every response says, whatever it is: JSON, a redirect, a script, an image. Resources may be
 * loaded cross-origin (the embed script, images and API are used from blog pages). The store is
 * never framed (the embed uses scripts, not frames), hence `X-Frame-Options: DENY` and a
 * `frame-ancestors 'none'` in the fallback policy; pages replace that policy with their own
 * ({@link pageSecurityPolicy}), which keeps `frame-ancestors 'none'`. Computed once, when the app
 * is built.
 */
export function baselineSecurityHeaders(): HeaderList {
  return recordedHeaders(
    helmet({
      // A response that is not a page loads nothing; a page sets its own policy over this one.
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      strictTransportSecurity: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      xFrameOptions: { action: 'deny' },
    }),
    [['Permissions-Policy', PERMISSIONS_POLICY]],
  );
}

/** HSTS, for the responses that actually travel over HTTPS. */
export function strictTransportSecurityHeaders(maxAge: number): HeaderList {
  return recordedHeaders(helmet.strictTransportSecurity({ maxAge, includeSubDomains: false }));
}

/** Sets `headers` on every response. */
export function settingHeaders(headers: HeaderList): RequestHandler {
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** Sets `headers` on the responses to requests that came over HTTPS (`req.secure`, which honours TRUST_PROXY). */
export function settingHeadersOverTls(headers: HeaderList): RequestHandler {
  const all = settingHeaders(headers);
  return (req, res, next) => (req.secure ? all(req, res, next) : next());
}

/**
 * The headers a helmet middleware sets, recorded once: its values depend on its options only,
 * never on the request, so each response gets them from this list instead of from helmet's
 * dozen middlewares. `before` come first, as they did when set ahead of helmet.
 */
export function recordedHeaders(
  middleware: (req: never, res: never, next: (err?: unknown) => void) => void,
  before: HeaderList = [],
): HeaderList {
  const recorded: [string, string][] = before.map(([name, value]) => [name, value]);
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.push([name, String(value)]);
    },
    removeHeader() {},
  };
  let called = false;
  middleware({} as never, res as never, (err) => {
    if (err !== undefined) throw err as Error;
    called = true;
  });
  if (!called) throw new Error('a security-header middleware did not finish synchronously; its headers cannot be recorded once');
  return recorded;
}

/** What a page that hosts no payment gateway allows beyond itself: nothing. */
export const NO_GATEWAY_ORIGINS: BrowserOrigins = { scripts: [], frames: [], navigations: [], connections: [] };

/** Sends a page policy ({@link pageDirectives}), computed once, over the baseline one. */
export function pageSecurityPolicy(gateways: BrowserOrigins): RequestHandler {
  const header = serialisePolicy(pageDirectives(gateways));
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', header);
    next();
  };
}
