import type { Express, RequestHandler } from 'express';
import { NO_GATEWAY_ORIGINS, pageSecurityPolicy } from './security-headers';

/** One class of routes that adds headers to the baseline every response carries. */
export interface RouteClass {
  /** Mount paths: each matches itself and everything below it (`/orders` covers `/orders/x`). */
  readonly prefixes: readonly string[];
  /** Paths matched exactly (the storefront `/` would otherwise cover every path). */
  readonly exact?: readonly string[];
  /** Which page policy the class's HTML carries; none for an API without pages of its own. */
  readonly page: 'payment' | 'own' | null;
  /** Whether no browser or shared cache may keep a response (errors included). */
  readonly noStore: boolean;
}

/**
 * The route classes of the store's HTTP contract, the one place that says which headers each adds.
 * Routes in no class (the public catalog API, callbacks, static files) carry the baseline only:
 * `X-Frame-Options: DENY`, `Permissions-Policy`, a CSP allowing nothing, HSTS over TLS.
 */
export const ROUTE_CLASSES = {
  /** Pages that start or complete a payment: they host the gateways' fields and forms. */
  paymentPages: { prefixes: ['/checkout', '/orders'], page: 'payment', noStore: true },
  /** The admin's pages and its JSON API. */
  admin: { prefixes: ['/admin', '/api/admin'], page: 'own', noStore: true },
  /** Carts and the checkouts made from them: their ids are capabilities, never to be kept by a cache. */
  cartApi: { prefixes: ['/api/carts'], page: null, noStore: true },
  /** The standalone storefront and the products' own pages: cacheable. */
  storePages: { prefixes: ['/products'], exact: ['/'], page: 'own', noStore: false },
} as const satisfies Record<string, RouteClass>;

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * Mounts each class's headers before any route, body parser or guard, so that every answer in the
 * class carries them, refusals and errors too. The policies are built here once, not per request.
 *
 * @param paymentPagePolicy - the Content-Security-Policy of the payment pages (it lists the gateways' origins)
 */
export function useRouteClassHeaders(app: Express, paymentPagePolicy: RequestHandler): void {
  const policies = { payment: paymentPagePolicy, own: pageSecurityPolicy(NO_GATEWAY_ORIGINS) };
  for (const routeClass of Object.values<RouteClass>(ROUTE_CLASSES)) {
    const handlers = [...(routeClass.page ? [policies[routeClass.page]] : []), ...(routeClass.noStore ? [noStore] : [])];
    app.use([...routeClass.prefixes], handlers);
    if (routeClass.exact) app.use(onExactPaths(routeClass.exact, handlers));
  }
}

/**
 * Middleware running `handlers` in turn for requests to exactly one of `paths`. A middleware, not
 * an `app.all` route: that would register the path for every method (CONNECT included) and make
 * the router answer methods the store never serves there.
 */
function onExactPaths(paths: readonly string[], handlers: readonly RequestHandler[]): RequestHandler {
  const exact = new Set(paths);
  return (req, res, next) => {
    if (!exact.has(req.path)) return next();
    let index = 0;
    const step = (err?: unknown): void => {
      const handler = handlers[index++];
      if (err !== undefined || !handler) return next(err);
      void handler(req, res, step);
    };
    step();
  };
}
