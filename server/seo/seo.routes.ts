import { Router } from 'express';
import Joi from 'joi';
import type { CatalogCache, Rendered } from '../catalog/catalog-cache';
import { SLUG } from '../catalog/catalog-reads';
import { fromCache, hasNoQuery, productSlug, slugParams } from '../catalog/catalog.routes';
import type { CatalogService } from '../catalog/catalog.service';
import { categoryQuery } from '../catalog/category';
import type { ProductView } from '../catalog/product.view';
import type { CachedRead } from '../http/cached-read-lane';
import type { PageRenderer } from '../http/page-renderer';
import { notFound } from '../domain-error';
import { sendPrepared } from '../http/prepared-response';
import { validate } from '../validation';
import { formatMoney } from '../money';
import { catalogStructuredData, jsonForScript, productStructuredData, productUrl } from './structured-data';

const SNAPSHOT_SIZE = 100;
const PRODUCT_SNAPSHOTS = '/seo/products/';

const snapshotQuery = Joi.object<{ category?: string }>({ category: categoryQuery });

const HTML_TYPE = 'text/html; charset=utf-8';
const FRAGMENT_CACHE_CONTROL = 'public, max-age=300';

/** The catalog cache's keys of the snapshots: the routes and the cached-read lane use the same. */
const seoReadKeys = {
  catalog: (category: string | undefined): string => `seo:catalog:${category ?? ''}`,
  product: (slug: string): string => `seo:product:${slug}`,
};

/** The snapshot a URL names exactly (`/seo/catalog`, `/seo/products/<slug>`), for the cached-read lane. */
export function seoRead(url: string): CachedRead | undefined {
  if (url === '/seo/catalog') return { key: seoReadKeys.catalog(undefined), cacheControl: FRAGMENT_CACHE_CONTROL, cors: false };
  if (!url.startsWith(PRODUCT_SNAPSHOTS)) return undefined;
  const slug = url.slice(PRODUCT_SNAPSHOTS.length);
  return SLUG.test(slug) ? { key: seoReadKeys.product(slug), cacheControl: FRAGMENT_CACHE_CONTROL, cors: false } : undefined;
}

function card(product: ProductView, publicUrl: string) {
  return {
    name: product.name,
    description: product.description,
    price: formatMoney(product.price),
    image: product.image,
    inStock: product.inStock,
    url: productUrl(publicUrl, product.slug),
  };
}

/**
 * Server-rendered HTML of the catalog for crawlers and for visitors without JavaScript:
 * `GET /seo/catalog[?category=…]` and `GET /seo/products/:slug` are fragments (with schema.org data) that the
 * WordPress plugin places inside the store's container, where the embed script takes over;
 * `GET /products/:slug` is a product's own indexable page on the store.
 */
export function seoRoutes(catalog: CatalogService, pages: PageRenderer, publicUrl: string, cache: CatalogCache): Router {
  const router = Router();
  const html = (text: string): Rendered => ({ text, contentType: HTML_TYPE });

  router.get('/seo/catalog', async (req, res) => {
    const { category } = hasNoQuery(req) ? {} : validate(snapshotQuery, req.query, 'query');
    const build = async () => {
      const { items } = await catalog.list(SNAPSHOT_SIZE, 0, category);
      return html(
        pages.renderFragment('seo-catalog', {
          products: items.map((p) => card(p, publicUrl)),
          jsonLd: jsonForScript(catalogStructuredData(items, publicUrl)),
        }),
      );
    };
    const prepared = fromCache(cache, seoReadKeys.catalog(category), build, () => notFound('Products'));
    sendPrepared(req, res, prepared instanceof Promise ? await prepared : prepared, FRAGMENT_CACHE_CONTROL);
  });

  router.get('/seo/products/:slug', async (req, res) => {
    const slug = productSlug(req);
    const build = async () => {
      const product = await catalog.findBySlug(slug);
      if (!product) return null;
      return html(
        pages.renderFragment('seo-product', {
          product: card(product, publicUrl),
          jsonLd: jsonForScript(productStructuredData(product, publicUrl)),
        }),
      );
    };
    const prepared = fromCache(cache, seoReadKeys.product(slug), build, () => notFound(`Product "${slug}"`));
    sendPrepared(req, res, prepared instanceof Promise ? await prepared : prepared, FRAGMENT_CACHE_CONTROL);
  });

  router.get('/products/:slug', async (req, res) => {
    const { slug } = validate(slugParams, req.params, 'product slug');
    const product = await catalog.bySlug(slug);
    res.type('html').send(
      pages.renderFragment('product-page', {
        product: card(product, publicUrl),
        slug: product.slug,
        jsonLd: jsonForScript(productStructuredData(product, publicUrl)),
      }),
    );
  });

  return router;
}
