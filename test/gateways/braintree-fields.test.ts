import { chargeRequest } from '../support/braintree-requests';
import { httpsRequest, postTokenize, startBraintreeTestBed, tokenizeCard, type BraintreeTestBed } from '../support/braintree-test-bed';
import { useTeardown } from '../support/teardown';

const STORE_ORIGIN = 'https://localhost:8443';

let bed: BraintreeTestBed;

const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startBraintreeTestBed(), (b) => b.close());
});

const page = (query: string) => httpsRequest(`${bed.sandbox.fieldsUrl}?${query}`, bed.tls.cert);
const charge = (nonce: string) => bed.gateway.chargeNonce!(chargeRequest(nonce));

describe('Braintree sandbox fields page', () => {
  it('serves the card and PayPal form, framable by the store only, with no inline script', async () => {
    const response = await page(`origin=${encodeURIComponent(STORE_ORIGIN)}&amount=69.00&currency=USD`);
    expect(response.status).toBe(200);
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain(`frame-ancestors ${STORE_ORIGIN}`);
    expect(response.headers['x-frame-options']).toBeUndefined();
    expect(response.body).toContain('data-sandbox-banner');
    expect(response.body).toContain('Sandbox — no real payment');
    expect(response.body).toContain(`data-store-origin="${STORE_ORIGIN}"`);
    expect(response.body).toContain('Pay 69.00 USD');
    expect(response.body).toContain('Pay with PayPal (sandbox)');
    expect(response.body).toMatch(/<script src="\/fields\.js"><\/script>/);
    expect(response.body).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son[a-z]+=/);
  });

  it.each([
    ['a missing origin', 'amount=69.00&currency=USD'],
    ['a javascript: origin', `origin=${encodeURIComponent('javascript:alert(1)')}&amount=69.00&currency=USD`],
    ['an origin with a path', `origin=${encodeURIComponent('https://shop.example/pay')}&amount=69.00&currency=USD`],
    [
      'an origin with an injected directive',
      `origin=${encodeURIComponent('https://shop.example; script-src *')}&amount=69.00&currency=USD`,
    ],
    ['an opaque origin', 'origin=null&amount=69.00&currency=USD'],
    ['a bad amount', `origin=${encodeURIComponent(STORE_ORIGIN)}&amount=1e3&currency=USD`],
    ['an unknown currency', `origin=${encodeURIComponent(STORE_ORIGIN)}&amount=69.00&currency=XXX`],
  ])('refuses %s', async (_label, query) => {
    const response = await page(query);
    expect(response.status).toBe(400);
    expect(response.headers['content-security-policy']).toBeUndefined();
  });

  it('serves its script compiled to JavaScript, and the shared sandbox stylesheet', async () => {
    const script = await httpsRequest(`${bed.sandbox.pagesOrigin}/fields.js`, bed.tls.cert);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('padlock:braintree-nonce');
    expect(script.body).toContain('/tokenize');
    expect(script.body).not.toMatch(/\binterface\b|as unknown as/);
    expect(() => new Function(script.body)).not.toThrow();
    const css = await httpsRequest(`${bed.sandbox.pagesOrigin}/sandbox.css`, bed.tls.cert);
    expect(css.status).toBe(200);
    expect(css.body).toContain('.sandbox-banner');
  });
});

describe('Braintree sandbox tokenization', () => {
  it('turns a documented test card into a one-time nonce with the card summary', async () => {
    const response = await postTokenize(bed, {
      kind: 'card',
      number: '4111 1111 1111 1111',
      expiry: '12/39',
      cvv: '123',
      postalCode: '94107',
    });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toEqual({
      nonce: expect.stringMatching(/^tokencc_sandbox_[a-z]{24}$/),
      details: { cardType: 'Visa', lastFour: '1111' },
    });
  });

  it('charges nonces by their test card: approved, processor declined, failed', async () => {
    await expect(charge(await tokenizeCard(bed, { number: '5555555555554444' }))).resolves.toMatchObject({ status: 'captured' });
    await expect(charge(await tokenizeCard(bed, { number: '4000111111111115' }))).resolves.toMatchObject({
      status: 'declined',
      message: 'Do Not Honor',
    });
    await expect(charge(await tokenizeCard(bed, { number: '3566002020360505' }))).resolves.toMatchObject({
      status: 'declined',
      message: 'Processor Network Unavailable - Try Again',
    });
  });

  it('accepts a nonce once only', async () => {
    const nonce = await tokenizeCard(bed, { number: '4111111111111111' });
    await expect(charge(nonce)).resolves.toMatchObject({ status: 'captured' });
    await expect(charge(nonce)).resolves.toEqual({
      status: 'declined',
      paymentRef: null,
      message: 'Cannot use a payment_method_nonce more than once.',
    });
  });

  it('turns the PayPal button into a PayPal nonce with the payer', async () => {
    const response = await postTokenize(bed, { kind: 'paypal' });
    expect(response.status).toBe(201);
    const body = JSON.parse(response.body) as { nonce: string; details: unknown };
    expect(body).toEqual({
      nonce: expect.stringMatching(/^tokenpp_sandbox_[a-z]{24}$/),
      details: { payerEmail: 'sandbox-buyer@example.com' },
    });
    await expect(charge(body.nonce)).resolves.toMatchObject({ status: 'captured', avs: { street: 'unchecked' } });
  });

  it.each([
    ['a number that is not a documented test card', { number: '4242424242424242' }, /test card/],
    ['a number failing the Luhn check', { number: '4111111111111112' }, /not valid/],
    ['an expired card', { number: '4111111111111111', expiry: '01/20' }, /expired/],
    ['an unreadable expiry', { number: '4111111111111111', expiry: '13/30' }, /MM\/YY/],
    ['a bad security code', { number: '4111111111111111', cvv: '12a' }, /security code/],
  ])('refuses %s', async (_label, card, message) => {
    const response = await postTokenize(bed, { kind: 'card', expiry: '12/39', cvv: '123', postalCode: '', ...card });
    expect(response.status).toBe(422);
    expect((JSON.parse(response.body) as { error: { message: string } }).error.message).toMatch(message);
  });

  it('refuses card details posted from another origin', async () => {
    const response = await httpsRequest(`${bed.sandbox.pagesOrigin}/tokenize`, bed.tls.cert, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: STORE_ORIGIN },
      body: JSON.stringify({ kind: 'card', number: '4111111111111111', expiry: '12/39', cvv: '123', postalCode: '' }),
    });
    expect(response.status).toBe(403);
  });

  it('never keeps or logs a full card number', async () => {
    const numbers = ['4111111111111111', '378282246310005', '4000111111111115', '5555555555554444'];
    for (const number of numbers) await charge(await tokenizeCard(bed, { number, cvv: number.startsWith('3') ? '1234' : '123' }));
    await postTokenize(bed, { kind: 'card', number: '4111 1111 1111 1111', expiry: 'garbage', cvv: '123' });
    await httpsRequest(`${bed.sandbox.pagesOrigin}/tokenize`, bed.tls.cert, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"kind":"card","number":"4111111111111111",',
    });
    const dump = bed.sandbox.memoryDump();
    const logs = bed.logLines.join('\n');
    expect(dump).toContain('"last4":"1111"');
    expect(logs).toContain('braintree sandbox: sale');
    for (const number of numbers) {
      expect(dump).not.toContain(number);
      expect(logs).not.toContain(number);
      expect(dump).not.toContain(number.slice(0, 6) + number.slice(6, 12));
    }
    expect(dump).not.toMatch(/"cvv"|"number"/);
  });
});
