import type braintree from 'braintree';
import type { ChargeLookup, ChargeNonceRequest, PaymentOutcome } from '../payment-gateway';
import { callBraintree } from './braintree-errors';
import { parseBraintreeAmount } from './braintree-money';
import { outcomeFromSaleResult, outcomeFromTransaction } from './braintree-outcome';
import { saleRequest } from './braintree-sale-request';
import { RecentResults } from './recent-results';

/** Statuses of a transaction that holds (or will hold) the shopper's money. */
const LIVE_STATUSES: readonly braintree.TransactionStatus[] = [
  'authorizing',
  'authorized',
  'submitted_for_settlement',
  'settling',
  'settlement_pending',
  'settlement_confirmed',
  'settled',
];

// Longer than the longest order reservation (ORDER_TTL_MINUTES is at most 7 days), so a retry
// for any payable order is found; old transactions of a reset dev database are not.
const SEARCH_WINDOW_MS = 8 * 24 * 60 * 60_000;

/** What charging needs from the gateway adapter. */
export interface BraintreeChargeContext {
  readonly gateway: braintree.BraintreeGateway;
  readonly merchantAccountIdFor?: (currency: string) => string | undefined;
  readonly now: () => Date;
}

/**
 * Charges nonces without ever charging one order twice. Braintree has no idempotency keys, so:
 * 1. within this process, a retry with the same idempotency key and nonce gets the first
 *    attempt's result (concurrent retries share one call);
 * 2. before every sale, Braintree is searched for a live transaction of this order (same order
 *    number, amount, currency and e-mail, created within the last 8 days): a retry after a
 *    timeout, a crash or on another instance gets that transaction instead of a second charge;
 *    reconciliation asks the same ({@link BraintreeCharges.find}) for an attempt whose store died
 *    before recording the transaction id.
 * The gap left: two instances charging the same order at the very same moment both find nothing
 * and both charge; Braintree's own duplicate-transaction check (a control-panel setting) is the
 * backstop for that.
 */
export class BraintreeCharges {
  private readonly recent = new RecentResults<PaymentOutcome>(60 * 60_000, 1000);

  constructor(private readonly context: BraintreeChargeContext) {}

  charge(request: ChargeNonceRequest): Promise<PaymentOutcome> {
    return this.recent.run(`${request.idempotencyKey}\u0000${request.nonce}`, () => this.chargeOnce(request));
  }

  /** The live charge of an order (as a retry would find it), or null when Braintree holds none. */
  async find(lookup: ChargeLookup): Promise<PaymentOutcome | null> {
    const earlier = await this.findEarlierCharge(lookup);
    return earlier ? outcomeFromTransaction(earlier) : null;
  }

  private async chargeOnce(request: ChargeNonceRequest): Promise<PaymentOutcome> {
    const earlier = await this.findEarlierCharge(request);
    if (earlier) return outcomeFromTransaction(earlier);
    const merchantAccountId = this.context.merchantAccountIdFor?.(request.amount.currency);
    const result = await callBraintree('sale', () => this.context.gateway.transaction.sale(saleRequest(request, merchantAccountId)));
    return outcomeFromSaleResult(result);
  }

  private async findEarlierCharge(request: ChargeLookup): Promise<braintree.Transaction | null> {
    const since = new Date(this.context.now().getTime() - SEARCH_WINDOW_MS);
    return callBraintree('search', async () => {
      const results = this.context.gateway.transaction.search((search) => {
        search.orderId().is(request.orderNumber);
        search.status().in([...LIVE_STATUSES]);
        search.createdAt().min(since);
      });
      for await (const item of results) {
        const transaction = item as braintree.Transaction;
        if (isSameCharge(transaction, request)) return transaction;
      }
      return null;
    });
  }
}

function isSameCharge(t: braintree.Transaction, request: ChargeLookup): boolean {
  if (t.type !== 'sale' || t.orderId !== request.orderNumber) return false;
  if (t.currencyIsoCode !== request.amount.currency) return false;
  let amount;
  try {
    amount = parseBraintreeAmount(t.amount, t.currencyIsoCode);
  } catch {
    return false;
  }
  const email = t.customer?.email;
  return amount.amount === request.amount.amount && (!email || email.toLowerCase() === request.email.toLowerCase());
}
