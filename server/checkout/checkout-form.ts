import Joi from 'joi';
import type { PostalAddress } from '../orders/postal-address';
import { checkInput } from '../validation';
import { COUNTRY_CODES } from './countries';
import { SHIPPING_METHOD_IDS, type ShippingMethodId } from './shipping-methods';

/** The checkout page's form, validated. Billing is always present (it feeds address checks). */
export interface CheckoutDetails {
  readonly email: string;
  readonly shipping: PostalAddress;
  readonly billing: PostalAddress;
  readonly shippingMethod: ShippingMethodId;
}

export const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
type AddressField = (typeof ADDRESS_FIELDS)[number];

const FIELD_LABELS: Readonly<Record<AddressField, string>> = {
  name: 'Full name',
  line1: 'Address',
  line2: 'Apartment, suite, etc.',
  city: 'City',
  region: 'State / region',
  postalCode: 'Postal code',
  country: 'Country',
};

function addressSchema(prefix: 'shipping' | 'billing', required: boolean): Record<string, Joi.Schema> {
  const word = prefix === 'shipping' ? 'Shipping' : 'Billing';
  const need = (s: Joi.StringSchema) => (required ? s.required() : s.allow(''));
  const label = (field: AddressField) => `${word} ${FIELD_LABELS[field].toLowerCase()}`;
  return {
    [`${prefix}Name`]: need(Joi.string().trim().max(200)).label(label('name')),
    [`${prefix}Line1`]: need(Joi.string().trim().max(200)).label(label('line1')),
    [`${prefix}Line2`]: Joi.string().trim().max(200).allow('').label(label('line2')),
    [`${prefix}City`]: need(Joi.string().trim().max(100)).label(label('city')),
    [`${prefix}Region`]: Joi.string().trim().max(100).allow('').label(label('region')),
    [`${prefix}PostalCode`]: need(
      Joi.string()
        .trim()
        .max(20)
        .pattern(/^[A-Za-z0-9][A-Za-z0-9 -]{1,18}[A-Za-z0-9]$/),
    )
      .label(label('postalCode'))
      .messages({ 'string.pattern.base': `${word} postal code must be letters, digits, spaces or dashes` }),
    [`${prefix}Country`]: need(Joi.string().valid(...COUNTRY_CODES))
      .label(label('country'))
      .messages({ 'any.only': `Choose a ${prefix} country from the list` }),
  };
}

function schema(billingSameAsShipping: boolean): Joi.ObjectSchema<Record<string, string>> {
  return Joi.object<Record<string, string>>({
    email: Joi.string()
      .trim()
      .max(254)
      .email({ tlds: { allow: false } })
      .required()
      .label('Email'),
    ...addressSchema('shipping', true),
    billingSameAsShipping: Joi.string().valid('on').allow(''),
    ...addressSchema('billing', !billingSameAsShipping),
    shippingMethod: Joi.string()
      .valid(...SHIPPING_METHOD_IDS)
      .required()
      .label('Shipping method')
      .messages({ 'any.only': 'Choose a shipping method' }),
  }).messages({ 'object.unknown': 'The form has a field this page did not ask for: {{#label}}' });
}

// Built once: compiling the Joi schema cost more than validating a form with it.
const SCHEMAS = { sameAsShipping: schema(true), separateBilling: schema(false) } as const;

function readAddress(values: Record<string, string>, prefix: 'shipping' | 'billing'): PostalAddress {
  const get = (field: AddressField) => values[`${prefix}${field[0].toUpperCase()}${field.slice(1)}`] ?? '';
  const optional = (v: string) => (v === '' ? null : v);
  return {
    name: get('name'),
    line1: get('line1'),
    line2: optional(get('line2')),
    city: get('city'),
    region: optional(get('region')),
    postalCode: get('postalCode').toUpperCase(),
    country: get('country'),
  };
}

export type CheckoutFormResult =
  | { readonly ok: true; readonly details: CheckoutDetails }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>>; readonly formErrors: readonly string[] };

/**
 * Validates the submitted checkout form (every field, unknown ones refused). Errors are keyed by
 * form field name so the page can show each next to its field.
 */
export function parseCheckoutForm(body: unknown): CheckoutFormResult {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const sameAsShipping = input.billingSameAsShipping === 'on';
  const checked = checkInput<Record<string, string>>(sameAsShipping ? SCHEMAS.sameAsShipping : SCHEMAS.separateBilling, input, {
    errors: { wrap: { label: false } },
  });
  if (!checked.ok) {
    const errors: Record<string, string> = {};
    const formErrors: string[] = [];
    for (const detail of checked.problems) {
      // A field the page never showed has no place to show its error: it goes above the form.
      if (detail.type === 'object.unknown') formErrors.push(detail.message);
      else errors[String(detail.path[0])] ??= detail.message;
    }
    return { ok: false, errors, formErrors };
  }
  const values = checked.value;
  const shipping = readAddress(values, 'shipping');
  return {
    ok: true,
    details: {
      email: values.email.toLowerCase(),
      shipping,
      billing: sameAsShipping ? shipping : readAddress(values, 'billing'),
      shippingMethod: values.shippingMethod as ShippingMethodId,
    },
  };
}
