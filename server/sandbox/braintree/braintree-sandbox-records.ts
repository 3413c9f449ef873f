import type braintree from 'braintree';
import type { ChargeBehaviour, TestCardType } from './braintree-test-values';

type Nullable<T> = { [K in keyof T]: T[K] | null };

/**
 * A transaction as the sandbox keeps and serves it: the SDK's own `braintree.Transaction` type,
 * narrowed to the fields the sandbox fills, so the compiler checks each name and type against
 * what the SDK reads. Codes Braintree leaves empty are `null` (served as `nil="true"`).
 */
export type SandboxTransaction = Pick<
  braintree.Transaction,
  | 'id'
  | 'type'
  | 'status'
  | 'amount'
  | 'currencyIsoCode'
  | 'merchantAccountId'
  | 'orderId'
  | 'createdAt'
  | 'updatedAt'
  | 'paymentInstrumentType'
  | 'refundIds'
  | 'refundedTransactionId'
  | 'billing'
> &
  Nullable<
    Pick<
      braintree.Transaction,
      | 'avsErrorResponseCode'
      | 'avsPostalCodeResponseCode'
      | 'avsStreetAddressResponseCode'
      | 'cvvResponseCode'
      | 'processorResponseCode'
      | 'processorResponseText'
      | 'processorResponseType'
      | 'processorAuthorizationCode'
      | 'processorSettlementResponseCode'
      | 'processorSettlementResponseText'
      | 'gatewayRejectionReason'
    >
  > & {
    customer: Pick<braintree.Transaction['customer'], 'email'> & { id: string | null };
    creditCard?: Pick<
      NonNullable<braintree.Transaction['creditCard']>,
      'bin' | 'last4' | 'cardType' | 'expirationMonth' | 'expirationYear' | 'maskedNumber'
    >;
    paypalAccount?: Pick<NonNullable<braintree.Transaction['paypalAccount']>, 'payerEmail' | 'paymentId' | 'authorizationId'>;
    statusHistory: Pick<braintree.TransactionStatusHistory, 'status' | 'timestamp' | 'amount' | 'transactionSource' | 'user'>[];
  };

export type SandboxBilling = NonNullable<SandboxTransaction['billing']>;

/**
 * A dispute as the sandbox serves it in `dispute_opened` notifications: `braintree.Dispute`,
 * narrowed. `status` is written as Braintree writes it (`open`; the SDK's `Dispute.Status`), which
 * the community type misspells with capitals.
 */
export type SandboxDispute = Pick<
  braintree.Dispute,
  'id' | 'amountDisputed' | 'currencyIsoCode' | 'kind' | 'reason' | 'receivedDate' | 'replyByDate' | 'createdAt' | 'updatedAt'
> & {
  amount: string;
  status: 'open';
  transaction: Pick<braintree.Dispute['transaction'], 'id' | 'amount' | 'orderId'>;
};

/**
 * What a nonce minted by the fields page stands for. Only what a real gateway would keep about
 * a tokenized card is held: its type, last four digits and expiry, and the outcomes the test
 * values decide (never the number or the security code).
 */
export type MintedPaymentMethod =
  | {
      readonly kind: 'credit_card';
      readonly cardType: TestCardType;
      readonly last4: string;
      readonly numberLength: number;
      readonly expirationMonth: string;
      readonly expirationYear: string;
      readonly cvvResponseCode: 'M' | 'N' | 'U' | 'S' | 'I';
      readonly postalCode: string | null;
      readonly behaviour: ChargeBehaviour;
    }
  | { readonly kind: 'paypal_account'; readonly payerEmail: string; readonly behaviour: ChargeBehaviour };

/** A webhook the sandbox sends, with its subject as the SDK parses it. */
export type SandboxNotification =
  | { readonly kind: 'transaction_settled' | 'transaction_settlement_declined'; readonly transaction: SandboxTransaction }
  | { readonly kind: 'dispute_opened'; readonly dispute: SandboxDispute };

/** One validation error, with where Braintree nests it (`transaction`, `transaction.creditCard`). */
export interface SandboxValidationError {
  readonly scope: readonly string[];
  readonly attribute: string;
  readonly code: string;
  readonly message: string;
}

/** The answer to one API call that creates or changes a transaction. */
export type SandboxResult =
  | { readonly ok: true; readonly transaction: SandboxTransaction }
  | {
      readonly ok: false;
      readonly errors: readonly SandboxValidationError[];
      readonly message: string;
      /** Present for processor declines, gateway rejections and failures: the transaction exists. */
      readonly transaction?: SandboxTransaction;
    };
