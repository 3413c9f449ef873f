import Joi from 'joi';

/**
 * A product category is a slug (`stationery`, `home-and-kitchen`): lower-case letters, digits
 * and hyphens. The storefront, the snapshots and the WordPress plugin all name categories so.
 */
export const CATEGORY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Longest category slug the products table holds. */
export const CATEGORY_MAX_LENGTH = 60;

/** An optional `category` query parameter, with a message that says what a category looks like. */
export const categoryQuery = Joi.string()
  .max(CATEGORY_MAX_LENGTH)
  .pattern(CATEGORY_PATTERN)
  .messages({ 'string.pattern.base': '"category" must be a category slug: lower-case letters, digits and single hyphens' });
