import { CspViolation } from '../../server/integrity/csp-violation.entity';
import { CspViolations } from '../../server/integrity/csp-violations';
import { checkPaymentPages, orderPagePath } from '../../server/integrity/payment-page-fetch';
import { PaymentPageChecks } from '../../server/integrity/payment-page-checks';
import { paymentPageInventory } from '../../server/integrity/payment-page-inventory';
import { paymentPageHeaders } from '../../server/integrity/payment-page-policy';
import { httpsStoreClient } from '../../server/integrity/store-client';
import { adminBrowser, ensureAdmin, logInAdmin } from '../support/admin';
import { useTestStore, type TestStore } from '../support/test-store';

// The drift test: every payment page a test store serves, for each set of gateways, compared with
// the payment-page inventory by the same code `npm run check:payment-pages` runs.

function checkStore(store: TestStore) {
  const inventory = paymentPageInventory(store.gateways.offered());
  return checkPaymentPages(
    httpsStoreClient(store.storeUrl, store.tls.cert),
    inventory,
    paymentPageHeaders(inventory, store.config.publicUrl),
    {
      returnUrl: 'http://localhost:8000/blog/shop',
      orderPageOf: (token) => orderPagePath(store.dataSource, token),
    },
  );
}

describe.each(['stripe,braintree', 'stripe', 'braintree'])('the payment pages of a store offering %s', (gateways) => {
  const store = useTestStore({ PAYMENT_GATEWAYS: gateways });

  it('serve only inventory scripts, each with a matching integrity, under the policy generated from the inventory', async () => {
    const report = await checkStore(store);
    expect(report).toEqual({ ok: true, pages: ['checkout-form', 'pay-step', 'order-status'], findings: [] });
  });
});

describe('CSP violation reports', () => {
  const store = useTestStore();
  const stored = () => store.dataSource.getRepository(CspViolation).find({ order: { id: 'ASC' } });
  const report = (documentUri: string, blocked = 'https://cdn.evil.example/skim.js') => ({
    'csp-report': { 'document-uri': documentUri, 'violated-directive': 'script-src-elem', 'blocked-uri': blocked },
  });

  beforeEach(async () => {
    await store.dataSource.getRepository(CspViolation).clear();
  });

  it('stores a report-uri report (application/csp-report) and answers 204', async () => {
    const res = await store.api
      .post('/csp-reports')
      .set('Content-Type', 'application/csp-report')
      .send(JSON.stringify(report(`https://localhost:8443/checkout/${'b'.repeat(43)}?q=1`)))
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await stored()).toMatchObject([
      {
        page: 'https://localhost:8443/checkout/:token',
        directive: 'script-src-elem',
        blockedUrl: 'https://cdn.evil.example/skim.js',
        disposition: 'enforce',
      },
    ]);
  });

  it('stores the csp-violation reports of a Reporting API batch (application/reports+json)', async () => {
    const batch = [
      {
        type: 'csp-violation',
        age: 1,
        url: 'https://localhost:8443/orders/x',
        user_agent: 'x',
        body: {
          documentURL: 'https://localhost:8443/orders/x',
          effectiveDirective: 'frame-src',
          blockedURL: 'https://frames.example/f',
          disposition: 'enforce',
        },
      },
      { type: 'intervention', body: {} },
    ];
    await store.api.post('/csp-reports').set('Content-Type', 'application/reports+json').send(JSON.stringify(batch)).expect(204);
    expect(await stored()).toMatchObject([
      { page: 'https://localhost:8443/orders/x', directive: 'frame-src', blockedUrl: 'https://frames.example/f' },
    ]);
  });

  it.each([
    [
      'a card number in a quoted URL',
      400,
      'application/csp-report',
      JSON.stringify(report('https://blog.example/pay?card=4111111111111111')),
      'card_data_refused',
    ],
    [
      'a card number in a quoted path, percent-encoded',
      400,
      'application/csp-report',
      JSON.stringify(report('https://blog.example/4111%201111%201111%201111')),
      'card_data_refused',
    ],
    ['another media type', 415, 'application/json', JSON.stringify(report('https://a.example/')), 'unsupported_media_type'],
    [
      'a body over 8 KB',
      413,
      'application/csp-report',
      JSON.stringify(report(`https://a.example/${'x'.repeat(9000)}`)),
      'payload_too_large',
    ],
    [
      'a report without its directive',
      400,
      'application/csp-report',
      JSON.stringify({ 'csp-report': { 'document-uri': 'https://a.example/' } }),
      'invalid_csp_report',
    ],
    ['malformed JSON', 400, 'application/reports+json', '[{', undefined],
  ])('refuses %s with %i and stores nothing', async (_what, status, type, body, code) => {
    const res = await store.api.post('/csp-reports').set('Content-Type', type).send(body).expect(status);
    if (code) expect(res.body.error.code).toBe(code);
    expect(await stored()).toEqual([]);
  });

  it('keeps only the newest reports', async () => {
    const violations = new CspViolations(store.dataSource, 3);
    for (const n of [1, 2, 3, 4, 5]) {
      await violations.record([
        { page: `https://a.example/${n}`, directive: 'script-src', blockedUrl: 'inline', sourceFile: null, disposition: 'enforce' },
      ]);
    }
    expect((await stored()).map((v) => v.page)).toEqual(['https://a.example/3', 'https://a.example/4', 'https://a.example/5']);
  });

  it('shows the admin each kind of violation with its count and last time, and the inventory, on the Security page', async () => {
    for (let i = 0; i < 3; i++) {
      await store.api
        .post('/csp-reports')
        .set('Content-Type', 'application/csp-report')
        .send(JSON.stringify(report(`https://localhost:8443/checkout/${'c'.repeat(43)}`)))
        .expect(204);
    }
    await ensureAdmin(store);
    const browser = adminBrowser(store);
    await logInAdmin(browser);
    const page = await browser.get('/admin/security').expect(200);
    const rows = page.text.match(/<tr data-violation>[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('https://localhost:8443/checkout/:token');
    expect(rows[0]).toContain('script-src-elem');
    expect(rows[0]).toContain('https://cdn.evil.example/skim.js');
    expect(rows[0]).toMatch(/<td>3<\/td>/);
    expect(page.text).toContain('/assets/braintree-fields.js');
    expect(page.text).toContain('<a href="/admin/security" aria-current="page">Security</a>');
  });
});

describe('the last payment-page check on the admin start page', () => {
  const store = useTestStore();

  it('says it never ran, then shows what drifted, then that all is well', async () => {
    await ensureAdmin(store);
    const browser = adminBrowser(store);
    await logInAdmin(browser);
    expect((await browser.get('/admin').expect(200)).text).toMatch(/data-last-check="never".*npm run check:payment-pages/);

    const checks = new PaymentPageChecks(store.dataSource);
    await checks.record('https://shop.example', {
      ok: false,
      pages: ['checkout-form'],
      findings: [{ page: 'checkout-form', severity: 'drift', message: 'has an inline script, which the inventory never allows' }],
    });
    const drifted = (await browser.get('/admin').expect(200)).text;
    expect(drifted).toContain('data-last-check="drift"');
    expect(drifted).toContain('checkout-form has an inline script, which the inventory never allows');

    await checks.record('https://shop.example', new Error('Fetching the pay-step page: the store answered 502'));
    expect((await browser.get('/admin').expect(200)).text).toContain('the store answered 502');

    await checks.record('https://shop.example', await checkStore(store));
    expect((await browser.get('/admin').expect(200)).text).toMatch(
      /data-last-check="ok">Last checked <time datetime="[^"]+">[^<]+<\/time> \(https:\/\/shop\.example\): the payment pages match the inventory\./,
    );
  });
});
