import type { EntityManager } from 'typeorm';
import type { StoreConfig } from '../config';
import { Order } from '../orders/order.entity';
import type { OrderTransitions } from '../orders/order-transitions';
import { MONEY_HOLDING_STATUSES } from '../orders/payment-state';
import { Payment } from './payment.entity';
import type { PaymentOutcome } from './payment-gateway';
import { decideSettlement, type SettlementDecision } from './settlement-decision';

/** Raised when the payment row changed between reading and writing it; the caller tries again. */
export class PaymentChangedConcurrently extends Error {}

function outcomeColumns(outcome: PaymentOutcome): Partial<Payment> {
  const columns: Partial<Payment> = {};
  if (outcome.paymentRef) columns.paymentRef = outcome.paymentRef;
  if (outcome.status === 'declined') columns.declineMessage = outcome.message.slice(0, 500);
  // Voided before settlement: no money was ever taken.
  if (outcome.status === 'cancelled') columns.capturedAmount = 0;
  if (outcome.status === 'captured' || outcome.status === 'authorised') {
    if (outcome.status === 'captured') columns.capturedAmount = outcome.amount.amount;
    columns.avsStreet = outcome.avs.street;
    columns.avsPostalCode = outcome.avs.postalCode;
    columns.cvcCheck = outcome.avs.cvc;
    columns.avsRaw = JSON.stringify(outcome.avs.raw).slice(0, 255);
  }
  return columns;
}

/**
 * Applies what a gateway says about a payment, inside the caller's transaction: decides with
 * {@link decideSettlement}, updates the payment only if it still has the status the decision
 * was made on (the decision follows the payment state table), and moves the order through the
 * order state machine, whose registered effects do the rest. Every path that learns a payment's state (callback, return page,
 * reconciliation, admin action) goes through here, so they cannot disagree or apply twice.
 */
export async function settlePayment(
  manager: EntityManager,
  transitions: OrderTransitions,
  paymentId: number,
  outcome: PaymentOutcome,
  policy: StoreConfig['avsPolicy'],
): Promise<SettlementDecision> {
  const payment = await manager.findOneByOrFail(Payment, { id: paymentId });
  const order = await manager.findOneByOrFail(Order, { id: payment.orderId });
  // A payment whose money is already on its way back (refund or void owed) does not count.
  const otherPaymentHoldsMoney = await manager
    .createQueryBuilder(Payment, 'p')
    .where('p.order_id = :orderId AND p.id <> :id AND p.status IN (:...held)', {
      orderId: order.id,
      id: payment.id,
      held: MONEY_HOLDING_STATUSES,
    })
    .andWhere("(p.follow_up IS NULL OR p.follow_up = 'capture')")
    .getExists();
  const decision = decideSettlement({ policy, orderStatus: order.status, paymentStatus: payment.status, outcome, otherPaymentHoldsMoney });
  if (decision.paymentStatus === null) return decision;

  const updated = await manager
    .createQueryBuilder()
    .update(Payment)
    .set({ ...outcomeColumns(outcome), status: decision.paymentStatus, ...(decision.followUp ? { followUp: decision.followUp } : {}) })
    .where('id = :id AND status = :status', { id: payment.id, status: payment.status })
    .execute();
  if (updated.affected !== 1) throw new PaymentChangedConcurrently(`payment ${payment.id} changed while settling`);

  if (decision.order) {
    const confirmedAmount = outcome.status === 'captured' || outcome.status === 'authorised' ? outcome.amount.amount : undefined;
    await transitions.apply(manager, order, {
      to: decision.order.to,
      reason: decision.order.reason,
      ...(confirmedAmount !== undefined ? { confirmedAmount } : {}),
    });
  }
  if (decision.reviewReason) await manager.update(Order, { id: order.id }, { reviewReason: decision.reviewReason });
  return decision;
}
