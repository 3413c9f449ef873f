import { shippingMethod, SHIPPING_METHOD_IDS, type ShippingMethodId } from '../checkout/shipping-methods';
import { formatMoney, money } from '../money';
import type { Order } from '../orders/order.entity';
import { addressLines, orderNumber, orderSummary, shopperStatusText, type SummaryData } from '../orders/order-presentation';
import type { OutboxMessage } from './outbox-message.entity';

/** What one e-mail says, before it is rendered as plain text and HTML. */
export interface MailContent {
  readonly subject: string;
  readonly heading: string;
  readonly paragraphs: readonly string[];
  /** Labelled facts (order number, status, tracking note…), shown as a list. */
  readonly details: readonly { readonly label: string; readonly value: string }[];
  readonly summary: SummaryData | null;
  readonly address: { readonly label: string; readonly lines: readonly string[] } | null;
  readonly link: { readonly label: string; readonly href: string };
}

/** The recorded facts of an outbox message that its content depends on. */
export type OrderMailFacts = Pick<OutboxMessage, 'kind' | 'orderStatus' | 'amount'>;

/**
 * Composes an order e-mail. `order` must come with its `lines` and `shippingAddress`. Nothing
 * about the payment beyond amounts is included (the store never has card data anyway).
 */
export function composeOrderMail(facts: OrderMailFacts, order: Order, publicUrl: string): MailContent {
  const number = orderNumber(order.id);
  const amount = (minor: number) => formatMoney(money(minor, order.currency));
  const statusPage = { label: 'View your order', href: `${publicUrl}/orders/${order.publicId}` };
  const shipTo = { label: 'Shipping to', lines: addressLines(order.shippingAddress) };

  switch (facts.kind) {
    case 'order_paid':
      return {
        subject: `Order ${number} confirmed`,
        heading: 'Thank you for your order',
        paragraphs: [shopperStatusText('paid').explanation, 'We will e-mail you again when it ships.'],
        details: [
          { label: 'Order', value: number },
          { label: 'Shipping method', value: shippingLabel(order.shippingMethod, order.currency) },
        ],
        summary: orderSummary(order),
        address: shipTo,
        link: statusPage,
      };
    case 'order_refunded': {
      const refunded = facts.amount ?? order.total;
      const full = refunded >= order.total;
      return {
        subject: full ? `Order ${number} refunded` : `Partial refund for order ${number}`,
        heading: full ? 'Your order has been refunded' : 'Part of your order has been refunded',
        paragraphs: [
          full
            ? `We have refunded ${amount(refunded)}, the whole of your order, to your payment method.`
            : `We have refunded part of your order to your payment method: ${amount(refunded)} of ${amount(order.total)} so far.`,
          'Depending on your bank, it can take a few working days to appear on your statement.',
        ],
        details: [
          { label: 'Order', value: number },
          { label: 'Refunded so far', value: amount(refunded) },
          { label: 'Order total', value: amount(order.total) },
        ],
        summary: null,
        address: null,
        link: statusPage,
      };
    }
    case 'order_shipped':
      return {
        subject: `Order ${number} has shipped`,
        heading: 'Your order is on its way',
        paragraphs: [shopperStatusText('shipped').explanation],
        details: [
          { label: 'Order', value: number },
          ...(order.trackingNote ? [{ label: 'Shipping details', value: order.trackingNote }] : []),
        ],
        summary: orderSummary(order),
        address: shipTo,
        link: statusPage,
      };
    case 'admin_new_order': {
      const held = facts.orderStatus === 'on_hold';
      return {
        subject: held ? `New order ${number} on hold (${amount(order.total)})` : `New order ${number} paid (${amount(order.total)})`,
        heading: held ? 'A new order is waiting for your decision' : 'A new order is paid',
        paragraphs: [
          held
            ? 'The payment is authorised but held because a check failed: capture or void it in the admin.'
            : 'The payment is confirmed; the order is ready to be prepared.',
        ],
        details: [
          { label: 'Order', value: number },
          { label: 'Status', value: held ? 'On hold' : 'Paid' },
          { label: 'Total', value: amount(order.total) },
          { label: 'Customer', value: order.email },
          ...(order.reviewReason ? [{ label: 'Needs review', value: order.reviewReason.replace(/_/g, ' ') }] : []),
        ],
        summary: orderSummary(order),
        address: shipTo,
        link: { label: 'Open the order in the admin', href: `${publicUrl}/admin/orders/${order.id}` },
      };
    }
  }
}

function shippingLabel(method: string, currency: string): string {
  return (SHIPPING_METHOD_IDS as readonly string[]).includes(method) ? shippingMethod(method as ShippingMethodId, currency).label : method;
}
