import Joi from 'joi';
import type { DataSource } from 'typeorm';
import { DomainError, invalidInput } from '../../domain-error';
import { validate } from '../../validation';
import { money, parseMajorUnits, type Money } from '../../money';
import { Order } from '../../orders/order.entity';
import { markOrderShipped, TRACKING_NOTE_MAX } from '../../orders/order-shipping';
import type { OrderTransitions } from '../../orders/order-transitions';
import type { ActionResult, OrderPaymentActions } from '../../payments/order-payment-actions';
import type { AdminActor } from '../admin-actor';
import { recordAudit } from '../audit-log';
import { orderTarget } from './order-timeline';

/** The actions the order page and the API offer. */
export const ORDER_ACTIONS = ['capture', 'void', 'cancel', 'refund', 'ship', 'resync'] as const;
export type OrderActionName = (typeof ORDER_ACTIONS)[number];

/** An action's input: the refund amount (typed in major units, or minor units from the API) and the tracking note. */
export interface ActionInput {
  readonly amount?: string | Money;
  readonly trackingNote?: string;
}

const noInput = Joi.object({});
const refundForm = Joi.object<{ amount: string }>({ amount: Joi.string().trim().max(40).required() });
const refundJson = Joi.object<{ amount: Money }>({
  amount: Joi.object({
    amount: Joi.number().integer().min(1).max(Number.MAX_SAFE_INTEGER).required(),
    currency: Joi.string().length(3).required(),
  }).required(),
});
const shipInput = Joi.object<{ trackingNote: string }>({ trackingNote: Joi.string().trim().max(TRACKING_NOTE_MAX).allow('').default('') });

/** Checks an action's body (form or JSON) and returns its input; 400 when it is wrong. */
export function actionInput(action: OrderActionName, body: unknown, json: boolean): ActionInput {
  if (action === 'refund') return json ? validate(refundJson, body, 'refund') : validate(refundForm, body, 'refund');
  if (action === 'ship') return validate(shipInput, body, 'shipping note');
  validate(noInput, body, `${action} request`);
  return {};
}

/**
 * Runs one admin action on an order and writes it to the audit log with its outcome: the
 * result's message on success, the refusal's message (the gateway's own, when it refused) on
 * failure, which is then thrown on for the page or the API to show.
 */
export class AdminOrderActions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: OrderPaymentActions,
    private readonly transitions: OrderTransitions,
    private readonly clock: () => Date,
  ) {}

  async run(actor: AdminActor, orderId: number, action: OrderActionName, input: ActionInput): Promise<ActionResult> {
    const audit = (outcome: 'success' | 'failure', detail: string) =>
      recordAudit(this.dataSource, {
        adminId: actor.adminId,
        actor: actor.email,
        action: `order.${action}`,
        target: orderTarget(orderId),
        outcome,
        detail,
        ip: actor.ip,
      });
    try {
      const result = await this.perform(orderId, action, input);
      await audit('success', result.message);
      return result;
    } catch (error) {
      await audit('failure', error instanceof DomainError ? error.message : 'unexpected error');
      throw error;
    }
  }

  private async perform(orderId: number, action: OrderActionName, input: ActionInput): Promise<ActionResult> {
    switch (action) {
      case 'capture':
        return this.payments.captureHeld(orderId);
      case 'void':
        return this.payments.voidHeld(orderId);
      case 'cancel':
        return this.payments.cancelUnpaid(orderId);
      case 'resync':
        return this.payments.resync(orderId);
      case 'refund':
        return this.payments.refund(orderId, await this.refundAmount(orderId, input.amount));
      case 'ship': {
        const note = input.trackingNote ?? '';
        await markOrderShipped(this.dataSource, this.transitions, orderId, note, this.clock());
        return { message: note ? `Marked shipped (${note}).` : 'Marked shipped.' };
      }
    }
  }

  private async refundAmount(orderId: number, amount: ActionInput['amount']): Promise<Money> {
    const order = await this.dataSource.getRepository(Order).findOneBy({ id: orderId });
    if (!order) throw new DomainError('not_found', 'not_found', `Order ${orderId} was not found`);
    if (amount === undefined) throw invalidInput('Enter the amount to refund.');
    if (typeof amount !== 'string') {
      if (amount.currency !== order.currency) throw invalidInput(`This order is in ${order.currency}; refund in ${order.currency}.`);
      return money(amount.amount, amount.currency);
    }
    const parsed = parseMajorUnits(amount, order.currency);
    if (typeof parsed === 'string') throw invalidInput(parsed);
    return parsed;
  }
}
