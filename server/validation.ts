import type Joi from 'joi';
import { invalidInput } from './domain-error';

/**
 * Validates input against a joi schema, rejecting unknown keys, and returns the converted value.
 * Every problem is reported in `details`, each with the path of the offending field.
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, what = 'request body'): T {
  const result: Joi.ValidationResult<T> = schema.validate(input ?? {}, { abortEarly: false, allowUnknown: false, convert: true });
  if (result.error) {
    const { error } = result;
    throw invalidInput(
      `The ${what} is invalid: ${error.details.map((d) => d.message).join('; ')}`,
      error.details.map((d) => ({ path: d.path.join('.'), message: d.message })),
    );
  }
  return result.value;
}
