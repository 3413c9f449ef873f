import { Router } from 'express';
import type { StoreConfig } from '../config';
import type { PageRenderer } from '../http/page-renderer';
import { adminLayout } from './admin-layout';

/** What the start page says about one gateway. */
interface GatewayStatus {
  readonly name: string;
  readonly live: boolean;
  readonly state: string;
  readonly variables: string;
}

function gatewayStatuses(config: StoreConfig): GatewayStatus[] {
  const stripe: GatewayStatus = config.stripe.sandbox
    ? { name: 'Stripe', live: false, state: 'running on the built-in sandbox (no real payments).', variables: 'STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET' }
    : { name: 'Stripe', live: true, state: `configured with a ${config.stripe.secretKey.startsWith('sk_live_') ? 'live' : 'test'} key.`, variables: '' };
  const braintree: GatewayStatus =
    config.braintree.environment === 'local'
      ? { name: 'Braintree', live: false, state: 'running on the built-in sandbox (no real payments).', variables: 'BRAINTREE_MERCHANT_ID, BRAINTREE_PUBLIC_KEY, BRAINTREE_PRIVATE_KEY' }
      : { name: 'Braintree', live: true, state: `configured for Braintree's ${config.braintree.environment} environment.`, variables: '' };
  const offered = new Set(config.gateways);
  return [stripe, braintree].filter((g) => offered.has(g.name.toLowerCase() as 'stripe' | 'braintree'));
}

/** `GET /admin`: the start page, telling a new admin how to get a working store. */
export function adminHomeRoutes(config: StoreConfig, pages: PageRenderer): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const snippet = `<div data-padlock-store></div>\n<script src="${config.publicUrl}/embed.js" async></script>`;
    res.type('html').send(
      pages.render(
        'admin/home',
        'Start',
        { gateways: gatewayStatuses(config), embedOrigins: config.embedOrigins, snippet, publicUrl: config.publicUrl },
        adminLayout(res, 'home'),
      ),
    );
  });
  return router;
}
