import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { StoreConfig } from '../config';
import { inTransaction } from '../db/transaction';
import { faultPoint } from '../fault-injection';
import type { Logger } from '../logger';
import { Order } from '../orders/order.entity';
import { GatewayEvent } from './gateway-event.entity';
import type { GatewayRegistry } from './gateway-registry';
import { Payment } from './payment.entity';
import type { NormalisedCallback, PaymentOutcome, RawCallback } from './payment-gateway';
import type { OrderTransitions } from '../orders/order-transitions';
import type { PaymentFollowUps } from './payment-follow-ups';
import { PaymentChangedConcurrently, settlePayment } from './payment-settlement';
import type { Refunds } from './refunds';

/** What became of one callback. */
export type CallbackResult = 'applied' | 'duplicate' | 'ignored' | 'unknown_payment';

const NEEDS_GATEWAY_STATE = new Set(['payment_succeeded', 'payment_failed', 'payment_expired']);

/**
 * Turns gateway callbacks into order changes. Each callback is verified by its gateway before
 * anything is read from the database; it is then stored once (gateway + event id are unique) in
 * the same transaction as the change it causes, so a duplicate, a retry or a concurrent copy
 * changes nothing. Payment callbacks are applied with the gateway's current state of the
 * payment (fetched, not taken from the event), so events arriving out of order never move an
 * order backwards.
 */
export class CallbackProcessor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: GatewayRegistry,
    private readonly followUps: PaymentFollowUps,
    private readonly refunds: Refunds,
    private readonly transitions: OrderTransitions,
    private readonly config: Pick<StoreConfig, 'avsPolicy'>,
    private readonly logger: Logger,
  ) {}

  /** Verifies and applies a callback as received over HTTP. Verification errors propagate. */
  async receive(gatewayId: string, raw: RawCallback): Promise<CallbackResult> {
    const callback = await this.gateways.get(gatewayId).parseCallback(raw);
    return this.apply(callback);
  }

  /** Applies a verified callback (also used for the events reconciliation replays). */
  async apply(callback: NormalisedCallback): Promise<CallbackResult> {
    const repo = this.dataSource.getRepository(GatewayEvent);
    if (await repo.existsBy({ gateway: callback.gateway, eventId: callback.eventId })) return 'duplicate';

    const payment = callback.ref ? await this.findPayment(callback.gateway, callback.ref) : null;
    // Network calls happen before the transaction, never inside it.
    const outcome =
      payment && NEEDS_GATEWAY_STATE.has(callback.kind)
        ? await this.gateways.get(payment.gateway).fetchStatus(payment.checkoutRef ?? payment.paymentRef ?? callback.ref!)
        : null;
    if (outcome) faultPoint('crash-before-callback-commit');

    let followUp = false;
    let result: CallbackResult | undefined;
    for (let attempt = 1; result === undefined; attempt++) {
      try {
        result = await inTransaction(this.dataSource, async (manager) => {
          // This may be a second run of a transaction that deadlocked: nothing carries over.
          followUp = false;
          const { description, result: applied, followUp: owed } = await this.applyInTransaction(manager, callback, payment, outcome);
          followUp = owed;
          await insertGatewayEvent(manager, {
            gateway: callback.gateway,
            eventId: callback.eventId,
            type: callback.type.slice(0, 100),
            kind: callback.kind,
            ref: callback.ref,
            amount: callback.amount?.amount ?? null,
            currency: callback.amount?.currency ?? null,
            orderId: payment?.orderId ?? null,
            paymentId: payment?.id ?? null,
            outcome: description.slice(0, 500),
            occurredAt: callback.occurredAt,
          });
          return applied;
        });
      } catch (err) {
        // A concurrent copy of this event committed first; its transaction made the change.
        if (await repo.existsBy({ gateway: callback.gateway, eventId: callback.eventId })) return 'duplicate';
        // Another event of this payment (or the shopper's return page) settled it first: decide again on what it left.
        if (!(err instanceof PaymentChangedConcurrently) || attempt >= 3) throw err;
      }
    }
    if (followUp && payment) await this.followUps.runFollowUp(payment.id);
    this.logger.info(
      { gateway: callback.gateway, type: callback.type, kind: callback.kind, orderId: payment?.orderId, result },
      'gateway callback',
    );
    return result;
  }

  private findPayment(gateway: string, ref: string): Promise<Payment | null> {
    return this.dataSource
      .getRepository(Payment)
      .createQueryBuilder('p')
      .where('p.gateway = :gateway AND (p.checkout_ref = :ref OR p.payment_ref = :ref)', { gateway, ref })
      .orderBy('p.id', 'DESC')
      .getOne();
  }

  private async applyInTransaction(
    manager: EntityManager,
    callback: NormalisedCallback,
    payment: Payment | null,
    outcome: PaymentOutcome | null,
  ): Promise<{ result: CallbackResult; description: string; followUp: boolean }> {
    if (callback.kind === 'ignored') return { result: 'ignored', description: 'not an event this store acts on', followUp: false };
    if (!payment) return { result: 'unknown_payment', description: 'no payment of this store has this reference', followUp: false };

    switch (callback.kind) {
      case 'payment_succeeded':
      case 'payment_failed':
      case 'payment_expired': {
        const decision = await settlePayment(manager, this.transitions, payment.id, outcome!, this.config.avsPolicy);
        const change = decision.order ? `order → ${decision.order.to} (${decision.order.reason})` : 'no order change';
        return { result: 'applied', description: `gateway reports ${outcome!.status}; ${change}`, followUp: decision.followUp !== null };
      }
      case 'refund_succeeded': {
        const refunded = callback.amount?.amount ?? 0;
        if (refunded > payment.refundedAmount) {
          await manager
            .createQueryBuilder()
            .update(Payment)
            .set({ refundedAmount: refunded })
            .where('id = :id AND refunded_amount < :refunded', { id: payment.id, refunded })
            .execute();
          await this.refunds.syncOrder(
            manager,
            { ...payment, refundedAmount: refunded },
            `refund reported by ${callback.gateway}: ${refunded} ${callback.amount?.currency ?? ''} in total`,
          );
          return { result: 'applied', description: `refunded ${refunded} in total`, followUp: false };
        }
        return { result: 'applied', description: `refund of ${refunded} in total already recorded`, followUp: false };
      }
      case 'dispute_opened':
        await manager.update(Order, { id: payment.orderId }, { reviewReason: 'dispute_opened' });
        return { result: 'applied', description: 'dispute opened: order flagged for review', followUp: false };
    }
  }
}

/** Stores a received event without reading the row back (nothing needs its generated columns). */
function insertGatewayEvent(manager: EntityManager, row: QueryDeepPartialEntity<GatewayEvent>): Promise<unknown> {
  return manager.createQueryBuilder().insert().into(GatewayEvent).values(row).updateEntity(false).execute();
}
