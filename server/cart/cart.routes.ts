import { Router } from 'express';
import Joi from 'joi';
import { validate } from '../validation';
import { MAX_QUANTITY_PER_LINE, type CartService } from './cart.service';

const quantity = Joi.number().integer().strict().min(1).max(MAX_QUANTITY_PER_LINE).required();
const newCartBody = Joi.object({});
const addItemBody = Joi.object<{ productId: number; quantity: number }>({
  productId: Joi.number().integer().strict().min(1).required(),
  quantity,
});
const updateItemBody = Joi.object<{ quantity: number }>({ quantity });
const itemParams = Joi.object<{ id: string; itemId: number }>({
  id: Joi.string().required(),
  itemId: Joi.number().integer().min(1).required(),
});

/** The cart routes of the public API (DESIGN "Public HTTP contract"). */
export function cartRoutes(carts: CartService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    validate(newCartBody, req.body);
    res.status(201).json(await carts.create());
  });
  router.get('/:id', async (req, res) => {
    res.json(await carts.view(req.params.id));
  });
  router.post('/:id/items', async (req, res) => {
    const body = validate(addItemBody, req.body);
    res.status(201).json(await carts.addItem(req.params.id, body.productId, body.quantity));
  });
  router.patch('/:id/items/:itemId', async (req, res) => {
    const { id, itemId } = validate(itemParams, req.params, 'URL');
    const body = validate(updateItemBody, req.body);
    res.json(await carts.updateItem(id, itemId, body.quantity));
  });
  router.delete('/:id/items/:itemId', async (req, res) => {
    const { id, itemId } = validate(itemParams, req.params, 'URL');
    res.json(await carts.removeItem(id, itemId));
  });
  return router;
}
