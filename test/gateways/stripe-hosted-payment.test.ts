import { pageText } from '../support/stripe-checkout-browser';
import { paymentRequest, startCheckout, startStripeTestBed, type StripeTestBed } from '../support/stripe-test-bed';
import { useTeardown } from '../support/teardown';

let bed: StripeTestBed;
const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startStripeTestBed(), (b) => b.stop());
});

describe('Stripe hosted payment: creating the Checkout Session', () => {
  it('sends the shopper to the hosted page on the sandbox pages origin, for this session', async () => {
    const created = await bed.gateway.createPayment(paymentRequest());
    expect(created.kind).toBe('redirect');
    if (created.kind !== 'redirect') return;
    expect(created.checkoutRef).toMatch(/^cs_test_/);
    const url = new URL(created.redirectUrl);
    expect(url.origin).toBe(bed.sandbox.pagesOrigin);
    expect(url.pathname).toBe(`/c/pay/${created.checkoutRef}`);
    expect(bed.gateway.browserOrigins.navigations).toEqual([bed.sandbox.pagesOrigin]);
  });

  it('is pending while the shopper is on the page, which shows the order, the email and the total', async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toEqual({ status: 'pending', paymentRef: null });
    const page = await bed.browser.open(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sandbox — no real payment');
    expect(page.html).toContain('Brass padlock × 2');
    expect(page.html).toContain('Shipping');
    expect(page.html).toContain('$49.48'); // 2 × 19.99 + 4.50 + 5.00 = 49.48
    expect(page.html).toContain('ada@example.com');
    expect(page.html).toMatch(/name="billingAddressLine1"[^>]*required/);
    expect(page.html).toContain('href="https://localhost:8443/checkout/cancelled"');
    expect(page.html).not.toMatch(/<script/i);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("form-action 'self' https://localhost:8443");
    expect(csp).toContain("script-src 'none'");
  });

  it('answers the same session for the same idempotency key, and another for another key', async () => {
    const request = paymentRequest();
    const first = await startCheckout(bed.gateway, request);
    const again = await startCheckout(bed.gateway, request);
    const other = await startCheckout(bed.gateway, { ...request, idempotencyKey: `${request.idempotencyKey}-2` });
    expect(again.sessionId).toBe(first.sessionId);
    expect(other.sessionId).not.toBe(first.sessionId);
  });
});

describe('Stripe hosted payment: test cards', () => {
  it('4242 4242 4242 4242 is captured with every check passing, and the browser goes back to the store', async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    const paid = await bed.browser.pay(url, { cardNumber: '4242 4242 4242 4242' });
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe(`https://localhost:8443/checkout/return?session=${sessionId}`);
    const outcome = await bed.gateway.fetchStatus(sessionId);
    expect(outcome).toEqual({
      status: 'captured',
      paymentRef: expect.stringMatching(/^pi_/),
      amount: { amount: 4948, currency: 'USD' },
      avs: {
        street: 'pass',
        postalCode: 'pass',
        cvc: 'pass',
        raw: { address_line1_check: 'pass', address_postal_code_check: 'pass', cvc_check: 'pass' },
      },
    });
    // The PaymentIntent reference says the same.
    if (outcome.status !== 'captured') return;
    await expect(bed.gateway.fetchStatus(outcome.paymentRef)).resolves.toEqual(outcome);
  });

  it('4000 0000 0000 0002 is declined, the session stays open, and 4242 then pays it', async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    const declined = await bed.browser.pay(url, { cardNumber: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(declined.html).toContain('Your card was declined.');
    expect(declined.html).not.toContain('4000000000000002');
    expect(await bed.gateway.fetchStatus(sessionId)).toEqual({
      status: 'declined',
      paymentRef: expect.stringMatching(/^pi_/),
      message: 'Your card was declined.',
    });

    const retried = await bed.browser.pay(url, { cardNumber: '4242424242424242' });
    expect(retried.status).toBe(303);
    const outcome = await bed.gateway.fetchStatus(sessionId);
    expect(outcome.status).toBe('captured');
  });

  it.each([
    ['4000000000000010', { street: 'fail', postalCode: 'fail', cvc: 'pass' }],
    ['4000000000000028', { street: 'fail', postalCode: 'pass', cvc: 'pass' }],
    ['4000000000000036', { street: 'pass', postalCode: 'fail', cvc: 'pass' }],
    ['4000000000000101', { street: 'pass', postalCode: 'pass', cvc: 'fail' }],
    ['4000000000000044', { street: 'unavailable', postalCode: 'unavailable', cvc: 'pass' }],
  ])('%s is captured with the documented check results', async (cardNumber, checks) => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    expect((await bed.browser.pay(url, { cardNumber })).status).toBe(303);
    const outcome = await bed.gateway.fetchStatus(sessionId);
    expect(outcome.status).toBe('captured');
    if (outcome.status !== 'captured') return;
    expect(outcome.avs).toMatchObject(checks);
  });

  it("a card that is not a test card is declined with Stripe's test-mode message", async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    const page = await bed.browser.pay(url, { cardNumber: '4111 1111 1111 1111' });
    expect(page.status).toBe(402);
    expect(page.html).toContain('Your request was in test mode, but used a non test card.');
    const outcome = await bed.gateway.fetchStatus(sessionId);
    expect(outcome.status).toBe('declined');
  });

  it('an expiry in the past, a bad number or a short CVC is refused on the page without an attempt', async () => {
    const { sessionId, url } = await startCheckout(bed.gateway, paymentRequest());
    const expired = await bed.browser.pay(url, { cardNumber: '4242424242424242', cardExpiry: '01/20' });
    expect(expired.status).toBe(400);
    expect(pageText(expired.html)).toContain("Your card's expiration year is in the past.");
    const badNumber = await bed.browser.pay(url, { cardNumber: '4242424242424241' });
    expect(badNumber.html).toContain('Your card number is invalid.');
    const shortCvc = await bed.browser.pay(url, { cardNumber: '4242424242424242', cardCvc: '12' });
    expect(pageText(shortCvc.html)).toContain("Your card's security code is incomplete.");
    const noAddress = await bed.browser.pay(url, { cardNumber: '4242424242424242', billingPostalCode: '' });
    expect(noAddress.html).toContain('Your billing address is incomplete.');
    await expect(bed.gateway.fetchStatus(sessionId)).resolves.toEqual({ status: 'pending', paymentRef: null });
  });

  it('a completed session refuses another payment', async () => {
    const { url } = await startCheckout(bed.gateway, paymentRequest());
    await bed.browser.pay(url, { cardNumber: '4242424242424242' });
    const again = await bed.browser.pay(url, { cardNumber: '4242424242424242' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('This payment is complete');
  });
});
