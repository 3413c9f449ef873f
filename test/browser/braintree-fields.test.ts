import type { Browser } from 'playwright-core';
import { eventually, launchBrowser, openTrackedPage, screenshot, type TrackedPage } from '../support/browser';
import { PayStepHarness } from '../support/braintree-pay-harness';
import { chargeRequest } from '../support/braintree-requests';
import { startBraintreeTestBed, type BraintreeTestBed } from '../support/braintree-test-bed';
import { useTeardown } from '../support/teardown';

// Chromium drives the store-side script and the sandbox fields page together (the chromium jest
// project runs this file only where Chromium is installed, and fails under CI=true without it).

describe('Braintree pay step in Chromium (sandbox fields)', () => {
  const teardown = useTeardown();
  let bed: BraintreeTestBed;
  let harness: PayStepHarness;
  let browser: Browser;
  let tracked: TrackedPage;

  beforeAll(async () => {
    bed = await teardown.track(startBraintreeTestBed(), (b) => b.close());
    harness = await teardown.track(new PayStepHarness(bed.tls, bed.sandbox.fieldsUrl).start(), (h) => h.stop());
    browser = await teardown.track(launchBrowser(), (b) => b.close());
  });
  beforeEach(async () => {
    harness.received.length = 0;
    tracked = await openTrackedPage(browser);
  });
  afterEach(() => tracked.close());

  const fields = () => tracked.page.frameLocator('iframe[title="Card or PayPal (sandbox)"]');

  it('tokenizes the card inside the sandbox frame and submits only the nonce to the store', async () => {
    await tracked.page.goto(`${harness.origin}/pay`);
    await fields().locator('#card-number').fill('4111 1111 1111 1111');
    await fields().locator('#card-expiry').fill('12/39');
    await fields().locator('#card-cvv').fill('123');
    await fields().locator('#card-postal').fill('94107');
    await screenshot(tracked.page, 'braintree-sandbox-fields');
    await fields().getByRole('button', { name: 'Pay 69.00 USD by card' }).click();

    const [payment] = await eventually(() => {
      expect(harness.received).toHaveLength(1);
      return harness.received;
    });
    const form = new URLSearchParams(payment?.body);
    expect([...form.keys()]).toEqual(['nonce']);
    expect(form.get('nonce')).toMatch(/^tokencc_sandbox_[a-z]{24}$/);
    expect(payment?.body).not.toMatch(/4111|94107|cvv|number/);
    await tracked.page.locator('[data-paid]').waitFor();

    await expect(bed.gateway.chargeNonce!(chargeRequest(form.get('nonce') as string))).resolves.toMatchObject({
      status: 'captured',
      avs: { cvc: 'pass' },
    });
    expect(tracked.cspViolations()).toEqual([]);
    expect(tracked.problems()).toEqual([]);
  });

  it('pays with the sandbox PayPal button', async () => {
    await tracked.page.goto(`${harness.origin}/pay`);
    await fields().getByRole('button', { name: 'Pay with PayPal (sandbox)' }).click();
    const [payment] = await eventually(() => {
      expect(harness.received).toHaveLength(1);
      return harness.received;
    });
    const nonce = new URLSearchParams(payment?.body).get('nonce') as string;
    expect(nonce).toMatch(/^tokenpp_sandbox_/);
    await expect(bed.gateway.chargeNonce!(chargeRequest(nonce))).resolves.toMatchObject({ status: 'captured' });
    expect(tracked.cspViolations()).toEqual([]);
  });

  it('shows a refused card inside the frame and submits nothing', async () => {
    await tracked.page.goto(`${harness.origin}/pay`);
    await fields().locator('#card-number').fill('4242 4242 4242 4242');
    await fields().locator('#card-expiry').fill('12/39');
    await fields().getByRole('button', { name: 'Pay 69.00 USD by card' }).click();
    await expect(
      fields()
        .locator('[data-error]')
        .textContent({ timeout: 10_000 })
        .then((t) => t ?? ''),
    ).resolves.toMatch(/test card/);
    expect(harness.received).toHaveLength(0);
  });

  it('ignores nonce messages that do not come from the sandbox frame', async () => {
    await tracked.page.goto(`${harness.origin}/pay`);
    await fields().locator('#card-number').waitFor();
    await tracked.page.evaluate(`window.postMessage({ type: 'padlock:braintree-nonce', nonce: 'fake-valid-nonce' }, '*')`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(harness.received).toHaveLength(0);
  });
});
