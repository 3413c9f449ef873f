import type Stripe from 'stripe';
import { invalidRequest } from './stripe-api-error';

/** A form-encoded request body or query string as `qs` parses Stripe's bracket notation. */
export type Params = Readonly<Record<string, unknown>>;

function missing(param: string) {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

/** An object parameter (`metadata[...]`), or undefined when absent. */
export function objectParam(value: unknown, param: string): Params | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest(`Invalid object`, { code: 'parameter_invalid_empty', param });
  return value as Params;
}

/**
 * A list parameter (`line_items[0][…]`, `expand[0]`). qs turns indexes above its array limit
 * into object keys, so numbered objects are read as lists too.
 */
export function listParam(value: unknown, param: string): unknown[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value as unknown[];
  if (typeof value === 'object' && value !== null && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]): unknown => v);
  }
  throw invalidRequest(`Invalid array`, { code: 'parameter_invalid_empty', param });
}

/** A string parameter; Stripe treats an empty string as "unset". */
export function stringParam(value: unknown, param: string, required: true): string;
export function stringParam(value: unknown, param: string, required?: false): string | undefined;
export function stringParam(value: unknown, param: string, required = false): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw missing(param);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${param}`, { code: 'parameter_invalid_string', param });
  return value;
}

/** A non-negative integer parameter (amounts, quantities, timestamps). */
export function integerParam(value: unknown, param: string, required: true): number;
export function integerParam(value: unknown, param: string, required?: false): number | undefined;
export function integerParam(value: unknown, param: string, required = false): number | undefined {
  const text = stringParam(value, param, required as false);
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw invalidRequest(`Invalid integer: ${text}`, { code: 'parameter_invalid_integer', param });
  return Number(text);
}

/** A boolean parameter (`true` / `false`). */
export function booleanParam(value: unknown, param: string): boolean | undefined {
  const text = stringParam(value, param);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false') throw invalidRequest(`Invalid boolean: ${text}`, { param });
  return text === 'true';
}

/** One of a fixed set of values. */
export function enumParam<T extends string>(value: unknown, param: string, allowed: readonly T[]): T | undefined {
  const text = stringParam(value, param);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw invalidRequest(`Invalid ${param}: must be one of ${allowed.join(', ')}`, { code: 'parameter_invalid_string', param });
  }
  return text as T;
}

/** `metadata`: up to 50 string keys (40 chars) and values (500 chars). */
export function metadataParam(value: unknown, param: string): Stripe.Metadata {
  const object = objectParam(value, param) ?? {};
  const entries = Object.entries(object);
  if (entries.length > 50) throw invalidRequest('Metadata can have up to 50 keys', { param });
  const metadata: Stripe.Metadata = {};
  for (const [key, v] of entries) {
    const text = stringParam(v, `${param}[${key}]`);
    if (key.length > 40 || (text?.length ?? 0) > 500)
      throw invalidRequest('Metadata keys are at most 40 characters and values at most 500', { param: `${param}[${key}]` });
    if (text !== undefined) metadata[key] = text;
  }
  return metadata;
}

/** `expand[]`: the paths to expand in the response. */
export function expandParam(value: unknown): string[] {
  return (listParam(value, 'expand') ?? []).map((v, i) => stringParam(v, `expand[${i}]`, true));
}

/** Refuses parameters the endpoint does not take, as Stripe does. */
export function rejectUnknown(params: Params, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
    }
  }
}
