import { Router, type RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import type { StoreConfig } from '../config';
import type { PageRenderer } from '../http/page-renderer';
import { adminContext, loadAdminSession, requireAdminApi, requireAdminPage } from './auth/admin-auth';
import { adminAccountRoutes } from './auth/admin-account.routes';
import { adminAuthRoutes } from './auth/admin-auth.routes';
import { adminHomeRoutes } from './admin-home.routes';
import { adminProductApi } from './products/admin-products.api';
import { adminProductPages } from './products/admin-products.routes';
import { AdminLogin } from './auth/admin-login';
import { AdminSessions } from './auth/admin-sessions';
import { checkCsrf, isSafeMethod } from './auth/csrf';
import { adminTotpLoginRoutes } from './auth/admin-totp-login.routes';
import { TotpEnrolment } from './auth/totp-enrolment';
import { TotpLogin } from './auth/totp-login';
import type { GatewayRegistry } from '../payments/gateway-registry';
import type { SecretKeyring } from '../db/secret-envelope';
import type { OrderTransitions } from '../orders/order-transitions';
import type { OrderPaymentActions } from '../payments/order-payment-actions';
import { AdminOrderActions } from './orders/admin-order-actions';
import { adminOrderApi, adminOrderPages } from './orders/admin-orders.routes';
import { auditLogRoutes } from './audit-log.routes';
import { securityRoutes } from './security.routes';

/** What the admin is built from. */
export interface AdminDeps {
  readonly config: StoreConfig;
  readonly dataSource: DataSource;
  readonly pages: PageRenderer;
  readonly clock: () => Date;
  /** Order actions go through the payments code of the gateway that took the payment. */
  readonly orderPayments: OrderPaymentActions;
  /** Marking an order shipped goes through the order state machine. */
  readonly transitions: OrderTransitions;
  readonly gateways: GatewayRegistry;
  /** Limits failed logins per client address (RATE_LIMITS.adminLogin, counted in the database). */
  readonly loginLimit: RequestHandler;
  /** Opens and seals the admin secrets kept in the database (TOTP secrets, the cookie-signing secret). */
  readonly secrets: SecretKeyring;
}

/** Every state-changing request of a logged-in admin must carry the session's CSRF token. */
const requireSessionCsrf: RequestHandler = (req, res, next) => {
  if (!isSafeMethod(req.method)) checkCsrf(req, adminContext(res)?.session.csrfToken);
  next();
};

/**
 * The admin: pages under `/admin` and the JSON API under `/api/admin`, behind one login.
 * Mount `pages` at `/admin` and `api` at `/api/admin`.
 */
export function adminRouters(deps: AdminDeps): { pages: Router; api: Router; sessions: AdminSessions } {
  const sessions = new AdminSessions(deps.dataSource, deps.clock, deps.config.adminSessionMaxHours, deps.secrets);
  const login = new AdminLogin(deps.dataSource, deps.clock);
  const limit = deps.loginLimit;
  const auth = adminAuthRoutes({ dataSource: deps.dataSource, login, pages: deps.pages, limit });
  const secondStep = adminTotpLoginRoutes({
    secondFactor: new TotpLogin(deps.dataSource, deps.clock, login, deps.secrets),
    pages: deps.pages,
    limit,
  });
  const account = adminAccountRoutes({
    dataSource: deps.dataSource,
    enrolment: new TotpEnrolment(deps.dataSource, deps.clock, login, deps.secrets),
    pages: deps.pages,
  });
  const load = [sessions.middleware, loadAdminSession(deps.dataSource)];
  const orderActions = new AdminOrderActions(deps.dataSource, deps.orderPayments, deps.transitions, deps.clock);

  const pages = Router();
  pages.use(load);
  pages.use(auth.pages);
  pages.use(secondStep.pages);
  pages.use(requireAdminPage, requireSessionCsrf);
  pages.use(adminHomeRoutes(deps.config, deps.dataSource, deps.pages));
  pages.use('/account', account.pages);
  pages.use('/products', adminProductPages(deps));
  pages.use('/orders', adminOrderPages(deps.dataSource, orderActions, deps.pages, deps.clock));
  const audit = auditLogRoutes(deps.dataSource, deps.pages);
  pages.use('/audit', audit.pages);
  pages.use('/security', securityRoutes({ ...deps, publicUrl: deps.config.publicUrl }));

  const api = Router();
  api.use(load);
  api.use(auth.api);
  api.use(secondStep.api);
  api.use(requireAdminApi, requireSessionCsrf);
  api.use('/account', account.api);
  api.use('/products', adminProductApi(deps));
  api.use('/orders', adminOrderApi(deps.dataSource, orderActions, deps.clock));
  api.use('/audit', audit.api);

  return { pages, api, sessions };
}
