import { formatMoney, money } from '../money';
import type { Address } from './address.entity';
import type { Order } from './order.entity';
import type { OrderStatus } from './order-state';

/** The number shoppers and admins quote: `PS-000042`. */
export function orderNumber(id: number): string {
  return `PS-${String(id).padStart(6, '0')}`;
}

const SHOPPER_TEXT: Readonly<Record<OrderStatus, { label: string; explanation: string }>> = {
  pending_payment: { label: 'Awaiting payment', explanation: 'We have reserved your items and are waiting for your payment.' },
  on_hold: {
    label: 'Payment under review',
    explanation: 'Your payment is authorised and is being reviewed; we will e-mail you when it is confirmed.',
  },
  paid: { label: 'Paid', explanation: 'Thank you! Your payment is confirmed and your order is being prepared.' },
  payment_failed: {
    label: 'Payment failed',
    explanation: 'The payment did not go through, so nothing was charged and the order was not placed.',
  },
  expired: {
    label: 'Expired',
    explanation: 'This order was not paid in time, so its items were released. Your cart is still on the shop page.',
  },
  cancelled: { label: 'Cancelled', explanation: 'This order was cancelled.' },
  partially_refunded: { label: 'Partially refunded', explanation: 'Part of this order was refunded to your payment method.' },
  refunded: { label: 'Refunded', explanation: 'This order was refunded to your payment method.' },
  shipped: { label: 'Shipped', explanation: 'Your order is on its way.' },
};

/** The shopper-facing label and sentence for an order status. */
export function shopperStatusText(status: OrderStatus): { label: string; explanation: string } {
  return SHOPPER_TEXT[status];
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** An address as lines for display. */
export function addressLines(address: Address): string[] {
  return [
    address.name,
    address.line1,
    address.line2,
    [address.postalCode, address.city].join(' '),
    address.region,
    regionNames.of(address.country) ?? address.country,
  ].filter((l): l is string => typeof l === 'string' && l.length > 0);
}

/** The rows of an order-summary table, formatted for display. */
export interface SummaryData {
  lines: { name: string; quantity: number; total: string }[];
  subtotal: string;
  shipping: string | null;
  total: string;
}

/** The summary of a placed order, from its frozen lines and amounts. */
export function orderSummary(order: Order): SummaryData {
  const m = (amount: number) => formatMoney(money(amount, order.currency));
  return {
    lines: [...order.lines].sort((a, b) => a.id - b.id).map((l) => ({ name: l.name, quantity: l.quantity, total: m(l.lineTotal) })),
    subtotal: m(order.subtotal),
    shipping: m(order.shippingAmount),
    total: m(order.total),
  };
}
