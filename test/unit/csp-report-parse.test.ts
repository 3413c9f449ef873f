import { parseCspReports, storedUrl } from '../../server/integrity/csp-report-parse';

const TOKEN = 'a'.repeat(43);

describe('CSP report parsing', () => {
  it('reads a report-uri report (application/csp-report), keeping URLs without query, fragment or tokens', () => {
    const body = {
      'csp-report': {
        'document-uri': `https://shop.example.com/checkout/${TOKEN}?x=1#frag`,
        'violated-directive': 'script-src-elem',
        'effective-directive': 'script-src-elem',
        'blocked-uri': 'https://cdn.evil.example/skim.js?session=42',
        'original-policy': "default-src 'self'",
        disposition: 'enforce',
      },
    };
    expect(parseCspReports('application/csp-report', body)).toEqual([
      {
        page: 'https://shop.example.com/checkout/:token',
        directive: 'script-src-elem',
        blockedUrl: 'https://cdn.evil.example/skim.js',
        sourceFile: null,
        disposition: 'enforce',
      },
    ]);
  });

  it('reads the csp-violation reports of a Reporting API batch and skips other report types', () => {
    const body = [
      { type: 'deprecation', body: { id: 'x' } },
      {
        type: 'csp-violation',
        url: 'https://shop.example.com/orders/x',
        body: {
          documentURL: 'https://shop.example.com/orders/x',
          effectiveDirective: 'script-src-elem',
          blockedURL: 'inline',
          sourceFile: 'https://shop.example.com/orders/x',
          disposition: 'report',
        },
      },
    ];
    expect(parseCspReports('application/reports+json', body)).toEqual([
      {
        page: 'https://shop.example.com/orders/x',
        directive: 'script-src-elem',
        blockedUrl: 'inline',
        sourceFile: 'https://shop.example.com/orders/x',
        disposition: 'report',
      },
    ]);
  });

  it.each([
    ['application/csp-report', { nope: 1 }, /"csp-report" object/],
    ['application/csp-report', { 'csp-report': { 'document-uri': 'https://a.example/' } }, /no "violated-directive"/],
    ['application/csp-report', { 'csp-report': { 'document-uri': 5, 'violated-directive': 'x' } }, /"document-uri" must be a string/],
    [
      'application/csp-report',
      { 'csp-report': { 'document-uri': 'https://a.example/', 'violated-directive': '<b>' } },
      /no valid directive/,
    ],
    ['application/reports+json', { type: 'csp-violation' }, /JSON array/],
    ['application/reports+json', Array.from({ length: 21 }, () => ({})), /at most 20 reports/],
    ['application/reports+json', [{ type: 'csp-violation', body: 'x' }], /"body" object/],
  ])('refuses a malformed %s body with a message', (type, body, message) => {
    expect(() => parseCspReports(type, body)).toThrow(message);
  });

  it.each([
    ['eval', 'eval'],
    ['data:image/png;base64,AAAA', 'data'],
    ['not a url <script>', 'unknown'],
    [`https://x.example/${TOKEN}/y?q=1`, 'https://x.example/:token/y'],
  ])('stores %s as %s', (input, stored) => {
    expect(storedUrl(input)).toBe(stored);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a report holding a %s key, in either format', (key) => {
    const report = `{"document-uri": "https://store.example/checkout/x", "violated-directive": "script-src", "${key}": {"a": 1}}`;
    expect(() => parseCspReports('application/csp-report', JSON.parse(`{"csp-report": ${report}}`))).toThrow(
      `"csp-report.${key}" is not allowed`,
    );
    const batch = `[{"type": "csp-violation", "body": {"documentURL": "https://store.example/", "effectiveDirective": "img-src", "${key}": 1}}]`;
    expect(() => parseCspReports('application/reports+json', JSON.parse(batch))).toThrow(`"0.body.${key}" is not allowed`);
  });
});
