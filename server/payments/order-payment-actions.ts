import type { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { conflict, DomainError, notFound } from '../domain-error';
import { formatMoney, money, type Money } from '../money';
import { Order } from '../orders/order.entity';
import { mayTake, targetOf, type OrderAction } from '../orders/order-state';
import type { OrderTransitions } from '../orders/order-transitions';
import { OPEN_PAYMENT_STATUSES } from '../orders/payment-state';
import type { GatewayRegistry } from './gateway-registry';
import { loadOrderFacts } from './order-payment-facts';
import { Payment } from './payment.entity';
import type { PaymentFollowUps } from './payment-follow-ups';
import type { PaymentOutcome } from './payment-gateway';
import type { Refund } from './refund.entity';
import type { Refunds } from './refunds';

/** What an action did, in words for the admin. */
export interface ActionResult {
  readonly message: string;
}

const refused = (code: string, message: string): DomainError => new DomainError('refused', code, message);

/**
 * What an admin may do to an order's payment: capture or void a held authorisation, refund,
 * cancel an unpaid order, re-sync with the gateway. Each goes to the gateway that took the
 * payment, then through the one settlement routine and the order state machine; a gateway's
 * refusal is thrown (422, its message) and leaves everything as it was.
 */
export class OrderPaymentActions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly followUps: PaymentFollowUps,
    private readonly refunds: Refunds,
    private readonly transitions: OrderTransitions,
    private readonly clock: () => Date,
  ) {}

  private async order(orderId: number): Promise<Order> {
    const order = await this.dataSource.getRepository(Order).findOneBy({ id: orderId });
    if (!order) throw notFound(`Order ${orderId}`);
    return order;
  }

  /** The order, if the state machine allows `action` on it now; else a conflict saying why. */
  private async orderAllowing(orderId: number, action: OrderAction, code: string, refusal: string): Promise<Order> {
    const order = await this.order(orderId);
    const check = mayTake(action, await loadOrderFacts(this.dataSource, order, this.clock()));
    if (!check.allowed) throw conflict(code, `${refusal}; ${check.reason}.`);
    return order;
  }

  private async heldPayment(
    orderId: number,
    action: 'capture' | 'void',
  ): Promise<{ order: Order; payment: Payment & { paymentRef: string } }> {
    const order = await this.orderAllowing(orderId, action, 'order_not_held', "Only a held order's payment can be captured or voided");
    const payment = await this.dataSource
      .getRepository(Payment)
      .findOne({ where: { orderId, status: 'authorised' }, order: { id: 'DESC' } });
    if (!payment?.paymentRef) throw conflict('nothing_authorised', 'This order has no authorised payment to capture or void.');
    return { order, payment: payment as Payment & { paymentRef: string } };
  }

  /** Captures a held authorisation: the order becomes paid. */
  async captureHeld(orderId: number): Promise<ActionResult> {
    const { payment } = await this.heldPayment(orderId, 'capture');
    const amount = money(payment.amount, payment.currency);
    const outcome = await this.gateways.get(payment.gateway).capture(payment.paymentRef, amount, `${payment.attemptKey}:capture`);
    if (outcome.status !== 'captured') throw refused('capture_refused', `The gateway did not capture the payment: ${describe(outcome)}`);
    await this.followUps.apply(payment.id, outcome);
    const order = await this.order(orderId);
    if (order.status !== targetOf('capture'))
      throw conflict('order_changed', `The payment was captured but the order is ${order.status}; re-sync it.`);
    return { message: `Captured ${formatMoney(outcome.amount)}; the order is paid.` };
  }

  /** Voids a held authorisation: no money moves and the order is cancelled (its stock released). */
  async voidHeld(orderId: number): Promise<ActionResult> {
    const { payment } = await this.heldPayment(orderId, 'void');
    const outcome = await this.gateways.get(payment.gateway).cancel(payment.paymentRef, `${payment.attemptKey}:cancel`);
    if (outcome.status !== 'cancelled') throw refused('void_refused', `The gateway did not void the payment: ${describe(outcome)}`);
    await this.followUps.apply(payment.id, outcome);
    await this.cancelOrder(orderId, 'void', 'Held payment voided by an admin');
    return { message: 'Voided the authorisation; the order is cancelled and its items are back in stock.' };
  }

  /**
   * Cancels an order still awaiting payment, closing any payment page open at a gateway first.
   * If the shopper paid meanwhile, that payment wins and the cancel is refused.
   */
  async cancelUnpaid(orderId: number): Promise<ActionResult> {
    await this.orderAllowing(orderId, 'cancel', 'order_not_cancellable', 'Only an order awaiting payment can be cancelled');
    const open = await this.dataSource
      .getRepository(Payment)
      .find({ where: OPEN_PAYMENT_STATUSES.map((status) => ({ orderId, status })), order: { id: 'ASC' } });
    for (const payment of open) {
      const ref = payment.checkoutRef ?? payment.paymentRef;
      if (!ref) continue;
      const outcome = await this.gateways.get(payment.gateway).cancel(ref, `${payment.attemptKey}:cancel`);
      await this.followUps.apply(payment.id, outcome);
    }
    await this.cancelOrder(orderId, 'cancel', 'Cancelled by an admin before payment', "The shopper's payment arrived meanwhile");
    return { message: 'Cancelled the order; its items are back in stock.' };
  }

  /** Refunds part or all of what was captured (never more). */
  async refund(orderId: number, amount: Money): Promise<ActionResult & { refund: Refund }> {
    const refund = await this.refunds.refundOrder(orderId, amount);
    return { message: `Refunded ${formatMoney(amount)}.`, refund };
  }

  /** Asks the gateway where the order's latest payment stands and applies its answer. */
  async resync(orderId: number): Promise<ActionResult> {
    await this.order(orderId);
    const payment = await this.followUps.latestPayment(orderId);
    if (!payment) return { message: 'This order has no payment at any gateway yet; nothing to re-sync.' };
    const outcome = await this.followUps.refresh(payment);
    if (payment.followUp) await this.followUps.runFollowUp(payment.id);
    const order = await this.order(orderId);
    return {
      message: outcome
        ? `The gateway says the payment is ${outcome.status}; the order is ${order.status}.`
        : 'The gateway has no record of this payment yet.',
    };
  }

  /** Cancels the order if `action` is still allowed on it (a payment may have arrived meanwhile). */
  private async cancelOrder(
    orderId: number,
    action: 'void' | 'cancel',
    reason: string,
    changedMeanwhile = 'The order changed meanwhile',
  ): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const order = await manager.findOneByOrFail(Order, { id: orderId });
      if (!mayTake(action, { status: order.status, expiresAt: order.expiresAt, now: this.clock() }).allowed) {
        throw conflict('order_changed', `${changedMeanwhile}: the order is now ${order.status} and was not cancelled.`);
      }
      await this.transitions.apply(manager, order, { to: 'cancelled', reason });
    });
  }
}

function describe(outcome: PaymentOutcome): string {
  return outcome.status === 'declined' ? outcome.message : `it reports the payment as ${outcome.status}`;
}
