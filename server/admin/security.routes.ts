import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { PageRenderer } from '../http/page-renderer';
import { CspViolations } from '../integrity/csp-violations';
import { PaymentPageChecks } from '../integrity/payment-page-checks';
import { paymentPageInventory } from '../integrity/payment-page-inventory';
import { paymentPageHeaders } from '../integrity/payment-page-policy';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { adminLayout, adminTime } from './admin-layout';
import { lastCheckView } from './last-check-view';

/**
 * `GET /admin/security`: the payment pages' script inventory and generated policy (what the
 * merchant shows an assessor), the last payment-page check, and the CSP violations browsers reported.
 */
export function securityRoutes(deps: {
  dataSource: DataSource;
  pages: PageRenderer;
  gateways: GatewayRegistry;
  publicUrl: string;
}): Router {
  const router = Router();
  const violations = new CspViolations(deps.dataSource);
  const checks = new PaymentPageChecks(deps.dataSource);
  const inventory = paymentPageInventory(deps.gateways.offered());
  const policy = paymentPageHeaders(inventory, deps.publicUrl);
  router.get('/', async (_req, res) => {
    const recent = await violations.recent();
    res.type('html').send(
      deps.pages.render(
        'admin/security',
        'Security',
        {
          inventory,
          policy,
          lastCheck: lastCheckView(await checks.last()),
          violations: recent.map((v) => ({ ...v, iso: v.lastSeen.toISOString(), time: adminTime(v.lastSeen) })),
        },
        adminLayout(res, 'security'),
      ),
    );
  });
  return router;
}
