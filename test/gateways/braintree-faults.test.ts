import { randomUUID } from 'node:crypto';
import braintree from 'braintree';
import { money } from '../../server/money';
import { createBraintreeGateway } from '../../server/payments/braintree/braintree.gateway';
import { GatewayUnavailableError, type PaymentGateway } from '../../server/payments/payment-gateway';
import { holdRefusingPort } from '../support/loopback';
import { chargeRequest, createPaymentRequest } from '../support/braintree-requests';
import { startBraintreeTestBed, type BraintreeTestBed } from '../support/braintree-test-bed';
import { useTeardown } from '../support/teardown';

let bed: BraintreeTestBed;

const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startBraintreeTestBed(), (b) => b.close());
});

async function expectUnavailable(gateway: PaymentGateway, pattern: RegExp): Promise<void> {
  const attempts: (() => Promise<unknown>)[] = [
    () => gateway.createPayment(createPaymentRequest()),
    () => gateway.chargeNonce!(chargeRequest('fake-valid-nonce')),
    () => gateway.fetchStatus('abcd1234'),
    () => gateway.refund('abcd1234', money(100, 'USD'), randomUUID()),
  ];
  for (const attempt of attempts) {
    const error = await attempt().then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(GatewayUnavailableError);
    expect((error as GatewayUnavailableError).gateway).toBe('braintree');
    expect((error as GatewayUnavailableError).diagnosis).toMatch(pattern);
    expect((error as GatewayUnavailableError).diagnosis).not.toContain('wrong_private_key');
  }
}

describe('Braintree faults are gateway errors, never declines', () => {
  it('reports wrong API keys as unavailable (authentication error)', async () => {
    const gateway = createBraintreeGateway({ ...bed.sandbox.gatewayOptions(), privateKey: 'wrong_private_key' });
    await expectUnavailable(gateway, /authenticationError/);
  });

  it('reports a wrong merchant id as unavailable', async () => {
    const gateway = createBraintreeGateway({ ...bed.sandbox.gatewayOptions(), merchantId: 'someone_else' });
    await expectUnavailable(gateway, /notFoundError/);
  });

  it('reports an unreachable gateway as unavailable', async () => {
    const down = await holdRefusingPort();
    try {
      const port = String(down.port);
      const environment = new braintree.Environment('127.0.0.1', port, 'http://127.0.0.1', false, '127.0.0.1', port);
      const gateway = createBraintreeGateway({ ...bed.sandbox.gatewayOptions(), environment });
      await expectUnavailable(gateway, /unexpectedError.*ECONNREFUSED/);
    } finally {
      down.release();
    }
  });

  it('charges again after a fault instead of remembering it', async () => {
    const request = chargeRequest('fake-valid-nonce');
    const broken = createBraintreeGateway({ ...bed.sandbox.gatewayOptions(), privateKey: 'wrong_private_key' });
    await expect(broken.chargeNonce!(request)).rejects.toBeInstanceOf(GatewayUnavailableError);
    await expect(bed.gateway.chargeNonce!(request)).resolves.toMatchObject({ status: 'captured' });
  });
});
