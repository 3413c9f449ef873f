import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { acquireLease } from '../db/job-lease';
import { inTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import { money } from '../money';
import { Order } from '../orders/order.entity';
import { orderNumber } from '../orders/order-presentation';
import { expireUnpaidOrders } from '../orders/order-expiry';
import { mayTake, statusesAllowing } from '../orders/order-state';
import type { OrderTransitions } from '../orders/order-transitions';
import { OPEN_PAYMENT_STATUSES } from '../orders/payment-state';
import type { CallbackProcessor } from './callback-processor';
import type { GatewayRegistry } from './gateway-registry';
import { Payment } from './payment.entity';
import type { PaymentOutcome } from './payment-gateway';
import type { PaymentFollowUps } from './payment-follow-ups';

/** What one reconciliation run did. */
export interface ReconcileReport {
  readonly replayedCallbacks: number;
  readonly refreshedPayments: number;
  readonly cancelledPayments: number;
  readonly followUps: number;
  readonly expiredOrders: number;
}

const LEASE = 'payment-reconciliation';
/** How far back undelivered gateway events are replayed (Stripe retries for three days). */
const REPLAY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * Catches what callbacks missed. On each run (one instance per interval, under a database
 * lease): replays events the gateway could not deliver, asks the gateway about payments still
 * unconfirmed after `reconcileAfterMinutes` (by reference, or, for an attempt the store never
 * recorded a reference for, by the order it charged), cancels payments of orders whose time is
 * up (or settles them if they were paid meanwhile), retries owed captures/voids/refunds, and
 * expires unpaid orders, giving their stock back.
 */
export class Reconciler {
  private readonly holder = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly followUps: PaymentFollowUps,
    private readonly callbacks: CallbackProcessor,
    private readonly transitions: OrderTransitions,
    private readonly options: { reconcileAfterMinutes: number; intervalSeconds: number },
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** One run; null when another instance holds this interval's lease. */
  async runOnce(now: Date = this.clock()): Promise<ReconcileReport | null> {
    const leaseMs = Math.max(1000, this.options.intervalSeconds * 1000 - 1000);
    if (!(await acquireLease(this.dataSource, LEASE, this.holder, leaseMs, now))) return null;

    const report = {
      replayedCallbacks: await this.replayMissedCallbacks(now),
      ...(await this.settleOpenPayments(now)),
      followUps: await this.retryFollowUps(now),
      expiredOrders: await expireUnpaidOrders(this.dataSource, this.transitions, this.logger, now),
    };
    if (Object.values(report).some((n) => n > 0)) this.logger.info(report, 'payment reconciliation');
    return report;
  }

  private async replayMissedCallbacks(now: Date): Promise<number> {
    let applied = 0;
    for (const gateway of this.gateways.offered()) {
      if (!gateway.missedCallbacks) continue;
      for (const callback of await this.guard(() => gateway.missedCallbacks!(new Date(now.getTime() - REPLAY_WINDOW_MS)), [])) {
        if ((await this.callbacks.apply(callback)) !== 'duplicate') applied += 1;
      }
    }
    return applied;
  }

  private async settleOpenPayments(now: Date): Promise<{ refreshedPayments: number; cancelledPayments: number }> {
    const staleBefore = new Date(now.getTime() - this.options.reconcileAfterMinutes * 60_000);
    const open = await this.dataSource
      .getRepository(Payment)
      .createQueryBuilder('p')
      .innerJoin(Order, 'o', 'o.id = p.order_id')
      .where('p.status IN (:...open)', { open: OPEN_PAYMENT_STATUSES })
      .andWhere('o.status IN (:...awaiting)', { awaiting: statusesAllowing('pay') })
      .andWhere('(p.created_at <= :staleBefore OR o.expires_at <= :now)', { staleBefore, now })
      .orderBy('p.id', 'ASC')
      .take(200)
      .getMany();

    let refreshedPayments = 0;
    let cancelledPayments = 0;
    for (const payment of open) {
      const order = await this.dataSource.getRepository(Order).findOneByOrFail({ id: payment.orderId });
      const ref = payment.checkoutRef ?? payment.paymentRef;
      if (!ref) {
        // The store may have died after the gateway accepted the charge, before recording it.
        const unrecorded = await this.guard(() => this.findUnrecordedCharge(payment, order), undefined);
        if (unrecorded === undefined) continue; // the gateway is not answering: asked again next run
        if (unrecorded) {
          await this.followUps.apply(payment.id, unrecorded);
          refreshedPayments += 1;
          continue;
        }
        // The gateway never answered the call that would have created it: nothing exists there.
        await inTransaction(this.dataSource, (m) =>
          m
            .createQueryBuilder()
            .update(Payment)
            .set({ status: 'cancelled' })
            .where('id = :id AND status = :from', { id: payment.id, from: 'created' })
            .execute(),
        );
        cancelledPayments += 1;
        continue;
      }
      const gateway = this.gateways.get(payment.gateway);
      if (mayTake('expire', { status: order.status, expiresAt: order.expiresAt, now }).allowed) {
        // Time is up: close the gateway's page; if the shopper paid meanwhile, that is what comes back.
        const outcome = await this.guard(() => gateway.cancel(ref, `${payment.attemptKey}:cancel`), null);
        if (outcome) {
          await this.followUps.apply(payment.id, outcome);
          cancelledPayments += 1;
        }
      } else if (await this.guard(() => this.followUps.refresh(payment), null)) {
        refreshedPayments += 1;
      }
    }
    return { refreshedPayments, cancelledPayments };
  }

  /**
   * The charge a payment attempt without a reference made at its gateway, found by the order
   * number, amount and e-mail the store knew before the call; null when there is none, or when
   * the gateway has no such lookup (a hosted page's reference is recorded before the shopper is
   * sent to it, so an attempt without one took no money).
   */
  private async findUnrecordedCharge(payment: Payment, order: Order): Promise<PaymentOutcome | null> {
    const gateway = this.gateways.has(payment.gateway) ? this.gateways.get(payment.gateway) : null;
    if (!gateway?.findCharge) return null;
    const found = await gateway.findCharge({
      orderNumber: orderNumber(order.id),
      amount: money(payment.amount, payment.currency),
      email: order.email,
    });
    if (!found?.paymentRef) return null;
    // A later attempt of the order already took this charge over (a retry finds it too): this
    // attempt charged nothing of its own, and settling it again would give the money back.
    const taken = await this.dataSource.getRepository(Payment).existsBy({ gateway: payment.gateway, paymentRef: found.paymentRef });
    return taken ? null : found;
  }

  private async retryFollowUps(now: Date): Promise<number> {
    const owed = await this.dataSource
      .getRepository(Payment)
      .createQueryBuilder('p')
      .where('p.follow_up IS NOT NULL AND p.updated_at <= :before', { before: new Date(now.getTime() - 60_000) })
      .take(100)
      .getMany();
    for (const payment of owed) await this.guard(() => this.followUps.runFollowUp(payment.id), undefined);
    return owed.length;
  }

  /** A gateway that is down must not stop the rest of the run; it is tried again next time. */
  private async guard<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.logger.warn({ err }, 'reconciliation step failed; will retry on the next run');
      return fallback;
    }
  }
}
