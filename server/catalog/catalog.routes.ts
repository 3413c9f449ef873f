import { Router, type Request } from 'express';
import Joi from 'joi';
import { notFound } from '../domain-error';
import type { CachedRead } from '../http/cached-read-lane';
import { sendPrepared } from '../http/prepared-response';
import { validate } from '../validation';
import type { CatalogCache, PreparedBody, Rendered } from './catalog-cache';
import type { CatalogService } from './catalog.service';
import { apiReadKeys, PAGE_BOUNDS, SLUG } from './catalog-reads';
import { CATEGORY_MAX_LENGTH, CATEGORY_PATTERN, categoryQuery } from './category';

type ListQuery = { limit: number; offset: number; category?: string };

const listQuery = Joi.object<ListQuery>({
  limit: Joi.number().integer().min(1).max(PAGE_BOUNDS.maxLimit).default(PAGE_BOUNDS.defaultLimit),
  offset: Joi.number().integer().min(0).max(PAGE_BOUNDS.maxOffset).default(0),
  category: categoryQuery,
});

/** `:slug` of a product URL. */
export const slugParams = Joi.object<{ slug: string }>({
  slug: Joi.string().pattern(SLUG).required(),
});

// What the schema makes of an empty query, worked out once.
const DEFAULT_LIST: ListQuery = validate(listQuery, {}, 'query');
const JSON_TYPE = 'application/json; charset=utf-8';

/** The query of a request without one: no parsing, no schema (the commonest request of all). */
export function hasNoQuery(req: Request): boolean {
  return !req.url.includes('?');
}

/** The `:slug` of a request, checked: a plain slug without the schema, anything else through it (same errors). */
export function productSlug(req: Request): string {
  const slug = req.params.slug;
  return typeof slug === 'string' && SLUG.test(slug) && Object.keys(req.params).length === 1
    ? slug
    : validate(slugParams, req.params, 'product slug').slug;
}

/**
 * Answers from the cache: at once when the body is built and the version fresh, else once built.
 * `null` from the build is a 404 made by `missing`.
 */
export function fromCache(
  cache: CatalogCache,
  key: string,
  build: () => Promise<Rendered>,
  missing: () => Error,
): PreparedBody | Promise<PreparedBody> {
  const hit = cache.peek(key);
  if (hit) return hit;
  if (hit === null) throw missing();
  return cache.get(key, build).then((prepared) => {
    if (prepared === null) throw missing();
    return prepared;
  });
}

const PRODUCTS = '/api/products';
// The query the storefront widget sends, in its order: plain decimal numbers, an optional category slug.
const WIDGET_PAGE = /^\?limit=([1-9]\d{0,2})&offset=(0|[1-9]\d{0,6})(?:&category=([a-z0-9-]+))?$/;

function widgetPage(query: string): CachedRead | undefined {
  const match = WIDGET_PAGE.exec(query);
  if (!match) return undefined;
  const [, limit, offset, category] = match;
  if (Number(limit) > PAGE_BOUNDS.maxLimit || Number(offset) > PAGE_BOUNDS.maxOffset) return undefined;
  if (category !== undefined && (category.length > CATEGORY_MAX_LENGTH || !CATEGORY_PATTERN.test(category))) return undefined;
  return { key: apiReadKeys.list(Number(limit), Number(offset), category), cors: true };
}

/**
 * The cached read a public API URL names: `/api/products` (its first page at the default size),
 * the page the storefront widget asks for (`?limit=…&offset=…[&category=…]`,
 * exactly so), or `/api/products/<slug>`. Anything else is for the routes, which answer it the same.
 */
export function catalogApiRead(url: string): CachedRead | undefined {
  if (!url.startsWith(PRODUCTS)) return undefined;
  const rest = url.slice(PRODUCTS.length);
  if (rest === '') return { key: apiReadKeys.list(PAGE_BOUNDS.defaultLimit, 0, undefined), cors: true };
  if (rest.startsWith('?')) return widgetPage(rest);
  if (rest.charCodeAt(0) !== 47 /* / */) return undefined;
  const slug = rest.slice(1);
  return SLUG.test(slug) ? { key: apiReadKeys.product(slug), cors: true } : undefined;
}

const asJson = (value: unknown): Rendered => ({ text: JSON.stringify(value), contentType: JSON_TYPE });

/**
 * `GET /api/products` (paginated, optionally one `category`) and `GET /api/products/:slug`,
 * served from the {@link CatalogCache}: the bytes `res.json` would have sent, with a strong ETag.
 */
export function catalogRoutes(catalog: CatalogService, cache: CatalogCache): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { limit, offset, category } = hasNoQuery(req) ? DEFAULT_LIST : validate(listQuery, req.query, 'query');
    const key = apiReadKeys.list(limit, offset, category);
    const prepared = fromCache(
      cache,
      key,
      async () => asJson(await catalog.list(limit, offset, category)),
      () => notFound('Products'),
    );
    sendPrepared(req, res, prepared instanceof Promise ? await prepared : prepared);
  });
  router.get('/:slug', async (req, res) => {
    const slug = productSlug(req);
    const prepared = fromCache(
      cache,
      apiReadKeys.product(slug),
      async () => {
        const product = await catalog.findBySlug(slug);
        return product && asJson(product);
      },
      () => notFound(`Product "${slug}"`),
    );
    sendPrepared(req, res, prepared instanceof Promise ? await prepared : prepared);
  });
  return router;
}
