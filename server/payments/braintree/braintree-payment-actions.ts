import type braintree from 'braintree';
import type { Money } from '../../money';
import type { PaymentOutcome, RefundOutcome } from '../payment-gateway';
import { braintreeUnavailable, callBraintree } from './braintree-errors';
import { parseBraintreeAmount, toBraintreeAmount } from './braintree-money';
import { outcomeFromTransaction } from './braintree-outcome';
import { RecentResults } from './recent-results';

/**
 * What the store does to an existing Braintree transaction: read it, capture it, void it, refund
 * it. Capture and void are idempotent by nature (a second call is refused by Braintree and the
 * transaction's current state is returned); refunds are not, so a retried refund with the same
 * idempotency key gets the first result from a short in-process memory. A refund retried from
 * another process is not recognised; Braintree still refuses to refund more than was settled.
 */
export class BraintreePaymentActions {
  private readonly captures = new RecentResults<PaymentOutcome>(60 * 60_000, 1000);
  private readonly cancels = new RecentResults<PaymentOutcome>(60 * 60_000, 1000);
  private readonly refunds = new RecentResults<RefundOutcome>(24 * 60 * 60_000, 1000);

  constructor(private readonly gateway: braintree.BraintreeGateway) {}

  async fetchStatus(transactionId: string): Promise<PaymentOutcome> {
    const transaction = await callBraintree('find', () => this.gateway.transaction.find(transactionId));
    return outcomeFromTransaction(transaction);
  }

  /**
   * Submits an authorised transaction for settlement. When Braintree refuses (already captured,
   * voided, amount above the authorisation), the transaction's current state is returned, so a
   * still-`authorised` answer means nothing was captured.
   */
  capture(transactionId: string, amount: Money, idempotencyKey: string): Promise<PaymentOutcome> {
    return this.captures.run(idempotencyKey, async () => {
      const result = await callBraintree('submitForSettlement', () =>
        this.gateway.transaction.submitForSettlement(transactionId, toBraintreeAmount(amount)),
      );
      return result.success ? outcomeFromTransaction(result.transaction) : this.fetchStatus(transactionId);
    });
  }

  /**
   * Voids an authorised (or submitted, not yet settled) transaction. When Braintree refuses
   * (already voided, or settled: refund it instead), the current state is returned.
   */
  cancel(transactionId: string, idempotencyKey: string): Promise<PaymentOutcome> {
    return this.cancels.run(idempotencyKey, async () => {
      const result = await callBraintree('void', () => this.gateway.transaction.void(transactionId));
      return result.success ? outcomeFromTransaction(result.transaction) : this.fetchStatus(transactionId);
    });
  }

  /**
   * Refunds part or all of a settled transaction. Braintree refuses refunds of transactions not
   * settled yet (void those instead) and refunds above what is left: both are `refused` values
   * carrying Braintree's message.
   */
  refund(transactionId: string, amount: Money, idempotencyKey: string): Promise<RefundOutcome> {
    return this.refunds.run(idempotencyKey, async () => {
      const result = await callBraintree('refund', () => this.gateway.transaction.refund(transactionId, toBraintreeAmount(amount)));
      if (!result.success) return { status: 'refused', message: result.message || 'Braintree refused the refund' };
      const credit = result.transaction;
      try {
        return { status: 'refunded', refundRef: credit.id, amount: parseBraintreeAmount(credit.amount, credit.currencyIsoCode) };
      } catch (err) {
        throw braintreeUnavailable(`reading refund ${credit.id}`, err);
      }
    });
  }
}
