import { createHash, createHmac } from 'node:crypto';
import braintree from 'braintree';
import { money } from '../../server/money';
import { createBraintreeGateway } from '../../server/payments/braintree/braintree.gateway';
import { CallbackVerificationError, type PaymentGateway } from '../../server/payments/payment-gateway';
import { SANDBOX_KEYS } from '../support/braintree-test-bed';

// Webhooks are verified offline: no sandbox is needed, only the keys.
const environment = new braintree.Environment('127.0.0.1', '9', 'http://127.0.0.1', false, '127.0.0.1', '9');
let clock = new Date();
const gateway: PaymentGateway = createBraintreeGateway({ ...SANDBOX_KEYS, environment, now: () => clock });
const braintreeWith = (keys: Partial<typeof SANDBOX_KEYS>) => new braintree.BraintreeGateway({ ...SANDBOX_KEYS, ...keys, environment });

beforeEach(() => {
  clock = new Date();
});

function rawCallback(form: Record<string, string>): { headers: Record<string, string>; rawBody: Buffer } {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: Buffer.from(new URLSearchParams(form).toString()) };
}

async function sample(kind: braintree.WebhookNotificationKind, id: string, keys: Partial<typeof SANDBOX_KEYS> = {}) {
  const { bt_signature, bt_payload } = await braintreeWith(keys).webhookTesting.sampleNotification(kind, id);
  return { bt_signature, bt_payload };
}

/** Signs by Braintree's scheme, written out independently of the sandbox's signer. */
function signed(xml: string): Record<string, string> {
  const payload = `${Buffer.from(xml).toString('base64')}\n`;
  const key = createHash('sha1').update(SANDBOX_KEYS.privateKey).digest();
  return { bt_signature: `${SANDBOX_KEYS.publicKey}|${createHmac('sha1', key).update(payload).digest('hex')}`, bt_payload: payload };
}

function settledXml(timestamp: Date, id = 'txn12345'): string {
  return `<notification>
  <timestamp type="datetime">${timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z')}</timestamp>
  <kind>transaction_settled</kind>
  <subject><transaction><id>${id}</id><status>settled</status><type>sale</type><currency-iso-code>USD</currency-iso-code><amount>69.00</amount></transaction></subject>
</notification>`;
}

async function rejection(form: Record<string, string>): Promise<CallbackVerificationError> {
  try {
    await gateway.parseCallback(rawCallback(form));
  } catch (err) {
    if (err instanceof CallbackVerificationError) return err;
    throw err;
  }
  throw new Error('the callback was accepted');
}

describe('Braintree webhook verification', () => {
  it('normalises a signed transaction_settled notification to payment_succeeded', async () => {
    const callback = await gateway.parseCallback(rawCallback(await sample('transaction_settled', 'abc123')));
    expect(callback).toEqual({
      gateway: 'braintree',
      eventId: expect.stringMatching(/^transaction_settled:abc123:\d{4}-\d\d-\d\dT/),
      type: 'transaction_settled',
      kind: 'payment_succeeded',
      ref: 'abc123',
      amount: money(10000, 'USD'),
      occurredAt: expect.any(Date),
    });
    expect(Math.abs(callback.occurredAt.getTime() - Date.now())).toBeLessThan(5000);
  });

  it('normalises transaction_settlement_declined to payment_failed', async () => {
    await expect(gateway.parseCallback(rawCallback(await sample('transaction_settlement_declined', 'abc124')))).resolves.toMatchObject({
      kind: 'payment_failed',
      ref: 'abc124',
      amount: money(10000, 'USD'),
    });
  });

  it('normalises dispute_opened to dispute_opened on the disputed transaction, with the disputed amount', async () => {
    await expect(gateway.parseCallback(rawCallback(await sample('dispute_opened', 'dsp1')))).resolves.toMatchObject({
      kind: 'dispute_opened',
      ref: 'dsp1',
      amount: money(25000, 'USD'),
      eventId: expect.stringMatching(/^dispute_opened:dsp1:/),
    });
  });

  it('verifies but ignores kinds the store does not act on', async () => {
    await expect(gateway.parseCallback(rawCallback(await sample('subscription_canceled', 'sub1')))).resolves.toMatchObject({
      kind: 'ignored',
      type: 'subscription_canceled',
      ref: null,
      amount: null,
      eventId: expect.stringMatching(/^subscription_canceled:sub1:/),
    });
    await expect(gateway.parseCallback(rawCallback(await sample('check', '')))).resolves.toMatchObject({ kind: 'ignored', type: 'check' });
  });

  it('gives a redelivered notification the same event id', async () => {
    const form = signed(settledXml(clock));
    const first = await gateway.parseCallback(rawCallback(form));
    const again = await gateway.parseCallback(rawCallback(form));
    expect(again.eventId).toBe(first.eventId);
  });

  it('refuses a notification signed with another private key', async () => {
    await expect(
      rejection(await sample('transaction_settled', 'abc125', { privateKey: 'someone_elses_private_key' })),
    ).resolves.toMatchObject({ reason: 'bad_signature' });
  });

  it('refuses a notification signed for another public key', async () => {
    await expect(rejection(await sample('transaction_settled', 'abc126', { publicKey: 'other_public_key' }))).resolves.toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('refuses a payload changed after signing', async () => {
    const form = signed(settledXml(clock));
    const tampered = signed(settledXml(clock, 'txn99999'));
    await expect(rejection({ bt_signature: form.bt_signature, bt_payload: tampered.bt_payload })).resolves.toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('refuses a request without bt_signature or bt_payload as missing a signature', async () => {
    const form = await sample('transaction_settled', 'abc127');
    await expect(rejection({ bt_payload: form.bt_payload })).resolves.toMatchObject({ reason: 'missing_signature' });
    await expect(rejection({ bt_signature: form.bt_signature })).resolves.toMatchObject({ reason: 'missing_signature' });
    await expect(rejection({})).resolves.toMatchObject({ reason: 'missing_signature' });
  });

  it('refuses a correctly signed notification that is 11 minutes old as stale', async () => {
    const elevenMinutesAgo = new Date(clock.getTime() - 11 * 60_000);
    await expect(rejection(signed(settledXml(elevenMinutesAgo)))).resolves.toMatchObject({ reason: 'stale' });
    const nineMinutesAgo = new Date(clock.getTime() - 9 * 60_000);
    await expect(gateway.parseCallback(rawCallback(signed(settledXml(nineMinutesAgo))))).resolves.toMatchObject({
      kind: 'payment_succeeded',
    });
  });

  it('refuses a notification dated more than five minutes ahead', async () => {
    await expect(rejection(signed(settledXml(new Date(clock.getTime() + 6 * 60_000))))).resolves.toMatchObject({ reason: 'stale' });
  });

  it('refuses a correctly signed payload that is not a notification as malformed', async () => {
    await expect(rejection(signed('<notification><kind>transaction_settled</kind></notification>'))).resolves.toMatchObject({
      reason: 'malformed',
    });
  });
});

describe('Braintree webhook for refunds', () => {
  it('ignores a refund (credit) settling: it is not a payment', async () => {
    const xml = settledXml(clock, 'crd12345').replace('<type>sale</type>', '<type>credit</type>');
    await expect(gateway.parseCallback(rawCallback(signed(xml)))).resolves.toMatchObject({ kind: 'ignored', ref: null, amount: null });
  });
});
