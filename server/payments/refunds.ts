import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { conflict, DomainError, invalidInput } from '../domain-error';
import type { Logger } from '../logger';
import { formatMoney, money, type Money } from '../money';
import { Order } from '../orders/order.entity';
import { mayTake, statusAfterRefund, statusesAllowing } from '../orders/order-state';
import type { OrderTransitions } from '../orders/order-transitions';
import type { GatewayRegistry } from './gateway-registry';
import { Payment } from './payment.entity';
import { Refund } from './refund.entity';

/**
 * Refunds of captured payments. Refusing more than remains is done before the gateway is asked,
 * with a conditional update, so concurrent refunds cannot exceed what was captured.
 */
export class Refunds {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly transitions: OrderTransitions,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** Refunds part or all of what an order's payment captured; the order follows (partially) refunded. */
  async refundOrder(orderId: number, amount: Money): Promise<Refund> {
    const order = await this.dataSource.getRepository(Order).findOneByOrFail({ id: orderId });
    const payment = await this.dataSource.getRepository(Payment).findOne({ where: { orderId, status: 'captured' }, order: { id: 'ASC' } });
    const refundable = payment ? payment.capturedAmount - payment.refundedAmount : 0;
    const check = mayTake('refund', { status: order.status, expiresAt: order.expiresAt, now: this.clock(), refundable });
    if (!check.allowed) throw conflict('order_not_refundable', `This order cannot be refunded: ${check.reason}`);
    if (amount.currency !== order.currency) throw invalidInput(`Refunds of this order are in ${order.currency}`);
    if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0)
      throw invalidInput('A refund must be a positive whole number of minor units');
    return this.refundPayment(payment!, amount, 'refund requested');
  }

  /** Refunds `amount` of one captured payment at its gateway; a refusal is thrown (kind `refused`). */
  async refundPayment(payment: Payment, amount: Money, why: string): Promise<Refund> {
    const refund = await inTransaction(this.dataSource, async (manager) => {
      const reserved = await manager
        .createQueryBuilder()
        .update(Payment)
        .set({ refundedAmount: () => 'refunded_amount + :amount' })
        .where('id = :id AND refunded_amount + :amount <= captured_amount', { id: payment.id })
        .setParameter('amount', amount.amount)
        .execute();
      if (reserved.affected !== 1) {
        const current = await manager.findOneByOrFail(Payment, { id: payment.id });
        throw conflict(
          'refund_exceeds_captured',
          `At most ${formatMoney(money(current.capturedAmount - current.refundedAmount, current.currency))} of this payment can still be refunded.`,
        );
      }
      return manager.save(
        Refund,
        manager.create(Refund, { paymentId: payment.id, amount: amount.amount, currency: amount.currency, status: 'requested' }),
      );
    });

    const outcome = await this.gateways
      .get(payment.gateway)
      .refund(payment.paymentRef!, amount, `${payment.attemptKey}:refund:${refund.id}`)
      .catch(async (err: unknown) => {
        await this.releaseRefund(payment.id, refund, amount, err instanceof Error ? err.message : 'gateway error');
        throw err;
      });
    if (outcome.status === 'refused') {
      await this.releaseRefund(payment.id, refund, amount, outcome.message);
      throw new DomainError('refused', 'refund_refused', `The gateway refused the refund: ${outcome.message}`);
    }
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(Refund, { id: refund.id }, { status: 'refunded', refundRef: outcome.refundRef });
      const current = await manager.findOneByOrFail(Payment, { id: payment.id });
      await this.syncOrder(manager, current, `${why}: ${formatMoney(amount)}`);
    });
    this.logger.info({ paymentId: payment.id, refundId: refund.id, amount: amount.amount }, 'refund done');
    return { ...refund, status: 'refunded', refundRef: outcome.refundRef };
  }

  /**
   * Moves a paid order to partially_refunded or refunded to match what its payment has had
   * refunded (store-initiated or reported by a gateway callback), inside the caller's transaction.
   */
  async syncOrder(manager: EntityManager, payment: Payment, reason: string): Promise<void> {
    const order = await manager.findOneByOrFail(Order, { id: payment.orderId });
    // The gateway's refund counts; the order follows only from a status that refunds may leave.
    if (payment.refundedAmount <= 0 || !statusesAllowing('refund').includes(order.status)) return;
    await this.transitions.apply(manager, order, {
      to: statusAfterRefund(order.total, payment.refundedAmount),
      reason,
      refundedAmount: payment.refundedAmount,
    });
  }

  private async releaseRefund(paymentId: number, refund: Refund, amount: Money, message: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .update(Payment)
        .set({ refundedAmount: () => 'refunded_amount - :amount' })
        .where('id = :id', { id: paymentId })
        .setParameter('amount', amount.amount)
        .execute();
      await manager.update(Refund, { id: refund.id }, { status: 'refused', message: message.slice(0, 500) });
    });
  }
}
