import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { notFound } from '../domain-error';
import type { PageRenderer } from '../http/page-renderer';
import { awaitsPayment } from '../orders/order-state';
import { OPEN_PAYMENT_STATUSES } from '../orders/payment-state';
import { GatewayUnavailableError } from '../payments/payment-gateway';
import type { PaymentFollowUps } from '../payments/payment-follow-ups';
import { TOKEN_PATTERN } from '../random-token';
import { Order } from '../orders/order.entity';
import { orderNumber, orderSummary, shopperStatusText } from '../orders/order-presentation';

const CONFIRMING = {
  label: 'Payment is being confirmed',
  explanation: 'The payment provider is confirming your payment. This page updates by itself; you will also receive an e-mail.',
};

/**
 * `GET /orders/:publicId`: the shopper's order page, with a link back to the blog. While a
 * payment is unconfirmed it asks the gateway itself (a return URL proves nothing) and reloads.
 */
export function orderPageRoutes(dataSource: DataSource, pages: PageRenderer, payments: PaymentFollowUps): Router {
  const router = Router();
  const load = (publicId: string) => dataSource.getRepository(Order).findOne({ where: { publicId }, relations: { lines: true } });

  router.get('/:publicId', async (req, res) => {
    let order = TOKEN_PATTERN.test(req.params.publicId) ? await load(req.params.publicId) : null;
    if (!order) throw notFound('Order');

    let confirming = false;
    if (awaitsPayment(order.status)) {
      const latest = await payments.latestPayment(order.id);
      if (latest && OPEN_PAYMENT_STATUSES.includes(latest.status)) {
        const outcome = await payments.refresh(latest).catch((err: unknown) => {
          if (err instanceof GatewayUnavailableError) return null;
          throw err;
        });
        order = (await load(order.publicId))!;
        confirming = awaitsPayment(order.status) && (outcome === null || outcome.status === 'pending');
      }
    }
    const text = confirming ? CONFIRMING : shopperStatusText(order.status);
    res.type('html').send(
      pages.render(
        'order-status',
        `Order ${orderNumber(order.id)}`,
        {
          orderNumber: orderNumber(order.id),
          statusLabel: text.label,
          statusExplanation: text.explanation,
          summary: orderSummary(order),
          returnUrl: order.returnUrl,
        },
        confirming ? { refreshSeconds: 3 } : {},
      ),
    );
  });
  return router;
}
