import path from 'node:path';
import type { RequestListener } from 'node:http';
import express, { Router, type Express, type Request, type Response } from 'express';
import { adminRouters } from './admin/admin.router';
import type { AdminSessions } from './admin/auth/admin-sessions';
import { cartRoutes } from './cart/cart.routes';
import { catalogApiRead, catalogRoutes } from './catalog/catalog.routes';
import { checkoutPageRoutes } from './checkout/checkout-page.routes';
import { checkoutRoutes } from './checkout/checkout.routes';
import { orderPageRoutes } from './checkout/order-page.routes';
import { PayStep } from './checkout/pay-step';
import { payRoutes } from './checkout/pay.routes';
import { apiCors, publicApiOrigin } from './http/api-cors';
import { bodyFreeLane } from './http/body-free-lane';
import { bodyShapeLimit } from './http/body-shape-limit';
import { countingRefusals, rateLimiters } from './http/rate-limiter';
import { DatabaseRateLimitStore } from './db/database-rate-limit-store';
import { cardNumberGuard } from './http/card-number-guard';
import { embedCheckRoutes } from './http/embed-check.routes';
import { errorHandler, unknownRoute } from './http/error-handler';
import { htmlErrorHandler } from './http/html-error-handler';
import { PageRenderer } from './http/page-renderer';
import { requestLogger } from './http/request-logger';
import { requireHttps } from './http/require-https';
import { useRouteClassHeaders } from './http/route-classes';
import { baselineSecurityHeaders, settingHeaders, settingHeadersOverTls, strictTransportSecurityHeaders } from './http/security-headers';
import { cachedReadLane, secureRequests, withCachedReads } from './http/cached-read-lane';
import { cspReportRoutes } from './integrity/csp-reports.routes';
import { CspViolations } from './integrity/csp-violations';
import { paymentPageInventory } from './integrity/payment-page-inventory';
import { CSP_REPORT_PATH, paymentPageHeaders, paymentPagePolicy } from './integrity/payment-page-policy';
import { ScriptIntegrity } from './integrity/script-integrity';
import { PATHS } from './paths';
import { isUnverifiedCallback, webhookRoutes } from './payments/webhook.routes';
import { seoRead, seoRoutes } from './seo/seo.routes';
import { createServices, type ServiceDependencies, type StoreServices } from './services';
import { databaseReadiness } from './db/database-readiness';

/** What the app is built from; `main.ts` makes them, tests make their own. */
export type AppDependencies = ServiceDependencies;

/** The services behind the routes, and the admin sessions the app keeps (main.ts sweeps the idle ones). */
export interface AppServices extends StoreServices {
  readonly adminSessions: AdminSessions;
}

const BODY_LIMIT = '32kb';

/**
 * Builds the store's Express app, and the request listener servers run: the cached-read lane, then
 * the app. It never listens: `main.ts` does; supertest may use the app directly.
 */
export function createApp(deps: AppDependencies): { app: Express; listener: RequestListener; services: AppServices } {
  const { config, dataSource, logger } = deps;
  const services = createServices(deps);
  const { clock, catalog, carts, checkouts, callbacks } = services;
  const payments = { starts: services.paymentStarts, followUps: services.followUps };

  // Counted in the database, so every instance sharing it shares the limits.
  const limits = rateLimiters({
    storeFor: (name) =>
      new DatabaseRateLimitStore(dataSource, name, clock, logger, (key) => services.secrets.pseudonym(key, 'rate-limit client')),
    factor: config.rateLimitFactor,
    clock,
  });
  // A missing or stale integrity manifest stops the store here, before any page is served.
  const scripts = ScriptIntegrity.load(PATHS.publicBuild);
  const pages = new PageRenderer('Padlock Store', (urlPath) => scripts.of(urlPath));
  const payStep = new PayStep(deps.gateways, payments.starts, payments.followUps, config.publicUrl, clock);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  const logRequest = requestLogger(logger);
  app.use(logRequest);
  const baseline = baselineSecurityHeaders();
  const apiOrigin = publicApiOrigin(config.publicUrl, config.embedOrigins);
  const hsts = strictTransportSecurityHeaders(config.hstsMaxAge);
  // The catalog's commonest reads, answered from the cache with one prepared header block ahead
  // of the app: the same answer the chain below gives them (the baseline, HSTS, CORS, the ETag).
  const cachedReads = cachedReadLane({
    match: (url) => catalogApiRead(url) ?? seoRead(url),
    peek: (key) => services.catalogCache.peek(key),
    secureHeaders: [...baseline, ...hsts],
    allowedOrigin: apiOrigin,
    isSecure: secureRequests(app.get('trust proxy fn') as (address: string | undefined, hop: number) => boolean),
    answering: (req, res) => logRequest(req as Request, res as Response, () => undefined),
  });
  // First, so that every answer carries them: health checks and HTTPS redirects too (HSTS only
  // on the answers that travel over TLS).
  app.use(settingHeaders(baseline));
  app.use(settingHeadersOverTls(hsts));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', databaseReadiness(dataSource));
  app.use(requireHttps(config.publicUrl));
  // The catalog's reads skip the middleware that only body-carrying or classed routes need.
  const catalogApi = catalogRoutes(catalog, services.catalogCache);
  const seo = seoRoutes(catalog, pages, config.publicUrl, services.catalogCache);
  const cors = apiCors(apiOrigin);
  app.use(bodyFreeLane(['/api/products', '/seo'], Router().use('/api/products', cors, catalogApi).use(seo)));
  // Before the body parsers and the card guard, so that answers they refuse carry them too. The
  // payment pages' policy is generated from their script inventory (PCI DSS 6.4.3).
  useRouteClassHeaders(app, paymentPagePolicy(paymentPageHeaders(paymentPageInventory(deps.gateways.offered()), config.publicUrl)));

  // Callbacks keep their raw body (signatures cover the exact bytes) and are authenticated by
  // that signature, so they are routed before the JSON parser and the card guard. Only those that
  // fail verification count against their limit: nothing touches the database before a callback
  // is verified, and a gateway's verified deliveries are never refused.
  app.use('/webhooks', webhookRoutes(callbacks), countingRefusals(limits.callbacks, isUnverifiedCallback), unknownRoute, errorHandler);

  // Reports carry their own media types and size cap, and are counted before they are read.
  app.use(CSP_REPORT_PATH, cspReportRoutes(new CspViolations(dataSource), { limiter: limits.cspReports }), unknownRoute, errorHandler);

  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }));
  // The card guard first (its walk is iterative, any depth): a card number is refused as what it
  // is, whatever shape the body has.
  app.use(cardNumberGuard);
  app.use(bodyShapeLimit);

  const admin = adminRouters({
    config,
    dataSource,
    pages,
    clock,
    orderPayments: services.orderPayments,
    transitions: services.transitions,
    gateways: deps.gateways,
    loginLimit: limits.adminLogin,
    secrets: services.secrets,
  });
  // Before the public API's CORS: blog origins may call /api, never the admin's API.
  app.use('/api/admin', admin.api, unknownRoute, errorHandler);
  app.use('/api', cors);
  app.use('/api/products', catalogApi);
  app.post('/api/carts/:id/checkout', limits.checkoutCreation);
  app.use('/api/carts', limits.cartWrites, cartRoutes(carts), checkoutRoutes(checkouts));
  app.use('/api/embed-check', embedCheckRoutes(config.publicUrl, config.embedOrigins));
  app.use('/api', unknownRoute, errorHandler);

  const assetOptions = { index: false, fallthrough: false, maxAge: '1h' } as const;
  app.get('/embed.js', (_req, res, next) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.sendFile(path.join(PATHS.publicBuild, 'embed.js'), (err) => err && next(err));
  });
  app.use('/images', express.static(path.join(PATHS.public, 'images'), assetOptions));
  // Built scripts first, then hand-written assets; only the last one answers 404.
  app.use(
    '/assets',
    express.static(PATHS.publicBuild, { ...assetOptions, fallthrough: true }),
    express.static(path.join(PATHS.public, 'assets'), assetOptions),
  );

  const checkoutPages = checkoutPageRoutes(checkouts, carts, pages, config.currency, payStep);
  app.get('/', (_req, res, next) => {
    res.sendFile(path.join(PATHS.public, 'index.html'), (err) => err && next(err));
  });
  app.use(
    '/checkout',
    checkoutPages.cardDataOnForm,
    payRoutes(checkouts, payments, deps.gateways, config.publicUrl, clock),
    checkoutPages.router,
  );
  app.use('/orders', limits.orderLookups, orderPageRoutes(dataSource, pages, payments.followUps));
  app.use(seo);
  app.use('/admin', admin.pages, unknownRoute);
  app.use(['/checkout', '/orders', '/products', '/admin'], htmlErrorHandler(pages));

  app.use(unknownRoute);
  app.use(errorHandler);

  return { app, listener: withCachedReads(cachedReads, app), services: { ...services, adminSessions: admin.sessions } };
}
