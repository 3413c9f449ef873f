import http from 'node:http';
import Stripe from 'stripe';
import { GatewayUnavailableError } from '../../server/payments/payment-gateway';
import { createStripeGateway } from '../../server/payments/stripe/stripe.gateway';
import { holdRefusingPort } from '../support/loopback';
import { paymentRequest, startCheckout, startStripeTestBed, type StripeTestBed } from '../support/stripe-test-bed';
import { useTeardown } from '../support/teardown';

let bed: StripeTestBed;
const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startStripeTestBed(), (b) => b.stop());
});

const sdk = () => new Stripe(bed.secretKey, { ...bed.sandbox.gatewayOptions().api, maxNetworkRetries: 0 });

async function unavailable(promise: Promise<unknown>): Promise<GatewayUnavailableError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(GatewayUnavailableError);
  expect((error as GatewayUnavailableError).gateway).toBe('stripe');
  return error as GatewayUnavailableError;
}

function rawApi(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { error?: Record<string, unknown> } }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${bed.sandbox.apiUrl}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      })
      .on('error', reject);
  });
}

describe('Stripe gateway faults are GatewayUnavailableError, never declines', () => {
  it('a wrong secret key', async () => {
    const gateway = createStripeGateway({ ...bed.sandbox.gatewayOptions(), secretKey: 'sk_test_wrong', webhookSecret: bed.webhookSecret });
    const error = await unavailable(gateway.createPayment(paymentRequest()));
    expect(error.diagnosis).toMatch(/Invalid API Key provided/);
    expect(error.diagnosis).not.toContain(bed.secretKey);
  });

  it('a Stripe that cannot be reached', async () => {
    const down = await holdRefusingPort();
    try {
      const gateway = createStripeGateway({
        secretKey: bed.secretKey,
        webhookSecret: bed.webhookSecret,
        api: { host: '127.0.0.1', port: down.port, protocol: 'http' },
      });
      await unavailable(gateway.fetchStatus('cs_test_nothing'));
    } finally {
      down.release();
    }
  });

  it('a reference Stripe does not know', async () => {
    await unavailable(bed.gateway.fetchStatus('cs_test_unknown'));
    await unavailable(bed.gateway.fetchStatus('pi_unknown'));
  });

  it('an idempotency key reused with other parameters (the SDK raises StripeIdempotencyError)', async () => {
    const request = paymentRequest();
    await startCheckout(bed.gateway, request);
    await unavailable(bed.gateway.createPayment({ ...request, orderNumber: 'PS-000043' }));
    await expect(
      sdk().checkout.sessions.create(
        {
          mode: 'payment',
          success_url: 'https://localhost/ok',
          line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } } }],
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });
});

describe('Stripe sandbox API speaks like Stripe', () => {
  it('401 without the secret key, 404 for an unknown route, both Stripe-shaped', async () => {
    const noKey = await rawApi('/v1/payment_intents/pi_x');
    expect(noKey.status).toBe(401);
    expect(noKey.body.error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringContaining('You did not provide an API key'),
    });
    const unknown = await rawApi('/v1/nothing-here', { Authorization: `Bearer ${bed.secretKey}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      type: 'invalid_request_error',
      message:
        'Unrecognized request URL (GET: /v1/nothing-here). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.',
    });
  });

  it('refuses parameters it does not know, naming the parameter', async () => {
    const error = await sdk()
      .checkout.sessions.create({
        mode: 'payment',
        success_url: 'https://localhost/ok',
        line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } } }],
        allow_promotion_codes: true,
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ code: 'parameter_unknown', param: 'allow_promotion_codes' });
  });

  it("keeps a session within Stripe's 30 minutes to 24 hours, whatever the order's deadline", async () => {
    const now = Date.now() / 1000;
    const soon = await startCheckout(bed.gateway, paymentRequest({ expiresAt: new Date(Date.now() + 5 * 60_000) }));
    const late = await startCheckout(bed.gateway, paymentRequest({ expiresAt: new Date(Date.now() + 48 * 3600_000) }));
    const exact = await startCheckout(bed.gateway, paymentRequest({ expiresAt: new Date(Date.now() + 2 * 3600_000) }));
    const [a, b, c] = await Promise.all([soon, late, exact].map((s) => sdk().checkout.sessions.retrieve(s.sessionId)));
    expect(a.expires_at).toBeGreaterThanOrEqual(now + 30 * 60);
    expect(a.expires_at).toBeLessThan(now + 40 * 60);
    expect(b.expires_at).toBeLessThanOrEqual(now + 24 * 3600 + 1);
    expect(Math.abs(c.expires_at - (now + 2 * 3600))).toBeLessThan(5);
  });

  it('sends line items, metadata and payment intent data as the store asked', async () => {
    const { sessionId } = await startCheckout(bed.gateway, paymentRequest({ captureLater: true }));
    const session = await sdk().checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({
      mode: 'payment',
      status: 'open',
      billing_address_collection: 'required',
      customer_email: 'ada@example.com',
      client_reference_id: '42',
      metadata: { order_id: '42', order_number: 'PS-000042', capture_method: 'manual' },
      amount_total: 4948,
      currency: 'usd',
      payment_intent: null,
    });
  });

  it('without a pages origin, the checkout page may navigate to checkout.stripe.com', () => {
    const gateway = createStripeGateway({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x' });
    expect(gateway.browserOrigins).toEqual({ scripts: [], frames: [], navigations: ['https://checkout.stripe.com'], connections: [] });
    expect(gateway.flow).toBe('hosted_page');
  });
});
