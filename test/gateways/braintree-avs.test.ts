import type { AvsResult } from '../../server/payments/payment-gateway';
import { billingAddress, chargeRequest } from '../support/braintree-requests';
import { startBraintreeTestBed, tokenizeCard, type BraintreeTestBed } from '../support/braintree-test-bed';
import { useTeardown } from '../support/teardown';

// Braintree's documented sandbox values ("AVS and CVV/CID responses" in the Testing reference):
// billing postal code 20000 → N, 20001 → U, 30000 → AVS error E, 30001 → AVS error S;
// street number 200 → N, 201 → U; CVV 200 → N, 201 → U, 301 → S; nothing sent → I; else M.

let bed: BraintreeTestBed;

const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startBraintreeTestBed(), (b) => b.close());
});

async function avsFor(nonce: string, address: Parameters<typeof billingAddress>[0] = {}): Promise<AvsResult> {
  const outcome = await bed.gateway.chargeNonce!(chargeRequest(nonce, { billingAddress: billingAddress(address) }));
  if (outcome.status !== 'captured') throw new Error(`expected a capture, got ${JSON.stringify(outcome)}`);
  return outcome.avs;
}

describe('Braintree address and security-code checks', () => {
  it('passes a matching address', async () => {
    await expect(avsFor('fake-valid-nonce')).resolves.toEqual({
      street: 'pass',
      postalCode: 'pass',
      cvc: 'unchecked',
      raw: { street: 'M', postalCode: 'M', cvc: 'I', error: null },
    });
  });

  it('fails a postal code of 20000 and reports 20001 as not verified', async () => {
    await expect(avsFor('fake-valid-nonce', { postalCode: '20000' })).resolves.toMatchObject({
      postalCode: 'fail',
      street: 'pass',
      raw: { postalCode: 'N' },
    });
    await expect(avsFor('fake-valid-nonce', { postalCode: '20001' })).resolves.toMatchObject({
      postalCode: 'unavailable',
      raw: { postalCode: 'U' },
    });
  });

  it('fails street number 200 and reports 201 as not verified', async () => {
    await expect(avsFor('fake-valid-nonce', { line1: '200 N Main St' })).resolves.toMatchObject({
      street: 'fail',
      postalCode: 'pass',
      raw: { street: 'N' },
    });
    await expect(avsFor('fake-valid-nonce', { line1: '201 N Main St' })).resolves.toMatchObject({
      street: 'unavailable',
      raw: { street: 'U' },
    });
  });

  it('reports both address parts unavailable on an AVS system error (30000) or an issuer without AVS (30001)', async () => {
    await expect(avsFor('fake-valid-nonce', { postalCode: '30000' })).resolves.toMatchObject({
      street: 'unavailable',
      postalCode: 'unavailable',
      raw: { error: 'E' },
    });
    await expect(avsFor('fake-valid-nonce', { postalCode: '30001' })).resolves.toMatchObject({
      street: 'unavailable',
      postalCode: 'unavailable',
      raw: { error: 'S' },
    });
  });

  it('checks the security code typed in the fields: 200 fails, 201 and 301 are unavailable, others pass', async () => {
    const cvc = async (cvv: string) => (await avsFor(await tokenizeCard(bed, { number: '4111111111111111', cvv }))).cvc;
    await expect(cvc('200')).resolves.toBe('fail');
    await expect(cvc('201')).resolves.toBe('unavailable');
    await expect(cvc('301')).resolves.toBe('unavailable');
    await expect(cvc('123')).resolves.toBe('pass');
    await expect(cvc('')).resolves.toBe('unchecked');
  });

  it('checks the Amex 4-digit CID the same way (2000 fails)', async () => {
    const nonce = await tokenizeCard(bed, { number: '378282246310005', cvv: '2000' });
    await expect(avsFor(nonce)).resolves.toMatchObject({ cvc: 'fail', raw: { cvc: 'N' } });
  });

  it('uses the postal code typed in the fields when the billing address has none', async () => {
    const nonce = await tokenizeCard(bed, { number: '4111111111111111', postalCode: '20000' });
    await expect(avsFor(nonce, { postalCode: '' })).resolves.toMatchObject({ postalCode: 'fail' });
  });

  it('keeps the codes on the authorisation and on later reads of the payment', async () => {
    const outcome = await bed.gateway.chargeNonce!(
      chargeRequest('fake-valid-nonce', { captureLater: true, billingAddress: billingAddress({ line1: '200 Elm St' }) }),
    );
    expect(outcome).toMatchObject({ status: 'authorised', avs: { street: 'fail' } });
    if (outcome.status !== 'authorised') return;
    await expect(bed.gateway.fetchStatus(outcome.paymentRef)).resolves.toMatchObject({
      status: 'authorised',
      avs: { street: 'fail', postalCode: 'pass' },
    });
  });
});
