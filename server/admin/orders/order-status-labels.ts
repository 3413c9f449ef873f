import type { OrderStatus } from '../../orders/order-state';
import { STATUS_FILTER_LABELS } from './order-filters';

const LABELS = new Map<string, string>(STATUS_FILTER_LABELS);

/** The admin's name for an order status ("On hold", "Partially refunded"). */
export function statusLabel(status: OrderStatus): string {
  return LABELS.get(status) ?? status;
}
