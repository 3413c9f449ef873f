import { Router, type Response } from 'express';
import Joi from 'joi';
import { slugParams } from '../catalog/catalog.routes';
import type { CatalogService } from '../catalog/catalog.service';
import { categoryQuery } from '../catalog/category';
import type { ProductView } from '../catalog/product.view';
import type { PageRenderer } from '../http/page-renderer';
import { validate } from '../validation';
import { formatMoney } from '../money';
import { catalogStructuredData, jsonForScript, productStructuredData, productUrl } from './structured-data';

const SNAPSHOT_SIZE = 100;

const snapshotQuery = Joi.object<{ category?: string }>({ category: categoryQuery });

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
export function seoRoutes(catalog: CatalogService, pages: PageRenderer, publicUrl: string): Router {
  const router = Router();
  const fragment = (res: Response, html: string) => res.type('html').set('Cache-Control', 'public, max-age=300').send(html);

  router.get('/seo/catalog', async (req, res) => {
    const { category } = validate(snapshotQuery, req.query, 'query');
    const { items } = await catalog.list(SNAPSHOT_SIZE, 0, category);
    fragment(
      res,
      pages.renderFragment('seo-catalog', {
        products: items.map((p) => card(p, publicUrl)),
        jsonLd: jsonForScript(catalogStructuredData(items, publicUrl)),
      }),
    );
  });

  router.get('/seo/products/:slug', async (req, res) => {
    const { slug } = validate(slugParams, req.params, 'product slug');
    const product = await catalog.bySlug(slug);
    fragment(
      res,
      pages.renderFragment('seo-product', {
        product: card(product, publicUrl),
        jsonLd: jsonForScript(productStructuredData(product, publicUrl)),
      }),
    );
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
