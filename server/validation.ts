import type Joi from 'joi';
import { invalidInput } from './domain-error';

/**
 * Keys refused at any depth of any input. joi's unknown-key rule does not see `__proto__` (it is
 * not enumerable through the prototype chain it guards), and the other two are the usual tools of
 * prototype-pollution payloads: no schema of the store names them, so they are never legitimate.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_WALK_DEPTH = 64;

function forbiddenKeyProblems(value: unknown, path: (string | number)[], found: Joi.ValidationErrorItem[]): void {
  if (value === null || typeof value !== 'object' || path.length > MAX_WALK_DEPTH) return;
  for (const key of Object.keys(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (FORBIDDEN_KEYS.has(key)) {
      const label = at.join('.');
      found.push({ message: `"${label}" is not allowed`, path: at, type: 'object.unknown', context: { key, label } });
    } else {
      forbiddenKeyProblems((value as Record<string, unknown>)[key], at, found);
    }
  }
}

/**
 * Refuses input holding a `__proto__`, `constructor` or `prototype` key at any depth, for input
 * that is read field by field rather than against a schema (browser-defined formats whose fields
 * grow with every browser release).
 *
 * @throws DomainError `invalid_input` naming each such key
 */
export function refuseForbiddenKeys(input: unknown, what: string): void {
  const forbidden: Joi.ValidationErrorItem[] = [];
  forbiddenKeyProblems(input, [], forbidden);
  if (forbidden.length > 0) throw invalidProblems(forbidden, what);
}

function invalidProblems(problems: Joi.ValidationErrorItem[], what: string) {
  return invalidInput(
    `The ${what} is invalid: ${problems.map((d) => d.message).join('; ')}`,
    problems.map((d) => ({ path: d.path.join('.'), message: d.message })),
  );
}

/** What checking input against a schema gives: the converted value, or every problem found. */
export type InputCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: Joi.ValidationErrorItem[] };

/**
 * Checks input against a joi schema the one way the store does it: unknown keys rejected
 * (including `__proto__`, `constructor` and `prototype` at any depth), every problem reported,
 * values converted to their schema types. `options` may change how joi reports (abortEarly, errors).
 */
export function checkInput<T>(schema: Joi.Schema<T>, input: unknown, options: Joi.ValidationOptions = {}): InputCheck<T> {
  const forbidden: Joi.ValidationErrorItem[] = [];
  forbiddenKeyProblems(input, [], forbidden);
  if (forbidden.length > 0) return { ok: false, problems: forbidden };
  const result: Joi.ValidationResult<T> = schema.validate(input ?? {}, {
    abortEarly: false,
    ...options,
    allowUnknown: false,
    convert: true,
  });
  return result.error ? { ok: false, problems: result.error.details } : { ok: true, value: result.value };
}

/**
 * Validates input against a joi schema ({@link checkInput}) and returns the converted value, or
 * throws an `invalid_input` error whose `details` give each problem with the path of its field.
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, what = 'request body'): T {
  const checked = checkInput(schema, input);
  if (checked.ok) return checked.value;
  throw invalidProblems(checked.problems, what);
}
