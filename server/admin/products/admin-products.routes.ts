import { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Product } from '../../catalog/product.entity';
import type { StoreConfig } from '../../config';
import { type DomainError, isDomainError, type ErrorDetail } from '../../domain-error';
import type { PageRenderer } from '../../http/page-renderer';
import { formatMoney, minorUnitExponent, money, toDecimalString } from '../../money';
import { adminContext } from '../auth/admin-auth';
import { adminLayout } from '../admin-layout';
import { adminActor } from '../admin-actor';
import { AdminProducts, productIdParam, productTarget } from './admin-products.service';
import { storeImages, type ProductRules } from './product-fields';
import { NEW_PRODUCT_FORM, parseProductForm, productFormValues, typedValues, type ProductFormValues } from './product-form';

/** What the admin's product pages and API are built from. */
export interface AdminProductDeps {
  readonly config: StoreConfig;
  readonly dataSource: DataSource;
  readonly pages: PageRenderer;
}

/** A product form as shown: the product it edits (null for a new one), its values and its errors. */
interface FormView {
  readonly product: Product | null;
  readonly values: ProductFormValues;
  readonly errors?: Readonly<Record<string, string>>;
  readonly formErrors?: readonly string[];
}

const asDetails = (errors: Readonly<Record<string, string>>, formErrors: readonly string[]): ErrorDetail[] => [
  ...formErrors.map((message) => ({ path: '', message })),
  ...Object.entries(errors).map(([path, message]) => ({ path, message })),
];

/** A conflict's messages by field, for showing next to the field it concerns. */
const conflictErrors = (err: DomainError): Record<string, string> =>
  Object.fromEntries((err.details ?? []).map((d) => [d.path, d.message]));

const isConflict = (err: unknown): err is DomainError => isDomainError(err, 'conflict');

/**
 * The product pages under `/admin/products`: the list, a new product's form and each product's
 * edit form. Forms post back to themselves; a saved form redirects (303) to the list with a
 * notice; a refused one is shown again as typed, with each error next to its field.
 */
export function adminProductPages(deps: AdminProductDeps): Router {
  const router = Router();
  const products = new AdminProducts(deps.dataSource);
  const rules: ProductRules = { currency: deps.config.currency, images: storeImages() };
  const exponent = minorUnitExponent(rules.currency);
  const priceHint =
    exponent === 0
      ? `In ${rules.currency}, a whole number: for example 1200.`
      : `In ${rules.currency}, a point for decimals: for example ${toDecimalString(money(1250 * 10 ** (exponent - 2), rules.currency))}.`;

  function renderForm(res: Response, form: FormView, status = 200): void {
    const title = form.product ? `Edit ${form.product.name}` : 'New product';
    res
      .status(status)
      .type('html')
      .send(
        deps.pages.render(
          'admin/product-form',
          title,
          {
            heading: title,
            action: form.product ? `/admin/products/${form.product.id}` : '/admin/products',
            submitLabel: form.product ? 'Save changes' : 'Create product',
            editing: form.product !== null,
            csrfToken: adminContext(res)?.session.csrfToken ?? '',
            values: form.values,
            errors: form.errors ?? {},
            formErrors: form.formErrors ?? [],
            currency: rules.currency,
            priceHint,
            images: rules.images,
          },
          adminLayout(res, 'products'),
        ),
      );
  }

  router.get('/', async (req, res) => {
    const all = await products.list();
    const noticeId = Number(req.query.created ?? req.query.saved);
    const noticed = all.find((p) => p.id === noticeId);
    const notice = noticed ? `${req.query.created !== undefined ? 'Created' : 'Saved'} “${noticed.name}”.` : null;
    const rows = all.map((p) => ({ ...p, priceText: formatMoney(money(p.price, p.currency)) }));
    res.type('html').send(deps.pages.render('admin/products', 'Products', { rows, notice }, adminLayout(res, 'products')));
  });

  router.get('/new', (_req, res) => {
    renderForm(res, { product: null, values: NEW_PRODUCT_FORM });
  });

  router.post('/', async (req: Request, res: Response) => {
    const actor = adminActor(req, res);
    const parsed = parseProductForm(req.body, rules, 'create');
    const values = typedValues(req.body);
    if (!parsed.ok) {
      await products.refused(actor, 'product.create', productTarget(values.slug), asDetails(parsed.errors, parsed.formErrors));
      renderForm(res, { product: null, values, errors: parsed.errors, formErrors: parsed.formErrors }, 400);
      return;
    }
    try {
      const created = await products.create(parsed.value, actor);
      res.redirect(303, `/admin/products?created=${created.id}`);
    } catch (err) {
      if (!isConflict(err)) throw err;
      renderForm(res, { product: null, values, errors: conflictErrors(err), formErrors: [err.message] }, 409);
    }
  });

  router.get('/:id', async (req, res) => {
    const product = await products.find(productIdParam(req.params.id));
    renderForm(res, { product, values: productFormValues(product) });
  });

  router.post('/:id', async (req, res) => {
    const actor = adminActor(req, res);
    const product = await products.find(productIdParam(req.params.id));
    const parsed = parseProductForm(req.body, rules, 'update');
    const values = typedValues(req.body);
    if (!parsed.ok) {
      await products.refused(actor, 'product.update', productTarget(product.slug), asDetails(parsed.errors, parsed.formErrors));
      renderForm(res, { product, values, errors: parsed.errors, formErrors: parsed.formErrors }, 400);
      return;
    }
    try {
      await products.update(product.id, parsed.value, actor);
      res.redirect(303, `/admin/products?saved=${product.id}`);
    } catch (err) {
      if (!isConflict(err)) throw err;
      // Saving again applies the typed stock to the figure now shown, not to the stale one.
      const now = await products.find(product.id);
      renderForm(
        res,
        { product, values: { ...values, stockShown: String(now.stock) }, errors: conflictErrors(err), formErrors: [err.message] },
        409,
      );
    }
  });

  return router;
}
