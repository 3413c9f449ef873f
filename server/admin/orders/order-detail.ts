import type { DataSource } from 'typeorm';
import { formatMoney, money } from '../../money';
import { Order } from '../../orders/order.entity';
import { allowedActions } from '../../orders/order-state';
import { addressLines, orderNumber, orderSummary, type SummaryData } from '../../orders/order-presentation';
import { orderFactsFrom } from '../../payments/order-payment-facts';
import { Payment } from '../../payments/payment.entity';
import { Refund } from '../../payments/refund.entity';
import { addressCheckWords } from './address-check-words';
import { statusLabel } from './order-status-labels';
import { orderTimeline, type TimelineEntry } from './order-timeline';

/** The actions the order state machine allows on an order now, as the order page offers them. */
export interface AvailableActions {
  readonly capture: boolean;
  readonly void: boolean;
  readonly cancel: boolean;
  readonly refund: boolean;
  readonly ship: boolean;
  readonly resync: boolean;
}

/** One payment attempt as the admin sees it. */
export interface PaymentView {
  readonly id: number;
  readonly gateway: string;
  readonly status: string;
  readonly reference: string | null;
  readonly amount: string;
  readonly captured: string;
  readonly refunded: string;
  readonly addressCheck: string | null;
  readonly rawCodes: string | null;
  readonly declineMessage: string | null;
  readonly refunds: { readonly amount: string; readonly status: string; readonly at: Date; readonly message: string | null }[];
}

/** Everything the order page and `GET /api/admin/orders/:id` show. */
export interface OrderDetail {
  readonly id: number;
  readonly number: string;
  readonly publicId: string;
  readonly status: Order['status'];
  readonly statusLabel: string;
  readonly reviewReason: string | null;
  readonly createdAt: Date;
  readonly email: string;
  readonly currency: string;
  readonly summary: SummaryData;
  readonly shippingMethod: string;
  readonly shippingAddress: string[];
  readonly billingAddress: string[];
  readonly trackingNote: string | null;
  readonly payments: PaymentView[];
  /** Minor units that can still be refunded. */
  readonly refundable: number;
  readonly refundableText: string;
  readonly actions: AvailableActions;
  readonly timeline: TimelineEntry[];
}

const REVIEW_REASONS: Readonly<Record<string, string>> = {
  address_check_failed: 'The address check failed: review before shipping.',
};

/** The admin's view of one order, or null when there is none with that id. */
export async function loadOrderDetail(dataSource: DataSource, orderId: number, now: Date): Promise<OrderDetail | null> {
  const order = await dataSource
    .getRepository(Order)
    .findOne({ where: { id: orderId }, relations: { lines: true, shippingAddress: true, billingAddress: true } });
  if (!order) return null;
  const payments = await dataSource.getRepository(Payment).find({ where: { orderId }, order: { id: 'ASC' } });
  const refunds = payments.length
    ? await dataSource.getRepository(Refund).find({ where: payments.map((p) => ({ paymentId: p.id })), order: { id: 'ASC' } })
    : [];
  const m = (amount: number) => formatMoney(money(amount, order.currency));
  const facts = orderFactsFrom(order, payments, now);
  const refundable = facts.refundable ?? 0;
  const allowed = new Set(allowedActions(facts));

  return {
    id: order.id,
    number: orderNumber(order.id),
    publicId: order.publicId,
    status: order.status,
    statusLabel: statusLabel(order.status),
    reviewReason: order.reviewReason ? (REVIEW_REASONS[order.reviewReason] ?? order.reviewReason) : null,
    createdAt: order.createdAt,
    email: order.email,
    currency: order.currency,
    summary: orderSummary(order),
    shippingMethod: order.shippingMethod,
    shippingAddress: addressLines(order.shippingAddress),
    billingAddress: addressLines(order.billingAddress),
    trackingNote: order.trackingNote,
    payments: payments.map((p) => ({
      id: p.id,
      gateway: p.gateway === 'stripe' ? 'Stripe' : 'Braintree',
      status: p.status,
      reference: p.paymentRef ?? p.checkoutRef,
      amount: m(p.amount),
      captured: m(p.capturedAmount),
      refunded: m(p.refundedAmount),
      addressCheck: addressCheckWords(p.avsStreet, p.avsPostalCode, p.cvcCheck),
      rawCodes: p.avsRaw,
      declineMessage: p.declineMessage,
      refunds: refunds
        .filter((r) => r.paymentId === p.id)
        .map((r) => ({ amount: m(r.amount), status: r.status, at: r.createdAt, message: r.message })),
    })),
    refundable,
    refundableText: m(refundable),
    actions: {
      capture: allowed.has('capture'),
      void: allowed.has('void'),
      cancel: allowed.has('cancel'),
      refund: allowed.has('refund'),
      ship: allowed.has('ship'),
      resync: allowed.has('resync'),
    },
    timeline: await orderTimeline(dataSource, order.id),
  };
}
