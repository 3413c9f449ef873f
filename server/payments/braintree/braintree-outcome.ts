import type braintree from 'braintree';
import type { PaymentOutcome } from '../payment-gateway';
import { avsResultFromCodes, type BraintreeCheckCodes } from './braintree-avs';
import { braintreeUnavailable } from './braintree-errors';
import { parseBraintreeAmount } from './braintree-money';

/** The transaction fields the store reads; the SDK's own type, narrowed to what is used. */
export type BraintreeTransactionView = Pick<braintree.Transaction, 'id' | 'status' | 'amount' | 'currencyIsoCode'> &
  BraintreeCheckCodes & {
    readonly processorResponseCode?: string | null;
    readonly processorResponseText?: string | null;
    readonly processorSettlementResponseText?: string | null;
    readonly gatewayRejectionReason?: string | null;
  };

/** Why Braintree refused a transaction, in its own words. */
function declineMessage(t: BraintreeTransactionView): string {
  switch (t.status) {
    case 'gateway_rejected':
      return `Gateway rejected: ${t.gatewayRejectionReason ?? 'unknown reason'}`;
    case 'settlement_declined':
      return t.processorSettlementResponseText || 'Settlement declined';
    case 'failed':
      return t.processorResponseText || 'Processor network unavailable - try again';
    default:
      return t.processorResponseText || 'Processor declined';
  }
}

/**
 * The store's view of one Braintree transaction. Statuses (Transaction.Status in the SDK):
 * - authorized → authorised; authorizing → pending (not decided yet);
 * - submitted_for_settlement, settling, settlement_pending, settlement_confirmed, settled →
 *   captured (Braintree has taken the money once the transaction is submitted for settlement);
 * - voided, authorization_expired → cancelled (no money moved);
 * - processor_declined, gateway_rejected, failed, settlement_declined → declined.
 */
export function outcomeFromTransaction(t: BraintreeTransactionView): PaymentOutcome {
  const amountOf = () => {
    try {
      return parseBraintreeAmount(t.amount, t.currencyIsoCode);
    } catch (err) {
      throw braintreeUnavailable(`reading transaction ${t.id}`, err);
    }
  };
  switch (t.status) {
    case 'authorized':
      return { status: 'authorised', paymentRef: t.id, amount: amountOf(), avs: avsResultFromCodes(t) };
    case 'submitted_for_settlement':
    case 'settling':
    case 'settlement_pending':
    case 'settlement_confirmed':
    case 'settled':
      return { status: 'captured', paymentRef: t.id, amount: amountOf(), avs: avsResultFromCodes(t) };
    case 'voided':
    case 'authorization_expired':
      return { status: 'cancelled', paymentRef: t.id };
    case 'processor_declined':
    case 'gateway_rejected':
    case 'failed':
    case 'settlement_declined':
      return { status: 'declined', paymentRef: t.id, message: declineMessage(t) };
    default:
      // `authorizing`, or a status newer than this code: ask again later rather than guess.
      return { status: 'pending', paymentRef: t.id };
  }
}

/** A `transaction.*` result as the SDK returns it: success, or errors with maybe a transaction. */
export interface BraintreeTransactionResult {
  readonly success: boolean;
  readonly message?: string;
  readonly transaction?: BraintreeTransactionView;
}

/**
 * The outcome of a sale: the transaction's state when one was created (approved, or declined by
 * the processor or the gateway), else a decline carrying the validation message (an unknown or
 * already used nonce, an invalid amount): a value, never an exception.
 */
export function outcomeFromSaleResult(result: BraintreeTransactionResult): PaymentOutcome {
  if (result.transaction) return outcomeFromTransaction(result.transaction);
  return { status: 'declined', paymentRef: null, message: result.message || 'Braintree refused the payment' };
}
