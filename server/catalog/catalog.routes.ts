import { Router } from 'express';
import Joi from 'joi';
import { validate } from '../validation';
import type { CatalogService } from './catalog.service';
import { categoryQuery } from './category';

const listQuery = Joi.object<{ limit: number; offset: number; category?: string }>({
  limit: Joi.number().integer().min(1).max(100).default(24),
  offset: Joi.number().integer().min(0).max(1_000_000).default(0),
  category: categoryQuery,
});

/** `:slug` of a product URL. */
export const slugParams = Joi.object<{ slug: string }>({
  slug: Joi.string()
    .pattern(/^[a-z0-9-]{1,120}$/)
    .required(),
});

/** `GET /api/products` (paginated, optionally one `category`) and `GET /api/products/:slug`. */
export function catalogRoutes(catalog: CatalogService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { limit, offset, category } = validate(listQuery, req.query, 'query');
    res.json(await catalog.list(limit, offset, category));
  });
  router.get('/:slug', async (req, res) => {
    const { slug } = validate(slugParams, req.params, 'product slug');
    res.json(await catalog.bySlug(slug));
  });
  return router;
}
