import type { DataSource } from 'typeorm';
import type { StoreConfig } from '../config';
import { inTransaction } from '../db/transaction';
import { conflict, invalidInput } from '../domain-error';
import { faultPoint } from '../fault-injection';
import type { Logger } from '../logger';
import { Order } from '../orders/order.entity';
import { awaitsPayment, mayTake } from '../orders/order-state';
import { pageMayStillBePaid } from '../orders/payment-state';
import { randomToken } from '../random-token';
import type { GatewayRegistry } from './gateway-registry';
import { Payment } from './payment.entity';
import type { GatewayId, PaymentOutcome } from './payment-gateway';
import type { PaymentFollowUps } from './payment-follow-ups';
import { paymentRequest } from './payment-request';

/**
 * Starting an order's payment at a gateway: the hosted page to send the shopper to, the
 * configuration of in-page fields, and charging the nonce those fields produce. Only an order
 * the state machine says may be paid is offered; what the gateway answers is applied through
 * {@link PaymentFollowUps}.
 */
export class PaymentStarts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly followUps: PaymentFollowUps,
    private readonly config: Pick<StoreConfig, 'avsPolicy' | 'publicUrl'>,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  private get captureLater(): boolean {
    return this.config.avsPolicy === 'hold';
  }

  private async payableOrder(orderId: number): Promise<Order> {
    const order = await this.dataSource
      .getRepository(Order)
      .findOneOrFail({ where: { id: orderId }, relations: { lines: true, billingAddress: true } });
    if (mayTake('pay', { status: order.status, expiresAt: order.expiresAt, now: this.clock() }).allowed) return order;
    // Too late, or not waiting for a payment any more (paid meanwhile, cancelled): the shopper hears which.
    throw awaitsPayment(order.status)
      ? conflict('order_expired', 'This order was not paid in time; please start again from your cart')
      : conflict('order_not_payable', 'This order can no longer be paid');
  }

  private async newAttempt(order: Order, gateway: GatewayId): Promise<Payment> {
    return inTransaction(this.dataSource, (manager) =>
      manager.save(
        Payment,
        manager.create(Payment, {
          orderId: order.id,
          gateway,
          attemptKey: randomToken(),
          status: 'created',
          currency: order.currency,
          amount: order.total,
        }),
      ),
    );
  }

  /**
   * Sends the shopper to a gateway's hosted page: reuses the attempt whose page is still open,
   * else starts a new one. Returns the URL to redirect to.
   */
  async startHostedPayment(orderId: number, gatewayId: string, urls: { returnUrl: string; cancelUrl: string }): Promise<string> {
    const gateway = this.gateways.get(gatewayId);
    if (gateway.flow !== 'hosted_page') throw invalidInput(`${gatewayId} is paid in the checkout page, not on a hosted page`);
    const order = await this.payableOrder(orderId);

    const previous = await this.followUps.latestPayment(order.id, gateway.id);
    if (previous?.checkoutRef && previous.redirectUrl && pageMayStillBePaid(previous.status)) {
      const outcome = await gateway.fetchStatus(previous.checkoutRef);
      if (outcome.status === 'pending' || outcome.status === 'declined') return previous.redirectUrl;
      await this.followUps.apply(previous.id, outcome);
      await this.payableOrder(order.id);
    }

    const payment = await this.newAttempt(order, gateway.id);
    const created = await gateway.createPayment(
      paymentRequest.create(order, this.captureLater, { ...urls, idempotencyKey: `${payment.attemptKey}:create`, withLines: true }),
    );
    if (created.kind !== 'redirect') throw new Error(`${gateway.id} answered a hosted payment without a redirect`);
    await inTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(Payment)
        .set({ checkoutRef: created.checkoutRef, redirectUrl: created.redirectUrl, status: 'pending' })
        .where('id = :id AND status = :from', { id: payment.id, from: 'created' })
        .execute(),
    );
    this.logger.info({ orderId: order.id, paymentId: payment.id, gateway: gateway.id }, 'hosted payment started');
    return created.redirectUrl;
  }

  /** The configuration the checkout page's script needs to show a gateway's in-page fields. */
  async inPageConfig(orderId: number, gatewayId: string): Promise<Readonly<Record<string, string>>> {
    const gateway = this.gateways.get(gatewayId);
    const order = await this.payableOrder(orderId);
    const here = this.config.publicUrl;
    const created = await gateway.createPayment(
      paymentRequest.create(order, this.captureLater, {
        returnUrl: here,
        cancelUrl: here,
        idempotencyKey: randomToken(),
        withLines: false,
      }),
    );
    if (created.kind !== 'in_page') throw new Error(`${gateway.id} answered in-page fields with a redirect`);
    return created.clientConfig;
  }

  /** Charges a nonce from a gateway's in-page fields, with the billing address, and applies the result. */
  async chargeNonce(orderId: number, gatewayId: string, nonce: string): Promise<PaymentOutcome> {
    const gateway = this.gateways.get(gatewayId);
    if (!gateway.chargeNonce) throw invalidInput(`${gatewayId} does not take payments in the checkout page`);
    const order = await this.payableOrder(orderId);
    const payment = await this.newAttempt(order, gateway.id);
    const outcome = await gateway.chargeNonce(paymentRequest.chargeNonce(order, this.captureLater, nonce, `${payment.attemptKey}:sale`));
    if (outcome.status !== 'declined') faultPoint('crash-after-gateway-accept');
    this.logger.info({ orderId: order.id, paymentId: payment.id, gateway: gateway.id, status: outcome.status }, 'in-page payment charged');
    await this.followUps.apply(payment.id, outcome);
    return outcome;
  }
}
