import type { DataSource } from 'typeorm';
import type { StoreConfig } from '../config';
import { inTransaction } from '../db/transaction';
import { DomainError, isDomainError } from '../domain-error';
import type { Logger } from '../logger';
import { money, type Money } from '../money';
import type { OrderTransitions } from '../orders/order-transitions';
import type { GatewayRegistry } from './gateway-registry';
import { Payment } from './payment.entity';
import type { GatewayId, PaymentOutcome } from './payment-gateway';
import { PaymentChangedConcurrently, settlePayment } from './payment-settlement';
import type { Refunds } from './refunds';
import type { SettlementDecision } from './settlement-decision';

/**
 * What the store does with what a gateway says about a payment: applies it (through
 * {@link settlePayment}, in one transaction), then makes the gateway call the decision still
 * owes (capture, void, or giving the money back). Every path that learns a payment's state
 * comes through here.
 */
export class PaymentFollowUps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly transitions: OrderTransitions,
    private readonly refunds: Refunds,
    private readonly config: Pick<StoreConfig, 'avsPolicy'>,
    private readonly logger: Logger,
  ) {}

  /** The latest payment attempt of an order, if any. */
  latestPayment(orderId: number, gateway?: GatewayId): Promise<Payment | null> {
    return this.dataSource.getRepository(Payment).findOne({ where: { orderId, ...(gateway ? { gateway } : {}) }, order: { id: 'DESC' } });
  }

  /** Asks the gateway where a payment stands (never trusting a URL) and applies the answer. */
  async refresh(payment: Payment): Promise<PaymentOutcome | null> {
    const ref = payment.checkoutRef ?? payment.paymentRef;
    if (!ref) return null;
    const outcome = await this.gateways.get(payment.gateway).fetchStatus(ref);
    await this.apply(payment.id, outcome);
    return outcome;
  }

  /** Applies a gateway's answer in one transaction, then makes any gateway call the decision owes. */
  async apply(paymentId: number, outcome: PaymentOutcome): Promise<SettlementDecision> {
    const decision = await this.settle(paymentId, outcome);
    if (decision.followUp) await this.runFollowUp(paymentId);
    return decision;
  }

  /** Applies a gateway's answer in one transaction, deciding again if the payment changed meanwhile. */
  private async settle(paymentId: number, outcome: PaymentOutcome): Promise<SettlementDecision> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.dataSource, (manager) =>
          settlePayment(manager, this.transitions, paymentId, outcome, this.config.avsPolicy),
        );
      } catch (err) {
        // Someone else settled the same payment first; decide again on what they left.
        if (!(err instanceof PaymentChangedConcurrently) || attempt >= 3) throw err;
      }
    }
  }

  /**
   * Makes the gateway call a settlement decided on (capture after passed checks, void or refund
   * when the money must go back). Failures leave the follow-up in place for reconciliation.
   */
  async runFollowUp(paymentId: number): Promise<void> {
    const payment = await this.dataSource.getRepository(Payment).findOneByOrFail({ id: paymentId });
    if (!payment.followUp || !payment.paymentRef) return;
    const gateway = this.gateways.get(payment.gateway);
    const amount = money(payment.amount, payment.currency);
    try {
      switch (payment.followUp) {
        case 'capture': {
          const outcome = await gateway.capture(payment.paymentRef, amount, `${payment.attemptKey}:capture`);
          await this.clearFollowUp(payment, 'capture');
          await this.apply(payment.id, outcome);
          break;
        }
        case 'cancel': {
          const outcome = await gateway.cancel(payment.paymentRef, `${payment.attemptKey}:cancel`);
          await this.clearFollowUp(payment, 'cancel');
          await this.apply(payment.id, outcome);
          break;
        }
        case 'refund': {
          const refundable = money(payment.capturedAmount - payment.refundedAmount, payment.currency);
          if (refundable.amount > 0) await this.giveBack(payment, refundable);
          await this.clearFollowUp(payment, 'refund');
          break;
        }
      }
    } catch (err) {
      this.logger.warn({ err, paymentId, followUp: payment.followUp }, 'payment follow-up failed; reconciliation will retry');
      if (!(err instanceof DomainError)) throw err;
    }
  }

  /**
   * Returns a whole captured payment: refunded, or voided when the gateway cannot refund it yet
   * (Braintree refunds only settled transactions; before settlement the capture is voided).
   */
  private async giveBack(payment: Payment, amount: Money): Promise<void> {
    try {
      await this.refunds.refundPayment(payment, amount, 'returned automatically');
    } catch (err) {
      if (!(isDomainError(err, 'refused') && err.code === 'refund_refused')) throw err;
      const outcome = await this.gateways.get(payment.gateway).cancel(payment.paymentRef!, `${payment.attemptKey}:cancel`);
      if (outcome.status !== 'cancelled') throw err;
      await this.settle(payment.id, outcome);
    }
  }

  private async clearFollowUp(payment: Payment, followUp: NonNullable<Payment['followUp']>): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(Payment)
        .set({ followUp: null })
        .where('id = :id AND follow_up = :followUp', { id: payment.id, followUp })
        .execute(),
    );
  }
}
