import { pageDrift, scriptTags, type ServedPage } from '../../server/integrity/payment-page-drift';
import { paymentPageInventory } from '../../server/integrity/payment-page-inventory';
import { paymentPageHeaders } from '../../server/integrity/payment-page-policy';
import { sriHash } from '../../server/integrity/script-integrity';
import { dropInBrowserOrigins } from '../../server/payments/braintree/braintree-browser-origins';
import braintree from 'braintree';

// The comparison the drift test and `npm run check:payment-pages` share, given pages that drifted.

const STORE = 'https://shop.example.com';
const inventory = paymentPageInventory([
  { id: 'stripe', browserOrigins: { scripts: [], frames: [], navigations: ['https://checkout.stripe.com'], connections: [] } },
  { id: 'braintree', browserOrigins: dropInBrowserOrigins(braintree.Environment.Production) },
]);
const expected = paymentPageHeaders(inventory, STORE);
const secureContext = Buffer.from('console.log("padlock")');
const fields = Buffer.from('console.log("fields")');
const tag = (src: string, bytes: Buffer) => `<script src="${src}" integrity="${sriHash(bytes)}" crossorigin="anonymous" defer></script>`;

function payStep(overrides: Partial<ServedPage> = {}, extraHtml = ''): ServedPage {
  return {
    page: 'pay-step',
    url: `${STORE}/checkout/abc`,
    html: `<html><head>${tag('/assets/secure-context.js', secureContext)}</head><body>${tag('/assets/braintree-fields.js', fields)}${extraHtml}</body></html>`,
    contentSecurityPolicy: expected.contentSecurityPolicy,
    reportingEndpoints: expected.reportingEndpoints,
    scriptBodies: new Map([
      [`${STORE}/assets/secure-context.js`, secureContext],
      [`${STORE}/assets/braintree-fields.js`, fields],
    ]),
    ...overrides,
  };
}

const drift = (page: ServedPage) =>
  pageDrift(inventory, expected, page)
    .filter((f) => f.severity === 'drift')
    .map((f) => f.message);

describe('payment-page drift', () => {
  it('finds nothing on a page exactly as the inventory says', () => {
    expect(pageDrift(inventory, expected, payStep())).toEqual([]);
  });

  it('generates the policy from the inventory: gateway origins in their directives, reports to the store', () => {
    expect(expected.contentSecurityPolicy).toContain(
      "script-src 'self' https://js.braintreegateway.com https://assets.braintreegateway.com",
    );
    expect(expected.contentSecurityPolicy).toContain("form-action 'self' https://checkout.stripe.com");
    expect(expected.contentSecurityPolicy).toContain(`report-uri ${STORE}/csp-reports; report-to csp-endpoint`);
    expect(expected.contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(expected.reportingEndpoints).toBe(`csp-endpoint="${STORE}/csp-reports"`);
  });

  it('reports a script whose bytes no longer match its integrity', () => {
    const tampered = payStep({
      scriptBodies: new Map([
        [`${STORE}/assets/secure-context.js`, Buffer.from('steal()')],
        [`${STORE}/assets/braintree-fields.js`, fields],
      ]),
    });
    expect(drift(tampered)).toEqual([
      expect.stringMatching(/^loads \/assets\/secure-context\.js with integrity sha384-.+ but the bytes served there hash to sha384-/),
    ]);
  });

  it.each([
    ['an inline script', '<script>steal()</script>', /inline script/],
    [
      'a store script the inventory does not list',
      '<script src="/assets/extra.js" integrity="sha384-x"></script>',
      /\/assets\/extra\.js, which the inventory does not list/,
    ],
    [
      'a script from an origin no gateway declares',
      '<script src="https://cdn.evil.example/skim.js"></script>',
      /cdn\.evil\.example\/skim\.js, whose origin/,
    ],
    ['a listed script without integrity', '<script src="/assets/secure-context.js"></script>', /without an integrity attribute/],
  ])('reports %s', (_what, extra, message) => {
    expect(drift(payStep({}, extra))).toEqual([expect.stringMatching(message)]);
  });

  it("accepts a gateway's script by origin, wildcards included", () => {
    expect(
      drift(payStep({}, '<script src="https://www.paypal.com/sdk.js"></script><script type="application/ld+json">{}</script>')),
    ).toEqual([]);
  });

  it('reports a script listed only for another page', () => {
    expect(drift(payStep({ page: 'order-status' }))).toEqual([
      expect.stringMatching(/braintree-fields\.js, which the inventory does not list for this page/),
    ]);
  });

  it('reports each directive of the policy that differs, and a missing policy or reporting endpoint', () => {
    const loosened = expected.contentSecurityPolicy
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace('; report-to csp-endpoint', '');
    expect(drift(payStep({ contentSecurityPolicy: `${loosened}; worker-src *` }))).toEqual([
      expect.stringMatching(/has script-src "'self' 'unsafe-inline' .*"; the inventory gives "'self' https:/),
      'its Content-Security-Policy lacks report-to (the inventory gives "csp-endpoint")',
      'its Content-Security-Policy adds worker-src "*", which the inventory does not give',
    ]);
    expect(drift(payStep({ contentSecurityPolicy: null, reportingEndpoints: null }))).toEqual([
      'sends no Content-Security-Policy',
      expect.stringMatching(/^sends Reporting-Endpoints null/),
    ]);
  });

  it('notes (without failing) an inventory script the page did not load', () => {
    const page = payStep({ html: tag('/assets/secure-context.js', secureContext) });
    expect(pageDrift(inventory, expected, page)).toEqual([
      { page: 'pay-step', severity: 'note', message: 'does not load /assets/braintree-fields.js (listed in the inventory for this page)' },
    ]);
  });

  it('reads script attributes in any quoting and decodes entities', () => {
    expect(scriptTags(`<SCRIPT src='/a.js?x=1&amp;y=2' integrity=sha384-abc crossorigin></SCRIPT><script>1</script>`)).toEqual([
      { src: '/a.js?x=1&y=2', integrity: 'sha384-abc', crossorigin: '', type: null },
      { src: null, integrity: null, crossorigin: null, type: null },
    ]);
  });

  it('refuses an inventory where a gateway declares an access it gives no reason for', () => {
    expect(() =>
      paymentPageInventory([
        { id: 'stripe', browserOrigins: { scripts: ['https://js.stripe.com'], frames: [], navigations: [], connections: [] } },
      ]),
    ).toThrow(/no reason for stripe's scripts \(https:\/\/js\.stripe\.com\)/);
  });
});
