import type { Product } from '../../catalog/product.entity';
import { money, parseMajorUnits, toDecimalString } from '../../money';
import { checkProductInput, type ProductChanges, type ProductFields, type ProductRules } from './product-fields';

/** The fields of the product form, in page order. `stockShown` is the stock the form was shown with. */
export const PRODUCT_FORM_FIELDS = [
  'name',
  'slug',
  'description',
  'price',
  'stock',
  'image',
  'category',
  'position',
  'active',
  'stockShown',
] as const;
type FormField = (typeof PRODUCT_FORM_FIELDS)[number];

/** The form's values as typed, strings throughout, so a refused form shows exactly what was sent. */
export type ProductFormValues = Readonly<Partial<Record<FormField, string>>>;

/** A submitted product form: the change it asks for, or what is wrong with it, by field. */
export type ProductFormResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>>; readonly formErrors: readonly string[] };

/** The blank form of a new product: shown in the store unless unticked. */
export const NEW_PRODUCT_FORM: ProductFormValues = { active: 'on' };

/** A product's current values, to fill its edit form. */
export function productFormValues(product: Product): ProductFormValues {
  return {
    name: product.name,
    slug: product.slug,
    description: product.description,
    price: toDecimalString(money(product.price, product.currency)),
    stock: String(product.stock),
    image: product.image ?? '',
    category: product.category ?? '',
    position: String(product.position),
    active: product.active ? 'on' : '',
    stockShown: String(product.stock),
  };
}

/** What was typed, for showing the form again: only the form's own fields, only text. */
export function typedValues(body: unknown): ProductFormValues {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(PRODUCT_FORM_FIELDS.flatMap((field) => (typeof input[field] === 'string' ? [[field, input[field]]] : [])));
}

const WHOLE_NUMBER = /^\s*\d{1,9}\s*$/;

/**
 * Reads the form's text into the types {@link checkProductInput} checks. A number that is not
 * one is passed on as text, so it is refused with its field's message; a price that cannot be
 * read (`"12.505"` USD, `"12.5"` JPY) gets the money parser's own message.
 */
function readForm(input: Record<string, unknown>, rules: ProductRules): { typed: Record<string, unknown>; priceError?: string } {
  const typed: Record<string, unknown> = {};
  let priceError: string | undefined;
  for (const [field, raw] of Object.entries(input)) {
    if (typeof raw !== 'string' || field === 'stockShown') typed[field] = raw;
    else if (field === 'price') {
      const read = parseMajorUnits(raw, rules.currency);
      if (typeof read === 'string') priceError = read;
      else typed.price = read;
    } else if (field === 'stock' || field === 'position') {
      if (field === 'position' && raw.trim() === '') continue;
      typed[field] = WHOLE_NUMBER.test(raw) ? Number(raw) : raw;
    } else if (field === 'active') typed.active = raw === 'on' ? true : raw;
    else typed[field] = raw;
  }
  // An unticked checkbox is not sent at all.
  if (!('active' in input)) typed.active = false;
  return priceError === undefined ? { typed } : { typed, priceError };
}

/**
 * Validates a submitted product form with the same rules as the API. On `update`, a stock left as
 * it was shown is not written (orders may have moved it meanwhile); a changed one is written only
 * if the stock is still what the form showed. Errors are keyed by field, for showing next to it.
 */
export function parseProductForm(body: unknown, rules: ProductRules, mode: 'create'): ProductFormResult<ProductFields>;
export function parseProductForm(body: unknown, rules: ProductRules, mode: 'update'): ProductFormResult<ProductChanges>;
export function parseProductForm(body: unknown, rules: ProductRules, mode: 'create' | 'update'): ProductFormResult<ProductChanges> {
  const input = { ...((typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>) };
  const formErrors: string[] = [];
  for (const field of Object.keys(input)) {
    if (!(PRODUCT_FORM_FIELDS as readonly string[]).includes(field) || (field === 'stockShown' && mode === 'create')) {
      formErrors.push(`The form has a field this page did not ask for: ${field}.`);
      delete input[field];
    }
  }
  const stockShown = typeof input.stockShown === 'string' && WHOLE_NUMBER.test(input.stockShown) ? Number(input.stockShown) : undefined;
  delete input.stockShown;

  const { typed, priceError } = readForm(input, rules);
  const checked = mode === 'create' ? checkProductInput(typed, rules, 'create') : checkProductInput(typed, rules, 'update');
  const errors: Record<string, string> = {};
  if (priceError !== undefined) errors.price = priceError;
  if (!checked.ok) for (const { path, message } of checked.errors) errors[path.split('.')[0] || 'form'] ??= message;
  if (errors.form !== undefined) formErrors.push(errors.form);
  delete errors.form;
  if (!checked.ok || priceError !== undefined || formErrors.length > 0) return { ok: false, errors, formErrors };

  const { stock, ...rest } = checked.value;
  if (mode === 'create' || stock === undefined || stockShown === undefined) return { ok: true, value: checked.value };
  return { ok: true, value: stock === stockShown ? rest : { ...rest, stock, expectedStock: stockShown } };
}
