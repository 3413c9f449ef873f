import { Router } from 'express';
import { In, type DataSource } from 'typeorm';
import { Order } from '../orders/order.entity';
import { statusesAllowing } from '../orders/order-state';
import type { StoreConfig } from '../config';
import type { PageRenderer } from '../http/page-renderer';
import { PaymentPageChecks } from '../integrity/payment-page-checks';
import { adminLayout } from './admin-layout';
import { lastCheckView } from './last-check-view';

/** What the start page says about one gateway. */
interface GatewayStatus {
  readonly name: string;
  readonly live: boolean;
  readonly state: string;
  readonly variables: string;
}

function gatewayStatuses(config: StoreConfig): GatewayStatus[] {
  const stripe: GatewayStatus = config.stripe.sandbox
    ? {
        name: 'Stripe',
        live: false,
        state: 'running on the built-in sandbox (no real payments).',
        variables: 'STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET',
      }
    : {
        name: 'Stripe',
        live: true,
        state: `configured with a ${config.stripe.secretKey.startsWith('sk_live_') ? 'live' : 'test'} key.`,
        variables: '',
      };
  const braintree: GatewayStatus =
    config.braintree.environment === 'local'
      ? {
          name: 'Braintree',
          live: false,
          state: 'running on the built-in sandbox (no real payments).',
          variables: 'BRAINTREE_MERCHANT_ID, BRAINTREE_PUBLIC_KEY, BRAINTREE_PRIVATE_KEY',
        }
      : { name: 'Braintree', live: true, state: `configured for Braintree's ${config.braintree.environment} environment.`, variables: '' };
  const offered = new Set(config.gateways);
  return [stripe, braintree].filter((g) => offered.has(g.name.toLowerCase() as 'stripe' | 'braintree'));
}

/** Orders waiting for an admin's decision: held payments, and paid orders a check flagged. */
async function ordersToReview(dataSource: DataSource): Promise<{ held: number; flagged: number }> {
  const orders = dataSource.getRepository(Order);
  const [held, flagged] = await Promise.all([
    // Held: an admin decides whether to capture. Flagged: an admin decides before shipping.
    orders.countBy({ status: In(statusesAllowing('capture')) }),
    orders
      .createQueryBuilder('o')
      .where('o.review_reason IS NOT NULL AND o.status IN (:...shippable)', { shippable: statusesAllowing('ship') })
      .getCount(),
  ]);
  return { held, flagged };
}

/** `GET /admin`: the start page: orders waiting for a decision, and how to get a working store. */
export function adminHomeRoutes(config: StoreConfig, dataSource: DataSource, pages: PageRenderer): Router {
  const router = Router();
  const checks = new PaymentPageChecks(dataSource);
  router.get('/', async (_req, res) => {
    const snippet = `<div data-padlock-store></div>\n<script src="${config.publicUrl}/embed.js" async></script>`;
    res.type('html').send(
      pages.render(
        'admin/home',
        'Start',
        {
          review: await ordersToReview(dataSource),
          gateways: gatewayStatuses(config),
          embedOrigins: config.embedOrigins,
          snippet,
          publicUrl: config.publicUrl,
          lastCheck: lastCheckView(await checks.last()),
        },
        adminLayout(res, 'home'),
      ),
    );
  });
  return router;
}
