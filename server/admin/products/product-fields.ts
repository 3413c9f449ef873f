import fs from 'node:fs';
import path from 'node:path';
import Joi from 'joi';
import { CATEGORY_MAX_LENGTH, CATEGORY_PATTERN } from '../../catalog/category';
import type { ErrorDetail } from '../../domain-error';
import { formatMoney, money, type Money } from '../../money';
import { PATHS } from '../../paths';
import { withoutFragment } from '../../stored-url';
import { checkInput } from '../../validation';

/** Everything an admin sets on a product, validated. */
export interface ProductFields {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  /** A path of one of the store's images (`/images/mug.svg`) or an https URL; null for none. */
  readonly image: string | null;
  readonly stock: number;
  readonly active: boolean;
  readonly category: string | null;
  /** Display order, lower first; left out on creation, the product goes last. */
  readonly position?: number;
}

/**
 * A change to some of a product's fields. With `expectedStock`, the new `stock` is written only
 * if the stock is still that figure: orders reserve and release stock while an admin edits.
 */
export interface ProductChanges extends Partial<ProductFields> {
  readonly expectedStock?: number;
}

/**
 * Bounds of product input. The price bound keeps a full cart line (99 units) inside the
 * database's 32-bit integer columns, whatever the currency.
 */
export const PRODUCT_LIMITS = Object.freeze({
  name: 200,
  slug: 120,
  description: 5000,
  image: 500,
  stock: 1_000_000,
  position: 1_000_000,
  priceMinorUnits: 10_000_000,
});

/** What product input is checked against: the store's one currency and its own images. */
export interface ProductRules {
  readonly currency: string;
  /** Paths of the images the store serves (`/images/mug.svg`). */
  readonly images: readonly string[];
}

/** The images under `public/images` a product may use, as paths on the store's origin. */
export function storeImages(): string[] {
  return fs
    .readdirSync(path.join(PATHS.public, 'images'))
    .filter((file) => file.endsWith('.svg'))
    .sort()
    .map((file) => `/images/${file}`);
}

/** The product's slug follows the category slug grammar, so every catalog URL looks alike. */
export const SLUG_PATTERN = CATEGORY_PATTERN;

/** An https address that is safe to put in an attribute as it is. */
function isHttpsImage(value: string): boolean {
  if (/[\s"'<>\\]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** One message per field, saying what the field must be: shown next to it on forms and in API errors. */
export function fieldMessages(rules: ProductRules): Readonly<Record<string, string>> {
  const count = (n: number) => n.toLocaleString('en-US');
  return {
    name: `Enter a name of 1 to ${count(PRODUCT_LIMITS.name)} characters.`,
    slug: `Enter a slug of lower-case letters, digits and single hyphens, up to ${PRODUCT_LIMITS.slug} characters (for example enamel-mug).`,
    description: `The description can be at most ${count(PRODUCT_LIMITS.description)} characters.`,
    price: `Price must be more than 0 and at most ${formatMoney(money(PRODUCT_LIMITS.priceMinorUnits, rules.currency))}.`,
    'price.currency': `This store sells in ${rules.currency}: the price's currency must be ${rules.currency}.`,
    stock: `Stock must be a whole number from 0 to ${count(PRODUCT_LIMITS.stock)}.`,
    image: `Image must be an https:// address or one of the store's images (${rules.images.join(', ')}), or empty for none.`,
    category: `Category must be lower-case letters, digits and single hyphens, up to ${CATEGORY_MAX_LENGTH} characters, or empty for none.`,
    position: `Position must be a whole number from 0 to ${count(PRODUCT_LIMITS.position)}.`,
    active: 'Active must be true or false.',
    expectedStock: `expectedStock must be a whole number from 0 to ${count(PRODUCT_LIMITS.stock)}, sent together with stock.`,
  };
}

function schema(rules: ProductRules, mode: 'create' | 'update'): Joi.ObjectSchema<ProductChanges> {
  const need = (s: Joi.Schema): Joi.Schema => (mode === 'create' ? s.required() : s);
  const none = ['', null];
  return Joi.object<ProductChanges>({
    name: need(Joi.string().trim().min(1).max(PRODUCT_LIMITS.name)),
    slug: need(Joi.string().trim().max(PRODUCT_LIMITS.slug).pattern(SLUG_PATTERN)),
    description: Joi.string().trim().allow('').max(PRODUCT_LIMITS.description),
    price: need(
      Joi.object({
        amount: Joi.number().strict().integer().min(1).max(PRODUCT_LIMITS.priceMinorUnits).required(),
        currency: Joi.string().valid(rules.currency).required(),
      }),
    ),
    stock: need(Joi.number().strict().integer().min(0).max(PRODUCT_LIMITS.stock)),
    image: Joi.string()
      .max(PRODUCT_LIMITS.image)
      .custom((value: string, helpers) => {
        const stored = withoutFragment(value);
        return rules.images.includes(stored) || isHttpsImage(stored) ? stored : helpers.error('any.invalid');
      })
      .allow(...none),
    category: Joi.string()
      .max(CATEGORY_MAX_LENGTH)
      .pattern(CATEGORY_PATTERN)
      .allow(...none),
    position: Joi.number().strict().integer().min(0).max(PRODUCT_LIMITS.position),
    active: Joi.boolean().strict(),
    ...(mode === 'update' ? { expectedStock: Joi.number().strict().integer().min(0).max(PRODUCT_LIMITS.stock) } : {}),
  })
    .with('expectedStock', 'stock')
    .min(mode === 'update' ? 1 : 0);
}

/** Validated input, or one detail per offending field. */
export type CheckedProductInput<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly ErrorDetail[] };

function problem(detail: Joi.ValidationErrorItem, messages: Readonly<Record<string, string>>): ErrorDetail {
  // A missing companion (`object.with`) is reported on the object; it belongs to the field that needs it.
  const path = detail.type === 'object.with' ? [String(detail.context?.main)] : detail.path;
  const fullPath = path.join('.');
  const field = String(path[0] ?? '');
  if (detail.type === 'object.unknown') return { path: fullPath, message: `"${fullPath}" is not a product field.` };
  if (detail.type === 'object.min') return { path: '', message: 'Send at least one product field to change.' };
  if (detail.type === 'object.base' && field === '') return { path: '', message: 'Send the product as a JSON object.' };
  return { path: messages[fullPath] ? fullPath : field, message: messages[fullPath] ?? messages[field] ?? detail.message };
}

/**
 * Checks typed product input (a JSON body, or a form already read into types) against the rules:
 * on `create` the name, slug, price and stock are required and the rest defaults (empty
 * description, no image or category, active); on `update` every field is optional. Unknown
 * fields are refused. Empty image and category mean none; an image URL is kept without its fragment.
 */
export function checkProductInput(input: unknown, rules: ProductRules, mode: 'create'): CheckedProductInput<ProductFields>;
export function checkProductInput(input: unknown, rules: ProductRules, mode: 'update'): CheckedProductInput<ProductChanges>;
export function checkProductInput(input: unknown, rules: ProductRules, mode: 'create' | 'update'): CheckedProductInput<ProductChanges> {
  const result = checkInput<ProductChanges>(schema(rules, mode), input);
  if (!result.ok) {
    const messages = fieldMessages(rules);
    const errors = new Map<string, ErrorDetail>();
    for (const detail of result.problems) {
      const found = problem(detail, messages);
      if (!errors.has(found.path)) errors.set(found.path, found);
    }
    return { ok: false, errors: [...errors.values()] };
  }
  const checked = result.value as Record<string, unknown>;
  const orNull = (key: 'image' | 'category') => (key in checked ? { [key]: checked[key] === '' ? null : checked[key] } : {});
  const defaults = mode === 'create' ? { description: '', image: null, category: null, active: true } : {};
  return { ok: true, value: { ...defaults, ...checked, ...orNull('image'), ...orNull('category') } };
}
