import type braintree from 'braintree';
import type { Logger } from '../../logger';
import { isKnownCurrency, minorUnitExponent, toDecimalString, type Money } from '../../money';
import { parseBraintreeAmount } from '../../payments/braintree/braintree-money';
import { authorizationCode, braintreeId } from './braintree-ids';
import { NonceVault, type ResolvedPaymentMethod } from './braintree-nonce-vault';
import type {
  MintedPaymentMethod,
  SandboxBilling,
  SandboxDispute,
  SandboxNotification,
  SandboxResult,
  SandboxTransaction,
  SandboxValidationError,
} from './braintree-sandbox-records';
import {
  amountBehaviour,
  avsErrorResponseCode,
  avsPostalCodeResponseCode,
  avsStreetAddressResponseCode,
  processorResponseText,
  processorResponseType,
  type ChargeBehaviour,
} from './braintree-test-values';

/** A `transaction.sale` request, as read from the SDK's JSON body. */
export interface SaleInput {
  readonly amount?: string;
  readonly paymentMethodNonce?: string;
  readonly orderId?: string;
  readonly merchantAccountId?: string;
  readonly customerEmail?: string;
  readonly billing: SandboxBilling;
  readonly submitForSettlement: boolean;
}

/** The subset of Braintree's transaction search the sandbox answers. */
export interface SearchCriteria {
  readonly ids?: readonly string[];
  readonly orderId?: string;
  readonly statuses?: readonly string[];
  readonly types?: readonly string[];
  readonly createdAtMin?: Date;
  readonly createdAtMax?: Date;
}

export interface LedgerOptions {
  readonly merchantId: string;
  readonly logger: Logger;
  /** Delay between submission for settlement and settlement. */
  readonly settleAfterMs: number;
  readonly notify: (notification: SandboxNotification) => void;
}

interface Entry {
  transaction: SandboxTransaction;
  /** The amount the transaction is for now (authorised, then submitted for settlement). */
  money: Money;
  /** Refunded so far, in minor units. */
  refunded: number;
}

const SETTLED_STATUSES: readonly braintree.TransactionStatus[] = ['settling', 'settled'];

/** The merchant account id the sandbox uses for a currency (`<merchant id>_jpy`). */
export function sandboxMerchantAccountId(merchantId: string, currency: string): string {
  return `${merchantId}_${currency.toLowerCase()}`;
}

const validation = (
  attribute: string,
  code: string,
  message: string,
  scope: readonly string[] = ['transaction'],
): SandboxValidationError => ({
  scope,
  attribute,
  code,
  message,
});

const refused = (errors: readonly SandboxValidationError[]): SandboxResult => ({
  ok: false,
  errors,
  message: errors.map((e) => e.message).join('\n'),
});

/**
 * The sandbox's bookkeeping: the life of each transaction as Braintree runs it (authorised →
 * submitted for settlement → settled, voided, refunded by credits, settlement declined,
 * disputed), the outcomes the documented test values decide, and the notifications each step
 * sends. It holds no card numbers: a nonce resolves to a card's type, last four digits and test
 * outcome only.
 */
export class SandboxLedger {
  private readonly nonces = new NonceVault();
  private readonly transactions = new Map<string, Entry>();
  private readonly disputes = new Map<string, SandboxDispute>();
  private readonly settlementTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: LedgerOptions) {}

  mintNonce(method: MintedPaymentMethod): string {
    return this.nonces.mint(method);
  }

  find(id: string): SandboxTransaction | undefined {
    return this.transactions.get(id)?.transaction;
  }

  /** The merchant account and its currency (the default account charges USD). */
  merchantAccount(id: string | undefined): { id: string; currency: string } | undefined {
    const { merchantId } = this.options;
    if (!id || id === merchantId) return { id: merchantId, currency: 'USD' };
    const prefix = `${merchantId}_`;
    const currency = id.startsWith(prefix) ? id.slice(prefix.length).toUpperCase() : '';
    return isKnownCurrency(currency) ? { id, currency } : undefined;
  }

  sale(input: SaleInput): SandboxResult {
    const errors: SandboxValidationError[] = [];
    const account = this.merchantAccount(input.merchantAccountId);
    if (!account) errors.push(validation('merchant_account_id', '91513', 'Merchant account ID is invalid.'));
    const amount = this.readAmount(input.amount, account?.currency ?? 'USD', errors);
    if (input.orderId && input.orderId.length > 255) errors.push(validation('order_id', '91501', 'Order ID is too long.'));
    const resolved = this.nonces.resolve(input.paymentMethodNonce);
    if ('error' in resolved) errors.push(resolved.error);
    if (errors.length > 0 || !account || !amount || !('method' in resolved)) return refused(errors);

    const method = resolved.method;
    if (input.paymentMethodNonce) this.nonces.consume(input.paymentMethodNonce);
    const behaviour = method.behaviour.kind !== 'approve' ? method.behaviour : amountBehaviour(this.hundredthsOfMajorUnit(amount));
    const transaction = this.newSale(input, account.id, amount, method, behaviour);
    this.transactions.set(transaction.id, { transaction, money: amount, refunded: 0 });
    this.options.logger.info(
      {
        transactionId: transaction.id,
        status: transaction.status,
        amount: transaction.amount,
        currency: transaction.currencyIsoCode,
        orderId: transaction.orderId,
      },
      'braintree sandbox: sale',
    );
    if (transaction.status === 'submitted_for_settlement') this.scheduleSettlement(transaction.id);
    if (behaviour.kind === 'approve') return { ok: true, transaction };
    return { ok: false, errors: [], message: declineMessage(transaction), transaction };
  }

  submitForSettlement(id: string, amountText: string | undefined): SandboxResult | undefined {
    const entry = this.transactions.get(id);
    if (!entry) return undefined;
    const t = entry.transaction;
    if (t.status !== 'authorized') {
      return refused([validation('base', '91507', 'Cannot submit for settlement unless status is authorized.')]);
    }
    const errors: SandboxValidationError[] = [];
    const amount = amountText === undefined ? entry.money : this.readAmount(amountText, t.currencyIsoCode, errors);
    if (!amount) return refused(errors);
    if (amount.amount > entry.money.amount) return refused([validation('amount', '91522', 'Settlement amount is too large.')]);
    entry.money = amount;
    t.amount = toDecimalString(amount);
    this.changeStatus(t, 'submitted_for_settlement');
    this.scheduleSettlement(id);
    return { ok: true, transaction: t };
  }

  void(id: string): SandboxResult | undefined {
    const entry = this.transactions.get(id);
    if (!entry) return undefined;
    const t = entry.transaction;
    if (t.status !== 'authorized' && t.status !== 'submitted_for_settlement') {
      return refused([
        validation(
          'base',
          '91504',
          'Transaction can only be voided if status is authorized, submitted_for_settlement, or - for PayPal - settlement_pending.',
        ),
      ]);
    }
    this.cancelSettlement(id);
    this.changeStatus(t, 'voided');
    return { ok: true, transaction: t };
  }

  refund(id: string, amountText: string | undefined): SandboxResult | undefined {
    const entry = this.transactions.get(id);
    if (!entry) return undefined;
    const t = entry.transaction;
    if (t.type !== 'sale') return refused([validation('base', '91505', 'Cannot refund a credit.')]);
    if (!SETTLED_STATUSES.includes(t.status)) {
      return refused([validation('base', '91506', 'Cannot refund transaction unless it is settled.')]);
    }
    const remaining = entry.money.amount - entry.refunded;
    if (remaining <= 0) return refused([validation('base', '91512', 'Transaction has already been fully refunded.')]);
    const errors: SandboxValidationError[] = [];
    const amount =
      amountText === undefined
        ? { amount: remaining, currency: entry.money.currency }
        : this.readAmount(amountText, t.currencyIsoCode, errors);
    if (!amount) return refused(errors);
    if (amount.amount > remaining) return refused([validation('amount', '91521', 'Refund amount is too large.')]);

    const now = new Date().toISOString();
    const credit: SandboxTransaction = {
      ...structuredClone(t),
      id: braintreeId(),
      type: 'credit',
      status: 'submitted_for_settlement',
      amount: toDecimalString(amount),
      createdAt: now,
      updatedAt: now,
      refundIds: [],
      refundedTransactionId: t.id,
      avsErrorResponseCode: null,
      avsPostalCodeResponseCode: null,
      avsStreetAddressResponseCode: null,
      cvvResponseCode: null,
      processorResponseCode: '1002',
      processorResponseText: processorResponseText('1002'),
      processorResponseType: 'approved',
      processorAuthorizationCode: null,
      statusHistory: [
        {
          status: 'submitted_for_settlement',
          timestamp: now,
          amount: toDecimalString(amount),
          transactionSource: 'api',
          user: this.options.merchantId,
        },
      ],
    };
    this.transactions.set(credit.id, { transaction: credit, money: amount, refunded: 0 });
    entry.refunded += amount.amount;
    t.refundIds = [...(t.refundIds ?? []), credit.id];
    t.updatedAt = now;
    this.scheduleSettlement(credit.id);
    this.options.logger.info({ transactionId: t.id, refundId: credit.id, amount: credit.amount }, 'braintree sandbox: refund');
    return { ok: true, transaction: credit };
  }

  /** Ids of the transactions matching, oldest first. */
  search(criteria: SearchCriteria): string[] {
    return [...this.transactions.values()]
      .map((e) => e.transaction)
      .filter(
        (t) =>
          (!criteria.ids || criteria.ids.includes(t.id)) &&
          (criteria.orderId === undefined || t.orderId === criteria.orderId) &&
          (!criteria.statuses || criteria.statuses.includes(t.status)) &&
          (!criteria.types || criteria.types.includes(t.type)) &&
          (!criteria.createdAtMin || new Date(t.createdAt) >= criteria.createdAtMin) &&
          (!criteria.createdAtMax || new Date(t.createdAt) <= criteria.createdAtMax),
      )
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((t) => t.id);
  }

  /** Settles a transaction submitted for settlement, now (test helper; also the settlement timer). */
  settle(id: string): void {
    const t = this.settleable(id, ['submitted_for_settlement', 'settling']).transaction;
    this.cancelSettlement(id);
    this.changeStatus(t, 'settled');
    this.options.logger.info({ transactionId: id }, 'braintree sandbox: settled');
    // Real Braintree sends transaction webhooks for ACH and SEPA direct debit only; the sandbox
    // sends transaction_settled for every sale so the store's callback path is exercised end to
    // end. Refunds (credits) settle silently: the store learns of them from the refund call.
    if (t.type === 'sale') this.options.notify({ kind: 'transaction_settled', transaction: structuredClone(t) });
  }

  /** The bank declines the settlement (test helper). */
  declineSettlement(id: string): void {
    const t = this.settleable(id, ['submitted_for_settlement', 'settling', 'settled']).transaction;
    this.cancelSettlement(id);
    t.processorSettlementResponseCode = '4001';
    t.processorSettlementResponseText = 'Settlement Declined';
    this.changeStatus(t, 'settlement_declined');
    this.options.notify({ kind: 'transaction_settlement_declined', transaction: structuredClone(t) });
  }

  /** The shopper's bank opens a chargeback for the whole amount (test helper); returns the dispute id. */
  openDispute(id: string): string {
    const entry = this.settleable(id, ['settling', 'settled']);
    const t = entry.transaction;
    const now = new Date();
    const day = (offsetDays: number) => new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const disputed = toDecimalString({ amount: entry.money.amount - entry.refunded, currency: t.currencyIsoCode });
    const dispute: SandboxDispute = {
      id: braintreeId(),
      amount: disputed,
      amountDisputed: disputed,
      currencyIsoCode: t.currencyIsoCode,
      kind: 'chargeback',
      reason: 'fraud',
      status: 'open',
      receivedDate: day(0),
      replyByDate: day(14),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      transaction: { id: t.id, amount: t.amount, orderId: t.orderId ?? '' },
    };
    this.disputes.set(dispute.id, dispute);
    this.options.notify({ kind: 'dispute_opened', dispute: structuredClone(dispute) });
    return dispute.id;
  }

  /** Everything the sandbox holds, as JSON (tests check that no card number is ever in it). */
  dump(): string {
    return JSON.stringify({
      nonces: this.nonces.entries(),
      transactions: [...this.transactions.values()],
      disputes: [...this.disputes.values()],
    });
  }

  stop(): void {
    for (const timer of this.settlementTimers.values()) clearTimeout(timer);
    this.settlementTimers.clear();
  }

  private newSale(
    input: SaleInput,
    merchantAccountId: string,
    amount: Money,
    method: ResolvedPaymentMethod,
    behaviour: ChargeBehaviour,
  ): SandboxTransaction {
    const now = new Date().toISOString();
    const status: braintree.TransactionStatus =
      behaviour.kind === 'approve'
        ? input.submitForSettlement
          ? 'submitted_for_settlement'
          : 'authorized'
        : behaviour.kind === 'processor_declined'
          ? 'processor_declined'
          : behaviour.kind === 'failed'
            ? 'failed'
            : 'gateway_rejected';
    const responseCode =
      behaviour.kind === 'approve'
        ? '1000'
        : behaviour.kind === 'processor_declined'
          ? behaviour.code
          : behaviour.kind === 'failed'
            ? '3000'
            : null;
    const card = method.kind === 'credit_card' ? method : null;
    // The transaction's billing address wins; the postal code typed in the card form is the fallback.
    const postalCode = input.billing.postalCode || card?.postalCode || null;
    return {
      id: braintreeId(),
      type: 'sale',
      status,
      amount: toDecimalString(amount),
      currencyIsoCode: amount.currency,
      merchantAccountId,
      orderId: input.orderId,
      createdAt: now,
      updatedAt: now,
      customer: { id: null, email: input.customerEmail },
      billing: input.billing,
      paymentInstrumentType: card ? 'credit_card' : 'paypal_account',
      ...(card
        ? {
            creditCard: {
              bin: card.bin,
              last4: card.last4,
              cardType: card.cardType,
              expirationMonth: card.expirationMonth,
              expirationYear: card.expirationYear,
              maskedNumber: `${card.bin}${'*'.repeat(card.numberLength - card.bin.length - 4)}${card.last4}`,
            },
          }
        : {
            paypalAccount: {
              payerEmail: method.kind === 'paypal_account' ? method.payerEmail : '',
              paymentId: `PAYID-SANDBOX${braintreeId().toUpperCase()}`,
              authorizationId: braintreeId().toUpperCase(),
            },
          }),
      // PayPal payments carry no address or security-code checks.
      avsErrorResponseCode: card ? avsErrorResponseCode(postalCode) : null,
      avsPostalCodeResponseCode: card ? avsPostalCodeResponseCode(postalCode) : null,
      avsStreetAddressResponseCode: card ? avsStreetAddressResponseCode(input.billing.streetAddress ?? null) : null,
      cvvResponseCode: card ? card.cvvResponseCode : null,
      processorResponseCode: responseCode,
      processorResponseText: responseCode ? processorResponseText(responseCode) : null,
      processorResponseType: responseCode ? processorResponseType(responseCode) : null,
      processorAuthorizationCode: behaviour.kind === 'approve' ? authorizationCode() : null,
      processorSettlementResponseCode: null,
      processorSettlementResponseText: null,
      gatewayRejectionReason: behaviour.kind === 'gateway_rejected' ? behaviour.reason : null,
      refundIds: [],
      statusHistory: [{ status, timestamp: now, amount: toDecimalString(amount), transactionSource: 'api', user: this.options.merchantId }],
    };
  }

  private readAmount(text: string | undefined, currency: string, errors: SandboxValidationError[]): Money | undefined {
    if (text === undefined || text === '') {
      errors.push(validation('amount', '81502', 'Amount is required.'));
      return undefined;
    }
    let amount: Money;
    try {
      amount = parseBraintreeAmount(text, currency);
    } catch {
      errors.push(validation('amount', '81503', 'Amount is an invalid format.'));
      return undefined;
    }
    if (amount.amount <= 0) {
      errors.push(validation('amount', '81531', 'Amount must be greater than zero.'));
      return undefined;
    }
    return amount;
  }

  private hundredthsOfMajorUnit(amount: Money): number {
    return Math.floor((amount.amount * 100) / 10 ** minorUnitExponent(amount.currency));
  }

  private settleable(id: string, statuses: readonly braintree.TransactionStatus[]): Entry {
    const entry = this.transactions.get(id);
    if (!entry) throw new Error(`No sandbox transaction ${id}`);
    const status = entry.transaction.status;
    if (!statuses.includes(status)) throw new Error(`Sandbox transaction ${id} is ${status}, not ${statuses.join(' or ')}`);
    return entry;
  }

  private changeStatus(t: SandboxTransaction, status: braintree.TransactionStatus): void {
    const now = new Date().toISOString();
    t.status = status;
    t.updatedAt = now;
    t.statusHistory.push({ status, timestamp: now, amount: t.amount, transactionSource: 'api', user: this.options.merchantId });
  }

  private scheduleSettlement(id: string): void {
    this.cancelSettlement(id);
    const timer = setTimeout(() => {
      this.settlementTimers.delete(id);
      const status = this.transactions.get(id)?.transaction.status;
      if (status === 'submitted_for_settlement' || status === 'settling') this.settle(id);
    }, this.options.settleAfterMs);
    timer.unref();
    this.settlementTimers.set(id, timer);
  }

  private cancelSettlement(id: string): void {
    const timer = this.settlementTimers.get(id);
    if (timer) clearTimeout(timer);
    this.settlementTimers.delete(id);
  }
}

function declineMessage(t: SandboxTransaction): string {
  if (t.status === 'gateway_rejected') return `Gateway Rejected: ${t.gatewayRejectionReason}`;
  return t.processorResponseText ?? 'Processor Declined';
}
