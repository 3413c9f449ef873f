import { Router, type Request, type Response } from 'express';
import type { Product } from '../../catalog/product.entity';
import { invalidInput, type ErrorDetail } from '../../domain-error';
import { toProductView, type ProductView } from '../../catalog/product.view';
import type { AdminProductDeps } from './admin-products.routes';
import { adminActor, type AdminActor } from '../admin-actor';
import { AdminProducts, productIdParam, productTarget } from './admin-products.service';
import { checkProductInput, storeImages, type ProductRules } from './product-fields';

/** A product as the admin API shows it: the public view plus everything else the admin can set, active or not. */
export interface AdminProductView extends Omit<ProductView, 'image' | 'inStock'> {
  /** As stored (and as set): a path on the store's origin (`/images/mug.svg`) or an https URL. */
  readonly image: string | null;
  readonly stock: number;
  readonly active: boolean;
  readonly position: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function view(p: Product): AdminProductView {
  const { inStock: _inStock, ...shared } = toProductView(p, '');
  return {
    ...shared,
    image: p.image,
    stock: p.stock,
    active: p.active,
    position: p.position,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/**
 * The admin's product API under `/api/admin/products`: `GET /` (every product), `POST /` (create;
 * 201), `GET /:id`, `PATCH /:id` (any subset of the fields; `expectedStock` makes a stock change
 * conditional). Prices are `{ amount, currency }` in minor units of the store's currency.
 * Refused input is a 400 whose `details` name each field, and is audited like any change.
 */
export function adminProductApi(deps: AdminProductDeps): Router {
  const router = Router();
  const products = new AdminProducts(deps.dataSource);
  const rules: ProductRules = { currency: deps.config.currency, images: storeImages() };

  async function refuse(actor: AdminActor, action: string, target: string, errors: readonly ErrorDetail[]): Promise<never> {
    await products.refused(actor, action, target, errors);
    throw invalidInput(`The product is invalid: ${errors.map((e) => e.message).join(' ')}`, errors);
  }

  router.get('/', async (_req, res) => {
    res.json({ items: (await products.list()).map(view) });
  });

  router.post('/', async (req: Request, res: Response) => {
    const actor = adminActor(req, res);
    const checked = checkProductInput(req.body, rules, 'create');
    if (!checked.ok)
      return refuse(actor, 'product.create', productTarget((req.body as { slug?: unknown } | undefined)?.slug), checked.errors);
    const created = await products.create(checked.value, actor);
    res.status(201).location(`/api/admin/products/${created.id}`).json(view(created));
  });

  router.get('/:id', async (req, res) => {
    res.json(view(await products.find(productIdParam(req.params.id))));
  });

  router.patch('/:id', async (req, res) => {
    const actor = adminActor(req, res);
    const product = await products.find(productIdParam(req.params.id));
    const checked = checkProductInput(req.body, rules, 'update');
    if (!checked.ok) return refuse(actor, 'product.update', productTarget(product.slug), checked.errors);
    res.json(view(await products.update(product.id, checked.value, actor)));
  });

  return router;
}
