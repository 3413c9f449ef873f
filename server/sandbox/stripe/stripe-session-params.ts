import type Stripe from 'stripe';
import { isKnownCurrency, minorUnitExponent } from '../../money';
import { invalidRequest } from './stripe-api-error';
import type { PaymentIntentSpec, SessionSpec } from './stripe-objects';
import {
  enumParam,
  integerParam,
  listParam,
  metadataParam,
  objectParam,
  rejectUnknown,
  stringParam,
  type Params,
} from './stripe-request-params';

/** One line of a session's order summary, as the hosted page shows it. */
export interface SessionLine {
  readonly name: string;
  readonly unitAmount: number;
  readonly quantity: number;
}

/** A Checkout Session to create, read from `POST /v1/checkout/sessions`. */
export interface SessionCreate {
  readonly session: Omit<SessionSpec, 'pagesOrigin'>;
  readonly lines: readonly SessionLine[];
  /** `payment_intent_data`, applied to the PaymentIntent the session creates when the shopper pays. */
  readonly paymentIntent: Omit<PaymentIntentSpec, 'created' | 'amount' | 'currency' | 'receiptEmail'>;
}

const SESSION_PARAMS = [
  'mode',
  'line_items',
  'customer_email',
  'client_reference_id',
  'metadata',
  'payment_intent_data',
  'billing_address_collection',
  'success_url',
  'cancel_url',
  'expires_at',
  'payment_method_types',
  'expand',
];
const MIN_LIFETIME_S = 30 * 60;
const MAX_LIFETIME_S = 24 * 60 * 60;

function urlParam(value: unknown, param: string, required: boolean): string | undefined {
  const text = required ? stringParam(value, param, true) : stringParam(value, param);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text.replace('{CHECKOUT_SESSION_ID}', 'x'));
  } catch {
    throw invalidRequest('Not a valid URL', { code: 'url_invalid', param });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidRequest('Not a valid URL', { code: 'url_invalid', param });
  return text;
}

/**
 * Amounts in Stripe's minor units: three-decimal currencies must end in 0, and ISK (zero-decimal
 * but sent with two decimals) in 00 (stripe.com/docs/currencies, "Special cases").
 */
function checkUnitAmount(amount: number, currency: string, param: string): void {
  const code = currency.toUpperCase();
  const step = code === 'ISK' ? 100 : minorUnitExponent(code) === 3 ? 10 : 1;
  if (amount % step !== 0) throw invalidRequest(`Amounts in ${currency} must be a multiple of ${step}`, { code: 'invalid_amount', param });
}

function lineItem(raw: unknown, index: number): SessionLine & { currency: string } {
  const param = `line_items[${index}]`;
  const item = objectParam(raw, param) ?? {};
  rejectUnknown(item, ['price_data', 'quantity'], param);
  if (item.price_data === undefined)
    throw invalidRequest(`The sandbox needs ${param}[price_data] (prices by id are not supported)`, {
      code: 'parameter_missing',
      param: `${param}[price_data]`,
    });
  const priceData = objectParam(item.price_data, `${param}[price_data]`) ?? {};
  rejectUnknown(priceData, ['currency', 'unit_amount', 'product_data'], `${param}[price_data]`);
  const currency = stringParam(priceData.currency, `${param}[price_data][currency]`, true);
  if (currency !== currency.toLowerCase() || !isKnownCurrency(currency.toUpperCase())) {
    throw invalidRequest(`Invalid currency: ${currency}`, { code: 'parameter_invalid_string', param: `${param}[price_data][currency]` });
  }
  const unitAmount = integerParam(priceData.unit_amount, `${param}[price_data][unit_amount]`, true);
  checkUnitAmount(unitAmount, currency, `${param}[price_data][unit_amount]`);
  const product = objectParam(priceData.product_data, `${param}[price_data][product_data]`) ?? {};
  rejectUnknown(product, ['name'], `${param}[price_data][product_data]`);
  const name = stringParam(product.name, `${param}[price_data][product_data][name]`, true);
  const quantity = integerParam(item.quantity, `${param}[quantity]`, true);
  if (quantity < 1 || quantity > 999_999) throw invalidRequest('Quantity must be between 1 and 999999', { param: `${param}[quantity]` });
  return { name, unitAmount, quantity, currency };
}

/** Reads and validates the parameters of a new Checkout Session (mode `payment`, inline prices). */
export function parseSessionCreate(params: Params, created: number): SessionCreate {
  rejectUnknown(params, SESSION_PARAMS);
  const mode = stringParam(params.mode, 'mode', true);
  if (mode !== 'payment') throw invalidRequest('The sandbox supports mode=payment only', { param: 'mode' });

  const rawLines = listParam(params.line_items, 'line_items') ?? [];
  if (rawLines.length === 0)
    throw invalidRequest('Missing required param: line_items.', { code: 'parameter_missing', param: 'line_items' });
  if (rawLines.length > 100) throw invalidRequest('A Checkout Session can have up to 100 line items', { param: 'line_items' });
  const lines = rawLines.map(lineItem);
  const currency = (lines[0] as { currency: string }).currency;
  if (lines.some((l) => l.currency !== currency))
    throw invalidRequest('All line items must have the same currency', { param: 'line_items' });
  const amountTotal = lines.reduce((total, l) => total + l.unitAmount * l.quantity, 0);
  if (amountTotal <= 0 || !Number.isSafeInteger(amountTotal))
    throw invalidRequest('The Checkout Session total must be greater than zero', { param: 'line_items' });

  const customerEmail = stringParam(params.customer_email, 'customer_email') ?? null;
  if (customerEmail !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
    throw invalidRequest(`Invalid email address: ${customerEmail}`, { code: 'email_invalid', param: 'customer_email' });
  }
  const expiresAt = integerParam(params.expires_at, 'expires_at') ?? created + MAX_LIFETIME_S;
  if (expiresAt < created + MIN_LIFETIME_S) {
    throw invalidRequest('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', { param: 'expires_at' });
  }
  if (expiresAt > created + MAX_LIFETIME_S) {
    throw invalidRequest('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', { param: 'expires_at' });
  }
  const methodTypes = (listParam(params.payment_method_types, 'payment_method_types') ?? ['card']).map((v, i) =>
    stringParam(v, `payment_method_types[${i}]`, true),
  );
  if (methodTypes.some((t) => t !== 'card'))
    throw invalidRequest('The sandbox takes card payments only', { param: 'payment_method_types' });

  const piData = objectParam(params.payment_intent_data, 'payment_intent_data') ?? {};
  rejectUnknown(piData, ['metadata', 'capture_method', 'description'], 'payment_intent_data');
  const captureMethod = enumParam(piData.capture_method, 'payment_intent_data[capture_method]', [
    'automatic',
    'automatic_async',
    'manual',
  ] as const);

  const metadata: Stripe.Metadata = metadataParam(params.metadata, 'metadata');
  return {
    session: {
      created,
      expiresAt,
      currency,
      amountTotal,
      successUrl: urlParam(params.success_url, 'success_url', true) as string,
      cancelUrl: urlParam(params.cancel_url, 'cancel_url', false) ?? null,
      customerEmail,
      clientReferenceId: stringParam(params.client_reference_id, 'client_reference_id') ?? null,
      metadata,
      billingAddressCollection:
        enumParam(params.billing_address_collection, 'billing_address_collection', ['auto', 'required'] as const) ?? 'auto',
      paymentMethodTypes: methodTypes,
    },
    lines: lines.map(({ name, unitAmount, quantity }) => ({ name, unitAmount, quantity })),
    paymentIntent: {
      captureMethod: captureMethod === 'manual' ? 'manual' : 'automatic',
      description: stringParam(piData.description, 'payment_intent_data[description]') ?? null,
      metadata: metadataParam(piData.metadata, 'payment_intent_data[metadata]'),
    },
  };
}
