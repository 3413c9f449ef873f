import Joi from 'joi';
import { ORDER_STATUSES, type OrderStatus } from '../../orders/order-state';

/** What the order list can be narrowed to: a status, or the orders flagged by the address check. */
export type StatusFilter = OrderStatus | 'flagged';

/** The order list's filters, as the list page's form and the API take them. */
export interface OrderFilters {
  readonly status?: StatusFilter;
  /** Inclusive, `YYYY-MM-DD` (UTC). */
  readonly from?: string;
  /** Inclusive, `YYYY-MM-DD` (UTC). */
  readonly to?: string;
  /** An order number (`PS-000042` or `42`) or part of an email. */
  readonly q?: string;
  readonly page: number;
}

/** Labels of the status filter, in the order the list offers them. */
export const STATUS_FILTER_LABELS: ReadonlyArray<readonly [StatusFilter, string]> = [
  ['pending_payment', 'Pending payment'],
  ['paid', 'Paid'],
  ['on_hold', 'On hold'],
  ['flagged', 'Flagged by address check'],
  ['payment_failed', 'Failed'],
  ['expired', 'Expired'],
  ['cancelled', 'Cancelled'],
  ['partially_refunded', 'Partially refunded'],
  ['refunded', 'Refunded'],
  ['shipped', 'Shipped'],
];

const isoDate = Joi.string()
  .pattern(/^\d{4}-\d{2}-\d{2}$/)
  .custom((value: string, helpers) => (Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? helpers.error('date.base') : value))
  .messages({ 'string.pattern.base': '{{#label}} must be a date like 2026-11-25', 'date.base': '{{#label}} is not a real date' });

/** Validation of the list's query string; empty fields mean "any". */
export const orderFiltersSchema = Joi.object<OrderFilters>({
  status: Joi.string()
    .valid(...ORDER_STATUSES, 'flagged')
    .empty(''),
  from: isoDate.empty(''),
  to: isoDate.empty(''),
  q: Joi.string().trim().max(254).empty(''),
  page: Joi.number().integer().min(1).max(100_000).default(1),
});

/** An order number typed by an admin (`PS-000042`, `ps-42`, `42`) as the order's id, or null. */
export function orderIdFromNumber(q: string): number | null {
  const match = /^(?:ps-?)?0*(\d{1,9})$/i.exec(q.trim());
  return match ? Number(match[1]) : null;
}
