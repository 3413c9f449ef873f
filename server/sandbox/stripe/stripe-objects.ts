import type Stripe from 'stripe';
import { clientSecretFor, newStripeId } from './stripe-sandbox-ids';
import type { CardFacts, StripeCheck } from './stripe-test-cards';

/**
 * Builders of the objects the sandbox answers with, typed as stripe-node's own types so that the
 * compiler checks every field against the API version the SDK pins. Fields the sandbox has no
 * use for get the value Stripe gives them in that situation (mostly null).
 */

/** The parameters of a Checkout Session the sandbox keeps (from `POST /v1/checkout/sessions`). */
export interface SessionSpec {
  readonly created: number;
  readonly expiresAt: number;
  readonly currency: string;
  readonly amountTotal: number;
  readonly successUrl: string;
  readonly cancelUrl: string | null;
  readonly customerEmail: string | null;
  readonly clientReferenceId: string | null;
  readonly metadata: Stripe.Metadata;
  readonly billingAddressCollection: 'auto' | 'required';
  readonly paymentMethodTypes: readonly string[];
  readonly pagesOrigin: string;
}

/** A new, open Checkout Session (no PaymentIntent until the shopper tries to pay). */
export function newSession(spec: SessionSpec): Stripe.Checkout.Session {
  const id = newStripeId('cs_test');
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: spec.amountTotal,
    amount_total: spec.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: spec.billingAddressCollection,
    cancel_url: spec.cancelUrl,
    client_reference_id: spec.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: spec.created,
    currency: spec.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: 'if_required',
    customer_details: spec.customerEmail
      ? {
          address: null,
          business_name: null,
          email: spec.customerEmail,
          individual_name: null,
          name: null,
          phone: null,
          tax_exempt: 'none',
          tax_ids: null,
        }
      : null,
    customer_email: spec.customerEmail,
    discounts: [],
    expires_at: spec.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: { ...spec.metadata },
    mode: 'payment',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: [...spec.paymentMethodTypes],
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: spec.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: `${spec.pagesOrigin}/c/pay/${id}`,
    wallet_options: null,
  };
}

/** What a Checkout Session passes on to the PaymentIntent it creates (`payment_intent_data`). */
export interface PaymentIntentSpec {
  readonly created: number;
  readonly amount: number;
  readonly currency: string;
  readonly captureMethod: 'automatic' | 'manual';
  readonly description: string | null;
  readonly metadata: Stripe.Metadata;
  readonly receiptEmail: string | null;
}

/** The PaymentIntent a Checkout Session creates when the shopper first submits a card. */
export function newPaymentIntent(spec: PaymentIntentSpec): Stripe.PaymentIntent {
  const id = newStripeId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: spec.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: spec.captureMethod,
    client_secret: clientSecretFor(id),
    confirmation_method: 'automatic',
    created: spec.created,
    currency: spec.currency,
    customer: null,
    customer_account: null,
    description: spec.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...spec.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: spec.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
  };
}

/** A billing address as the hosted page collects it. */
export interface BillingAddress {
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** One attempt to charge a card for a PaymentIntent: approved (with checks) or declined. */
export interface ChargeSpec {
  readonly created: number;
  readonly paymentIntent: Stripe.PaymentIntent;
  readonly paymentMethodId: string;
  readonly card: CardFacts;
  readonly cardholderName: string;
  readonly email: string | null;
  readonly address: BillingAddress;
  readonly result:
    | {
        readonly kind: 'approved';
        readonly checks: { readonly line1: StripeCheck; readonly postalCode: StripeCheck; readonly cvc: StripeCheck };
      }
    | { readonly kind: 'declined'; readonly code: string; readonly declineCode: string; readonly message: string };
}

const UNCAPTURED_VALIDITY_S = 7 * 24 * 60 * 60;

/** The Charge of one attempt; a manual-capture approval is authorised but not captured. */
export function newCharge(spec: ChargeSpec): Stripe.Charge {
  const pi = spec.paymentIntent;
  const approved = spec.result.kind === 'approved';
  const captured = approved && pi.capture_method !== 'manual';
  const checks = spec.result.kind === 'approved' ? spec.result.checks : null;
  return {
    id: newStripeId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: captured ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? newStripeId('txn') : null,
    billing_details: {
      address: {
        city: spec.address.city,
        country: spec.address.country,
        line1: spec.address.line1,
        line2: null,
        postal_code: spec.address.postalCode,
        state: null,
      },
      email: spec.email,
      name: spec.cardholderName,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'PADLOCK STORE',
    captured,
    created: spec.created,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: spec.result.kind === 'declined' ? spec.result.code : null,
    failure_message: spec.result.kind === 'declined' ? spec.result.message : null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome:
      spec.result.kind === 'approved'
        ? {
            advice_code: null,
            network_advice_code: null,
            network_decline_code: null,
            network_status: 'approved_by_network',
            reason: null,
            risk_level: 'normal',
            risk_score: 20,
            seller_message: 'Payment complete.',
            type: 'authorized',
          }
        : {
            advice_code: null,
            network_advice_code: null,
            network_decline_code: null,
            network_status: 'declined_by_network',
            reason: spec.result.declineCode,
            risk_level: 'normal',
            risk_score: 20,
            seller_message: 'The bank did not return any further details with this decline.',
            type: 'issuer_declined',
          },
    paid: approved,
    payment_intent: pi.id,
    payment_method: spec.paymentMethodId,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: approved ? pi.amount : null,
        authorization_code: approved ? String(100000 + Math.floor(Math.random() * 900000)) : null,
        brand: spec.card.brand,
        ...(approved && !captured ? { capture_before: spec.created + UNCAPTURED_VALIDITY_S } : {}),
        checks: checks ? { address_line1_check: checks.line1, address_postal_code_check: checks.postalCode, cvc_check: checks.cvc } : null,
        country: spec.card.country,
        electronic_commerce_indicator: null,
        exp_month: spec.card.expMonth,
        exp_year: spec.card.expYear,
        funding: spec.card.funding,
        installments: null,
        last4: spec.card.last4,
        mandate: null,
        network: spec.card.brand,
        network_transaction_id: approved ? String(Math.floor(Math.random() * 1e15)) : null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: spec.email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: approved ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A refund of part or all of a captured charge (cards refund synchronously in test mode). */
export function newRefund(charge: Stripe.Charge, amount: number, created: number): Stripe.Refund {
  return {
    id: newStripeId('re'),
    object: 'refund',
    amount,
    balance_transaction: newStripeId('txn'),
    charge: charge.id,
    created,
    currency: charge.currency,
    customer: null,
    customer_account: null,
    destination_details: {
      type: 'card',
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
    },
    metadata: {},
    payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null),
    payment_method: charge.payment_method,
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

const EVIDENCE_WINDOW_S = 7 * 24 * 60 * 60;

/** A dispute of a captured charge, as the 0259 test card opens one: fraudulent, awaiting the merchant's response. */
export function newDispute(charge: Stripe.Charge, created: number): Stripe.Dispute {
  return {
    id: newStripeId('dp'),
    object: 'dispute',
    amount: charge.amount_captured,
    balance_transactions: [],
    charge: charge.id,
    created,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: {
      access_activity_log: null,
      billing_address: null,
      cancellation_policy: null,
      cancellation_policy_disclosure: null,
      cancellation_rebuttal: null,
      customer_communication: null,
      customer_email_address: null,
      customer_name: null,
      customer_purchase_ip: null,
      customer_signature: null,
      duplicate_charge_documentation: null,
      duplicate_charge_explanation: null,
      duplicate_charge_id: null,
      enhanced_evidence: {},
      product_description: null,
      receipt: null,
      refund_policy: null,
      refund_policy_disclosure: null,
      refund_refusal_explanation: null,
      service_date: null,
      service_documentation: null,
      shipping_address: null,
      shipping_carrier: null,
      shipping_date: null,
      shipping_documentation: null,
      shipping_tracking_number: null,
      uncategorized_file: null,
      uncategorized_text: null,
    },
    evidence_details: {
      due_by: created + EVIDENCE_WINDOW_S,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null),
    reason: 'fraudulent',
    status: 'needs_response',
  };
}
