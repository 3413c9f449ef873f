import type { StoreConfig } from '../config';
import { awaitsPayment, type OrderStatus } from '../orders/order-state';
import { paymentMayMove, type PaymentStatus } from '../orders/payment-state';
import type { PaymentFollowUp } from './payment.entity';
import type { AvsResult, PaymentOutcome } from './payment-gateway';

/** What the store knows when a payment's state at the gateway arrives. */
export interface SettlementInput {
  readonly policy: StoreConfig['avsPolicy'];
  readonly orderStatus: OrderStatus;
  readonly paymentStatus: PaymentStatus;
  readonly outcome: PaymentOutcome;
  /** Whether another payment of the same order already holds money (a second payment must go back). */
  readonly otherPaymentHoldsMoney: boolean;
}

/** The changes a payment's state at the gateway calls for; applied in one transaction. */
export interface SettlementDecision {
  /** The payment's new status, or null when it stays as it is. */
  readonly paymentStatus: PaymentStatus | null;
  readonly order: { readonly to: OrderStatus; readonly reason: string } | null;
  readonly reviewReason: string | null;
  /** A gateway call still owed once this is committed. */
  readonly followUp: PaymentFollowUp | null;
}

/** Whether any address or security-code check failed outright. */
export function checksFailed(avs: AvsResult): boolean {
  return avs.street === 'fail' || avs.postalCode === 'fail' || avs.cvc === 'fail';
}

function failedChecks(avs: AvsResult): string {
  const names = [
    avs.street === 'fail' && 'street',
    avs.postalCode === 'fail' && 'postal code',
    avs.cvc === 'fail' && 'security code',
  ].filter(Boolean);
  return names.join(', ');
}

const nothing: SettlementDecision = { paymentStatus: null, order: null, reviewReason: null, followUp: null };

/**
 * The single decision of what a payment's state at the gateway means for the store: the
 * address-check policy (flag, hold, reject), late payments for closed orders, and second
 * payments for orders already paid. Pure, so every path (callback, return page,
 * reconciliation) decides the same way.
 */
export function decideSettlement(input: SettlementInput): SettlementDecision {
  const { outcome, policy, orderStatus } = input;
  if (!paymentMayMove(input.paymentStatus, outcome.status === 'pending' ? 'pending' : outcome.status)) return nothing;
  const paymentStatus: PaymentStatus = outcome.status;

  if (outcome.status !== 'captured' && outcome.status !== 'authorised') {
    return { ...nothing, paymentStatus };
  }
  const givesBack: PaymentFollowUp = outcome.status === 'captured' ? 'refund' : 'cancel';
  const mismatch = checksFailed(outcome.avs);

  if (awaitsPayment(orderStatus) && input.otherPaymentHoldsMoney) {
    return { ...nothing, paymentStatus, followUp: givesBack };
  }

  switch (orderStatus) {
    case 'pending_payment':
      if (mismatch && policy === 'reject') {
        return {
          paymentStatus,
          order: {
            to: 'payment_failed',
            reason: `Address check failed (${failedChecks(outcome.avs)}); payment ${givesBack === 'refund' ? 'refunded' : 'voided'}`,
          },
          reviewReason: null,
          followUp: givesBack,
        };
      }
      if (outcome.status === 'authorised') {
        if (mismatch && policy === 'hold') {
          return {
            paymentStatus,
            order: {
              to: 'on_hold',
              reason: `Payment authorised; address check failed (${failedChecks(outcome.avs)}): held for an admin to capture or void`,
            },
            reviewReason: 'address_check_failed',
            followUp: null,
          };
        }
        // Checks passed (or the policy only flags): take the money now.
        return { paymentStatus, order: null, reviewReason: null, followUp: 'capture' };
      }
      return {
        paymentStatus,
        order: {
          to: 'paid',
          reason: mismatch
            ? `Payment captured; address check failed (${failedChecks(outcome.avs)}): flagged for review`
            : 'Payment captured',
        },
        reviewReason: mismatch ? 'address_check_failed' : null,
        followUp: null,
      };

    case 'on_hold':
      if (outcome.status === 'captured')
        return { paymentStatus, order: { to: 'paid', reason: 'Held payment captured' }, reviewReason: null, followUp: null };
      return { ...nothing, paymentStatus };

    case 'paid':
    case 'shipped':
    case 'partially_refunded':
    case 'refunded':
      // This order was paid by this very payment (a repeat) or by another one (money goes back).
      return input.otherPaymentHoldsMoney ? { ...nothing, paymentStatus, followUp: givesBack } : { ...nothing, paymentStatus };

    case 'expired':
    case 'cancelled':
    case 'payment_failed':
      // The order closed before the gateway confirmed: its stock is gone, so the money goes back.
      return { ...nothing, paymentStatus, followUp: givesBack };
  }
}
