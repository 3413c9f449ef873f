import type { DataSource } from 'typeorm';
import type { StoreConfig } from '../config';
import { inTransaction } from '../db/transaction';
import { conflict, DomainError } from '../domain-error';
import type { Logger } from '../logger';
import { formatMoney, money, type Money } from '../money';
import type { Address } from '../orders/address.entity';
import { Order } from '../orders/order.entity';
import { orderNumber } from '../orders/order-presentation';
import { transitionOrder } from '../orders/order-transitions';
import { randomToken } from '../random-token';
import { Payment } from './payment.entity';
import { type GatewayId, type PaymentOutcome } from './payment-gateway';
import type { GatewayRegistry } from './gateway-registry';
import { PaymentChangedConcurrently, settlePayment } from './payment-settlement';
import { Refund } from './refund.entity';
import type { SettlementDecision } from './settlement-decision';

const REFUNDABLE = new Set(['paid', 'shipped', 'partially_refunded']);

function postal(address: Address) {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
  };
}

/**
 * Payments of orders: starting them at a gateway, applying what the gateway says (through
 * {@link settlePayment}), the gateway calls a decision still owes, and refunds.
 */
export class PaymentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly config: Pick<StoreConfig, 'avsPolicy' | 'publicUrl'>,
    private readonly logger: Logger,
  ) {}

  /** The latest payment attempt of an order, if any. */
  latestPayment(orderId: number, gateway?: GatewayId): Promise<Payment | null> {
    return this.dataSource.getRepository(Payment).findOne({ where: { orderId, ...(gateway ? { gateway } : {}) }, order: { id: 'DESC' } });
  }

  private async payableOrder(orderId: number): Promise<Order> {
    const order = await this.dataSource.getRepository(Order).findOneOrFail({ where: { id: orderId }, relations: { lines: true, billingAddress: true } });
    if (order.status !== 'pending_payment') throw conflict('order_not_payable', 'This order can no longer be paid');
    if (order.expiresAt.getTime() <= Date.now()) throw conflict('order_expired', 'This order was not paid in time; please start again from your cart');
    return order;
  }

  private async newAttempt(order: Order, gateway: GatewayId): Promise<Payment> {
    return inTransaction(this.dataSource, (manager) =>
      manager.save(Payment, manager.create(Payment, { orderId: order.id, gateway, attemptKey: randomToken(), status: 'created', currency: order.currency, amount: order.total })),
    );
  }

  /**
   * Sends the shopper to a gateway's hosted page: reuses the attempt whose page is still open,
   * else starts a new one. Returns the URL to redirect to.
   */
  async startHostedPayment(orderId: number, gatewayId: string, urls: { returnUrl: string; cancelUrl: string }): Promise<string> {
    const gateway = this.gateways.get(gatewayId);
    if (gateway.flow !== 'hosted_page') throw new DomainError('invalid_input', 'invalid_request', `${gatewayId} is paid in the checkout page, not on a hosted page`);
    const order = await this.payableOrder(orderId);

    const previous = await this.latestPayment(order.id, gateway.id);
    if (previous?.checkoutRef && previous.redirectUrl && ['created', 'pending', 'declined'].includes(previous.status)) {
      const outcome = await gateway.fetchStatus(previous.checkoutRef);
      if (outcome.status === 'pending' || outcome.status === 'declined') return previous.redirectUrl;
      await this.apply(previous.id, outcome);
      await this.payableOrder(order.id);
    }

    const payment = await this.newAttempt(order, gateway.id);
    const created = await gateway.createPayment({
      orderId: order.id,
      orderNumber: orderNumber(order.id),
      amount: money(order.total, order.currency),
      lines: [...order.lines].sort((a, b) => a.id - b.id).map((l) => ({ name: l.name, unitPrice: money(l.unitPrice, order.currency), quantity: l.quantity })),
      shipping: money(order.shippingAmount, order.currency),
      email: order.email,
      billingAddress: postal(order.billingAddress),
      captureLater: this.config.avsPolicy === 'hold',
      returnUrl: urls.returnUrl,
      cancelUrl: urls.cancelUrl,
      expiresAt: order.expiresAt,
      idempotencyKey: `${payment.attemptKey}:create`,
    });
    if (created.kind !== 'redirect') throw new Error(`${gateway.id} answered a hosted payment without a redirect`);
    await inTransaction(this.dataSource, (manager) =>
      manager.update(Payment, { id: payment.id }, { checkoutRef: created.checkoutRef, redirectUrl: created.redirectUrl, status: 'pending' }),
    );
    this.logger.info({ orderId: order.id, paymentId: payment.id, gateway: gateway.id }, 'hosted payment started');
    return created.redirectUrl;
  }

  /** The configuration the checkout page's script needs to show a gateway's in-page fields. */
  async inPageConfig(orderId: number, gatewayId: string): Promise<Readonly<Record<string, string>>> {
    const gateway = this.gateways.get(gatewayId);
    const order = await this.payableOrder(orderId);
    const created = await gateway.createPayment({
      orderId: order.id,
      orderNumber: orderNumber(order.id),
      amount: money(order.total, order.currency),
      lines: [],
      shipping: money(order.shippingAmount, order.currency),
      email: order.email,
      billingAddress: postal(order.billingAddress),
      captureLater: this.config.avsPolicy === 'hold',
      returnUrl: this.config.publicUrl,
      cancelUrl: this.config.publicUrl,
      expiresAt: order.expiresAt,
      idempotencyKey: randomToken(),
    });
    if (created.kind !== 'in_page') throw new Error(`${gateway.id} answered in-page fields with a redirect`);
    return created.clientConfig;
  }

  /** Charges a nonce from a gateway's in-page fields, with the billing address, and applies the result. */
  async chargeNonce(orderId: number, gatewayId: string, nonce: string): Promise<PaymentOutcome> {
    const gateway = this.gateways.get(gatewayId);
    if (!gateway.chargeNonce) throw new DomainError('invalid_input', 'invalid_request', `${gatewayId} does not take payments in the checkout page`);
    const order = await this.payableOrder(orderId);
    const payment = await this.newAttempt(order, gateway.id);
    const outcome = await gateway.chargeNonce({
      orderId: order.id,
      orderNumber: orderNumber(order.id),
      amount: money(order.total, order.currency),
      email: order.email,
      billingAddress: postal(order.billingAddress),
      captureLater: this.config.avsPolicy === 'hold',
      nonce,
      idempotencyKey: `${payment.attemptKey}:sale`,
    });
    this.logger.info({ orderId: order.id, paymentId: payment.id, gateway: gateway.id, status: outcome.status }, 'in-page payment charged');
    await this.apply(payment.id, outcome);
    return outcome;
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
    const decision = await this.settleWithRetry(paymentId, outcome);
    if (decision.followUp) await this.runFollowUp(paymentId);
    return decision;
  }

  private async settleWithRetry(paymentId: number, outcome: PaymentOutcome): Promise<SettlementDecision> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.dataSource, (manager) => settlePayment(manager, paymentId, outcome, this.config.avsPolicy));
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
      await this.refundPayment(payment, amount, 'returned automatically');
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'refund_refused')) throw err;
      const outcome = await this.gateways.get(payment.gateway).cancel(payment.paymentRef!, `${payment.attemptKey}:cancel`);
      if (outcome.status !== 'cancelled') throw err;
      await this.settleWithRetry(payment.id, outcome);
    }
  }

  private async clearFollowUp(payment: Payment, followUp: NonNullable<Payment['followUp']>): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      manager.createQueryBuilder().update(Payment).set({ followUp: null }).where('id = :id AND follow_up = :followUp', { id: payment.id, followUp }).execute(),
    );
  }

  /**
   * Refunds part or all of what an order's payment captured. Refusing more than remains is done
   * before the gateway is asked, with a conditional update, so concurrent refunds cannot exceed it.
   */
  async refundOrder(orderId: number, amount: Money): Promise<Refund> {
    const order = await this.dataSource.getRepository(Order).findOneByOrFail({ id: orderId });
    if (!REFUNDABLE.has(order.status)) throw conflict('order_not_refundable', `A ${order.status} order cannot be refunded`);
    if (amount.currency !== order.currency) throw new DomainError('invalid_input', 'invalid_request', `Refunds of this order are in ${order.currency}`);
    if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0) throw new DomainError('invalid_input', 'invalid_request', 'A refund must be a positive whole number of minor units');
    const payment = await this.dataSource.getRepository(Payment).findOne({ where: { orderId, status: 'captured' }, order: { id: 'ASC' } });
    if (!payment) throw conflict('nothing_captured', 'This order has no captured payment to refund');
    return this.refundPayment(payment, amount, 'refund requested');
  }

  private async refundPayment(payment: Payment, amount: Money, why: string): Promise<Refund> {
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
        throw conflict('refund_exceeds_captured', `At most ${formatMoney(money(current.capturedAmount - current.refundedAmount, current.currency))} of this payment can still be refunded.`);
      }
      return manager.save(Refund, manager.create(Refund, { paymentId: payment.id, amount: amount.amount, currency: amount.currency, status: 'requested' }));
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
      await syncOrderWithRefunds(manager, current, `${why}: ${formatMoney(amount)}`);
    });
    this.logger.info({ paymentId: payment.id, refundId: refund.id, amount: amount.amount }, 'refund done');
    return { ...refund, status: 'refunded', refundRef: outcome.refundRef };
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

/**
 * Moves a paid order to partially_refunded or refunded to match what its payment has had
 * refunded (store-initiated or reported by a gateway callback).
 */
export async function syncOrderWithRefunds(manager: import('typeorm').EntityManager, payment: Payment, reason: string): Promise<void> {
  const order = await manager.findOneByOrFail(Order, { id: payment.orderId });
  if (!REFUNDABLE.has(order.status) || payment.refundedAmount <= 0) return;
  const to = payment.refundedAmount >= order.total ? 'refunded' : 'partially_refunded';
  await transitionOrder(manager, order, { to, reason, refundedAmount: payment.refundedAmount });
}
