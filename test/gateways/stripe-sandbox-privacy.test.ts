import { paymentRequest, startCheckout, startStripeTestBed, type StripeTestBed } from '../support/stripe-test-bed';
import { useTeardown } from '../support/teardown';

let bed: StripeTestBed;
const teardown = useTeardown();
beforeAll(async () => {
  bed = await teardown.track(startStripeTestBed(), (b) => b.stop());
});

const TYPED = [
  { cardNumber: '4242 4242 4242 4242', digits: '4242424242424242' },
  { cardNumber: '4000-0000-0000-0002', digits: '4000000000000002' },
  { cardNumber: '4000000000000010', digits: '4000000000000010' },
  { cardNumber: '5555555555554444', digits: '5555555555554444' },
  { cardNumber: '4111111111111111', digits: '4111111111111111' },
];

describe('The Stripe sandbox never keeps or logs a typed card number', () => {
  it('neither in its log nor in anything it holds in memory (objects, events, webhooks sent)', async () => {
    for (const { cardNumber } of TYPED) {
      const { url } = await startCheckout(bed.gateway, paymentRequest({ captureLater: cardNumber.startsWith('5555') }));
      await bed.browser.pay(url, { cardNumber, cardExpiry: '01/20' }); // refused on the form
      await bed.browser.pay(url, { cardNumber });
    }
    await bed.receiver.waitFor(() => bed.receiver.received.length >= 3);

    const log = bed.logLines.join('\n');
    const memory = JSON.stringify(bed.sandbox.snapshot());
    const webhooks = bed.receiver.received.map((r) => r.rawBody.toString('utf8')).join('\n');
    // What is there: the attempts were logged and the last four digits kept.
    expect(log).toContain('sandbox stripe checkout attempt');
    expect(memory).toContain('"last4":"4242"');
    for (const { cardNumber, digits } of TYPED) {
      for (const haystack of [log, memory, webhooks]) {
        expect(haystack).not.toContain(digits);
        expect(haystack).not.toContain(cardNumber);
      }
    }
    expect(memory).not.toMatch(/cardCvc|cardNumber|"cvc"\s*:/);
  });
});
