import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadTlsMaterial, type TlsMaterial } from '../../server/http/tls-certificate';
import { createLogger } from '../../server/logger';
import { money, type Money } from '../../server/money';
import type { CreatePaymentRequest, PaymentGateway } from '../../server/payments/payment-gateway';
import { startStripeSandbox, type StripeSandbox } from '../../server/sandbox/stripe/stripe-sandbox';
import { createStripeGateway } from '../../server/payments/stripe/stripe.gateway';
import { StripeCheckoutBrowser } from './stripe-checkout-browser';
import { StripeWebhookReceiver } from './stripe-webhook-receiver';
import { Teardown } from './teardown';

/** A Stripe sandbox, the real adapter pointed at it, a webhook receiver and a browser. */
export interface StripeTestBed {
  readonly sandbox: StripeSandbox;
  readonly gateway: PaymentGateway;
  readonly receiver: StripeWebhookReceiver;
  /** Where the receiver listens (the sandbox's callback target). */
  readonly receiverUrl: string;
  readonly browser: StripeCheckoutBrowser;
  readonly tls: TlsMaterial;
  readonly secretKey: string;
  readonly webhookSecret: string;
  /** Every line the sandbox logged (JSON text). */
  readonly logLines: string[];
  stop(): Promise<void>;
}

/** Starts a test bed; `firstRetryMs` shortens the webhook backoff. If a part fails to start, the others are stopped. */
export async function startStripeTestBed(options: { firstRetryMs?: number } = {}): Promise<StripeTestBed> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ logLevel: 'trace' }, sink);
  const undo = new Teardown();
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-stripe-'));
    undo.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const tls = await loadTlsMaterial({ kind: 'generated', dir }, logger);
    const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
    const webhookSecret = `whsec_${randomBytes(24)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, 'A')}`;
    const receiver = new StripeWebhookReceiver(tls);
    const receiverUrl = await undo.track(receiver.start(), () => receiver.stop());
    const sandbox = await undo.track(
      startStripeSandbox({ secretKey, webhookSecret, tls, logger, firstRetryMs: options.firstRetryMs ?? 50 }),
      (s) => s.stop(),
    );
    sandbox.setCallbackTarget(receiverUrl, { ca: tls.cert });
    const gateway = createStripeGateway(sandbox.gatewayOptions());
    return {
      sandbox,
      gateway,
      receiver,
      receiverUrl,
      browser: new StripeCheckoutBrowser(tls.cert),
      tls,
      secretKey,
      webhookSecret,
      logLines,
      stop: () => undo.run(),
    };
  } catch (error) {
    await undo.run().catch(() => undefined);
    throw error;
  }
}

/** An order attempt to pay at Stripe: two lines plus shipping, 1h to pay, a fresh idempotency key. */
export function paymentRequest(overrides: Partial<CreatePaymentRequest> & { currency?: string } = {}): CreatePaymentRequest {
  const currency = overrides.currency ?? 'USD';
  const m = (amount: number): Money => money(amount, currency);
  const lines = overrides.lines ?? [
    { name: 'Brass padlock', unitPrice: m(currency === 'JPY' ? 1500 : 1999), quantity: 2 },
    { name: 'Spare key', unitPrice: m(currency === 'JPY' ? 300 : 450), quantity: 1 },
  ];
  const shipping = overrides.shipping ?? m(currency === 'JPY' ? 800 : 500);
  const total = lines.reduce((t, l) => t + l.unitPrice.amount * l.quantity, 0) + shipping.amount;
  const { currency: _currency, ...rest } = overrides;
  return {
    orderId: 42,
    orderNumber: 'PS-000042',
    amount: m(total),
    lines,
    shipping,
    email: 'ada@example.com',
    billingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      line2: null,
      city: 'London',
      region: null,
      postalCode: 'NW1 6XE',
      country: 'GB',
    },
    captureLater: false,
    returnUrl: 'https://localhost:8443/checkout/return?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'https://localhost:8443/checkout/cancelled',
    expiresAt: new Date(Date.now() + 60 * 60 * 1000),
    idempotencyKey: randomUUID(),
    ...rest,
  };
}

/** Creates a payment and returns its session id and hosted page URL. */
export async function startCheckout(gateway: PaymentGateway, request: CreatePaymentRequest): Promise<{ sessionId: string; url: string }> {
  const created = await gateway.createPayment(request);
  if (created.kind !== 'redirect') throw new Error('Stripe answered without a redirect');
  return { sessionId: created.checkoutRef, url: created.redirectUrl };
}
