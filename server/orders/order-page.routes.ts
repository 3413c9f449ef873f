import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { notFound } from '../http/http-error';
import type { PageRenderer } from '../http/page-renderer';
import { TOKEN_PATTERN } from '../random-token';
import { Order } from './order.entity';
import { orderNumber, orderSummary, shopperStatusText } from './order-presentation';

/** `GET /orders/:publicId`: the shopper's order status page, with a link back to the blog. */
export function orderPageRoutes(dataSource: DataSource, pages: PageRenderer): Router {
  const router = Router();
  router.get('/:publicId', async (req, res) => {
    const order = TOKEN_PATTERN.test(req.params.publicId)
      ? await dataSource.getRepository(Order).findOne({ where: { publicId: req.params.publicId }, relations: { lines: true } })
      : null;
    if (!order) throw notFound('Order');
    const text = shopperStatusText(order.status);
    res.type('html').send(
      pages.render('order-status', `Order ${orderNumber(order.id)}`, {
        orderNumber: orderNumber(order.id),
        statusLabel: text.label,
        statusExplanation: text.explanation,
        summary: orderSummary(order),
        returnUrl: order.returnUrl,
      }),
    );
  });
  return router;
}
