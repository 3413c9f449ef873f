import { Router } from 'express';
import Joi from 'joi';
import { validate } from '../validation';
import type { CheckoutService } from './checkout.service';

const startBody = Joi.object<{ returnUrl: string }>({
  returnUrl: Joi.string()
    .max(2000)
    .uri({ scheme: ['http', 'https'] })
    .required(),
});

/** `POST /api/carts/:id/checkout` → 201 `{ checkoutUrl }` on the store's HTTPS origin. */
export function checkoutRoutes(checkouts: CheckoutService): Router {
  const router = Router();
  router.post('/:id/checkout', async (req, res) => {
    const { returnUrl } = validate(startBody, req.body);
    res.status(201).json(await checkouts.start(req.params.id, returnUrl));
  });
  return router;
}
