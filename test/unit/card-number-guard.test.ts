import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import {
  containsCardNumber,
  requestUrlContainsCardNumber,
  urlContainsCardNumber,
  valueContainsCardNumber,
} from '../../server/http/card-number-guard';
import { encodedCard, formEncode, ordinaryNote, ordinaryValue, UNIT_RUNS } from '../support/card-numbers';

describe('containsCardNumber', () => {
  it.each([
    ['plain 16 digits', '4242424242424242'],
    ['groups separated by spaces', '4242 4242 4242 4242'],
    ['groups separated by dashes', '4242-4242-4242-4242'],
    ['groups separated by dots', '4242.4242.4242.4242'],
    ['embedded in a sentence', 'my card is 4242 4242 4242 4242 thanks'],
    ['15-digit Amex', '378282246310005'],
    ['Amex grouped 4-6-5', '3782 822463 10005'],
    ['13-digit Visa', '4222222222222'],
    ['19 digits', '4111111111111111110'],
    ['full-width digits', '４２４２４２４２４２４２４２４２'],
    ['full-width digits with ideographic spaces', '４２４２\u3000４２４２\u3000４２４２\u3000４２４２'],
    ['right after another number', 'qty 1 4242 4242 4242 4242'],
    ['groups separated by double spaces', '4242  4242  4242  4242'],
    ['groups separated by spaced dashes', '4242 - 4242 - 4242 - 4242'],
  ])('finds %s', (_label, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['a Luhn-invalid 16-digit number', '4242424242424241'],
    ['a Luhn-valid 12-digit number', '424242424242'],
    ['a US phone number', '+1 555 123 4567'],
    ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['an ISO date', '2026-01-15'],
    ['an ISO timestamp', '2026-01-15T10:30:00.000Z'],
    ['an empty string', ''],
    ['text without digits', 'enamel mug, blue'],
  ])('does not flag %s', (_label, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('valueContainsCardNumber', () => {
  it('finds a card number nested in objects and arrays', () => {
    expect(valueContainsCardNumber({ a: { b: [{ c: 'ok' }, { note: 'card 4242 4242 4242 4242' }] } })).toBe(true);
  });

  it('finds a card number sent as a JSON number', () => {
    expect(valueContainsCardNumber({ quantity: 1, cardNumber: 4242424242424242 })).toBe(true);
    expect(valueContainsCardNumber([4242424242424242])).toBe(true);
  });

  it('finds a card number used as an object key', () => {
    expect(valueContainsCardNumber({ '4242424242424242': 'x' })).toBe(true);
    expect(valueContainsCardNumber({ items: { '4242 4242 4242 4242': true } })).toBe(true);
  });

  it('lets ordinary bodies through', () => {
    expect(
      valueContainsCardNumber({
        productId: '123e4567-e89b-12d3-a456-426614174000',
        quantity: 2,
        price: 1999,
        tags: ['mug', null, true],
        placedAt: '2026-01-15T10:30:00.000Z',
      }),
    ).toBe(false);
    expect(valueContainsCardNumber(null)).toBe(false);
    expect(valueContainsCardNumber(undefined)).toBe(false);
  });
});

describe('urlContainsCardNumber', () => {
  it('finds a card number in a percent-encoded query', () => {
    expect(urlContainsCardNumber('/api/products?q=4242%204242%204242%204242')).toBe(true);
  });

  it('finds a card number with + as the space in a query', () => {
    expect(urlContainsCardNumber('/api/products?q=4242+4242+4242+4242')).toBe(true);
  });

  it('finds a card number in a path segment, plain or percent-encoded', () => {
    expect(urlContainsCardNumber('/api/carts/4242424242424242')).toBe(true);
    expect(urlContainsCardNumber('/api/carts/4242%204242%204242%204242/items')).toBe(true);
  });

  it('still finds a percent-encoded card number when another query parameter has a malformed escape', () => {
    // Express decodes each parameter on its own, so the handler would see q = "4242 4242 4242 4242".
    expect(urlContainsCardNumber('/api/products?q=4242%204242%204242%204242&x=%')).toBe(true);
  });

  it('lets ordinary URLs through', () => {
    expect(urlContainsCardNumber('/api/products?q=mug&page=2')).toBe(false);
    expect(urlContainsCardNumber('/checkout/AbCdEfGhIjKlMnOpQrStUvWxYz_-0123456789abcde')).toBe(false);
    expect(urlContainsCardNumber('/api/products/123e4567-e89b-12d3-a456-426614174000')).toBe(false);
  });
});

describe('the decoding stage', () => {
  it.each([
    ['percent-encoded spaces', '4111%201111%201111%201111'],
    ['plus signs between groups', '4111+1111+1111+1111'],
    ['percent-encoded twice', '4111%25201111%25201111%25201111'],
    ['every character percent-encoded', '%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31'],
    ['percent-encoded full-width digits', '%EF%BC%94%EF%BC%91%EF%BC%91%EF%BC%91111111111111'],
    ['full-width percent signs', '４１１１％２０１１１１％２０１１１１％２０１１１１'],
    ['a malformed escape before the encoded number', '% and %zz then 4111%201111%201111%201111'],
    ['decimal HTML entities for the digits', '&#52;&#49;&#49;&#49;111111111111'],
    ['hex HTML entities for the digits', '&#x34;&#x31;&#x31;&#x31;111111111111'],
    ['named entities between groups, with and without semicolon', '4111&nbsp;1111&nbsp1111&ndash;1111'],
    ['numeric entities between groups', '4111&#32;1111&#x20;1111&#160;1111'],
    ['entities encoded twice', '4111&amp;nbsp;1111&amp;#32;1111 1111'],
    ['entities inside percent-encoding', '4111%26nbsp%3B1111%26%2332%3B1111%201111'],
    ['slashes between groups', '4111/1111/1111/1111'],
    ['underscores between groups', '4111_1111_1111_1111'],
    ['tabs and new lines between groups', '4111\t1111\r\n1111\n1111'],
    ['en dashes between groups', '4111 – 1111 – 1111 – 1111'],
    ['zero-width spaces between groups', '4111\u200b1111\u200b1111\u200b1111'],
    ['soft hyphens between groups', '4111\u00ad1111\u00ad1111\u00ad1111'],
    ['Arabic-Indic digits', '٤١١١ ١١١١ ١١١١ ١١١١'],
    ['Devanagari digits', '४१११ ११११ ११११ ११११'],
    ['a 15-digit UATP number', '122000000000003'],
  ])('finds a card number in %s', (_label, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it('finds a card number in the query or the fragment of a URL-valued field', () => {
    expect(containsCardNumber('https://blog.example/shop?q=4111%201111%201111%201111')).toBe(true);
    expect(containsCardNumber('https://blog.example/shop?q=4111+1111+1111+1111')).toBe(true);
    expect(containsCardNumber('https://blog.example/shop#4111%201111%201111%201111')).toBe(true);
    expect(containsCardNumber('https://blog.example/shop#pay=4111+1111+1111+1111')).toBe(true);
    expect(containsCardNumber('https://cdn.example/img/4111-1111-1111-1111.png')).toBe(true);
    expect(containsCardNumber('https://blog.example/shop?q=+3782+822463+10005')).toBe(true);
  });

  it('reads + as a space only in a URL: a JSON phone number with a plus stays one', () => {
    // +86 138 0013 0009 is 13 digits and passes Luhn: a Chinese mobile number, not a card.
    expect(containsCardNumber('+86 138 0013 0009')).toBe(false);
    expect(containsCardNumber('https://blog.example/contact?tel=%2B86+138+0013+0009')).toBe(false);
    // Typed into an address bar, the plus stays literal and the spaces become %20: a form-encoded
    // + may be a space or the plus itself, and read as either it is a phone number.
    expect(containsCardNumber('https://blog.example/contact?tel=+86%20138%200013%200009')).toBe(false);
    expect(containsCardNumber('https://blog.example/shop?q=+49%20151%2062428192')).toBe(false);
    // Without the plus it is 13 Luhn-valid digits like any other.
    expect(containsCardNumber('86 138 0013 0009')).toBe(true);
    // A plus between two numbers is a separator, not a country code.
    expect(containsCardNumber('4111+111111111111')).toBe(true);
    // A 16-digit number is too long for a phone number (E.164: 15 at most), plus or not.
    expect(containsCardNumber('+4111 1111 1111 1111')).toBe(true);
  });

  it('does not hide one percent-encoded number behind a malformed escape elsewhere in a URL', () => {
    expect(urlContainsCardNumber('/api/products?x=%&y=%E0%A4&q=4111%201111%201111%201111')).toBe(true);
    expect(urlContainsCardNumber('/api/products/%zz/4111%2F1111%2F1111%2F1111')).toBe(true);
  });
});

describe('what the guard deliberately lets through', () => {
  it.each([
    ['a UK phone number', '+44 20 7946 0958'],
    ['a US phone number with parentheses', '+1 (555) 010-2345'],
    ['a 13-digit German mobile number', '+49 151 23456001'],
    ['a phone number dialled with 00', '0086 138 0013 8000'],
    ['a UUID whose last groups are digits', 'a1b2c3d4-e5f6-4a7b-8123-426614174000'],
    ['a Unix time in milliseconds', '1764612345678'],
    ['a Unix time in microseconds', '1764612345678901'],
    ['a zero-padded number', '0000000000000000'],
    ['a 12-digit EAN (UPC-A)', '036000291452'],
    ['an order number', 'PLK-2026-000123'],
    ['a 22-digit USPS tracking number as one run', '9400111899223847512348'],
    ['a date', '2026-12-01'],
    ['a malformed escape that breaks the digits as a browser would show them', '4111%zz1111%201111%201111'],
    ['a decimal entity that swallows the digits after it, as browsers read it', '4111&#321111 1111 1111'],
  ])('lets %s through', (_label, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });

  it('refuses a 13-digit EAN that happens to pass Luhn as well: 13 Luhn-valid digits look like a card', () => {
    // Both are valid EAN-13 codes (GS1 check digit); the first passes Luhn too, as about one EAN-13
    // in ten does. EAN-12/UPC-A codes are never refused (12 digits), and 9 EAN-13 codes in 10 pass.
    expect(containsCardNumber('4006381333924')).toBe(true);
    expect(containsCardNumber('4006381333900')).toBe(false);
  });
});

describe('valueContainsCardNumber, beyond strings', () => {
  it('checks every whole number a JSON number too large to hold exactly may have been sent as', () => {
    // A 19-digit UnionPay number is far above 2^53: JSON.parse gives 6212345678901235000, which fails Luhn.
    const parsed = JSON.parse('{"n": 6212345678901234502}') as { n: number };
    expect(String(parsed.n)).toBe('6212345678901235000');
    expect(valueContainsCardNumber(parsed)).toBe(true);
    expect(valueContainsCardNumber(JSON.parse('[4111111111111111110]'))).toBe(true);
  });

  it('does not take fractions or small numbers for cards', () => {
    expect(valueContainsCardNumber([0.4111111111111111, 3.14159265358979, 1999, -12])).toBe(false);
  });

  it('finds a card number at any depth, however deep', () => {
    let deep: unknown = { card: '4111 1111 1111 1111' };
    for (let i = 0; i < 5000; i++) deep = i % 2 === 0 ? [deep] : { nested: deep };
    expect(valueContainsCardNumber(deep)).toBe(true);
  });

  it('finds a card number in a key at depth, in any encoding', () => {
    expect(valueContainsCardNumber({ a: [{ b: { '4111%201111%201111%201111': 1 } }] })).toBe(true);
    expect(valueContainsCardNumber({ a: { '&#52;111 1111 1111 1111': true } })).toBe(true);
  });

  it('reads a 32 kb body of digits and separators in one pass (no quadratic sweep)', () => {
    // Every window of whole groups is checked, but none longer than 19 digits: the work grows
    // with the length of the body, not with its square. Luhn-invalid throughout, so all of it is read.
    const body = Array.from({ length: 6500 }, (_, i) => ['1234', '5678', '0'][i % 3]).join(' ');
    expect(body.length).toBeGreaterThan(26_000);
    expect(containsCardNumber(body)).toBe(containsCardNumber(body));
    const dashed = '9-'.repeat(16_000);
    expect(valueContainsCardNumber({ dashed, spaced: ' 7'.repeat(16_000) })).toBe(false);
  });
});

describe('property: card numbers of every brand, in any encoding, are found', () => {
  it('containsCardNumber finds each one on its own and inside a sentence', () => {
    fc.assert(
      fc.property(
        encodedCard,
        fc.constantFrom('', 'my card is ', 'qty 1, card: '),
        fc.constantFrom('', ' thanks', ', exp 12/28'),
        (card, before, after) => {
          expect(containsCardNumber(card.text)).toBe(true);
          expect(containsCardNumber(`${before}${card.text}${after}`)).toBe(true);
        },
      ),
      { numRuns: UNIT_RUNS },
    );
  });

  it('valueContainsCardNumber finds each one as a value or a key at a random depth', () => {
    const nest = (depth: number, inner: unknown): unknown => (depth === 0 ? inner : { level: [nest(depth - 1, inner)] });
    fc.assert(
      fc.property(encodedCard, fc.integer({ min: 0, max: 40 }), fc.boolean(), (card, depth, asKey) => {
        const inner = asKey ? { [card.text]: 'x' } : { note: card.text };
        expect(valueContainsCardNumber(nest(depth, inner))).toBe(true);
      }),
      { numRuns: UNIT_RUNS },
    );
  });

  it('urlContainsCardNumber finds each one in a path segment, a query name or value, or a fragment', () => {
    fc.assert(
      fc.property(encodedCard, fc.constantFrom('path', 'queryName', 'queryValue', 'fragment'), (card, where) => {
        // A URL holds no raw white space or #: a browser percent-encodes them.
        const inUrl = card.text.replace(/[\s#?&]/gu, (ch) => encodeURIComponent(ch));
        const url = {
          path: `/api/products/${inUrl}`,
          queryName: `/?${inUrl}=1`,
          queryValue: `/?page=2&q=${inUrl}`,
          fragment: `https://blog.example/shop#${inUrl}`,
        }[where];
        expect(urlContainsCardNumber(url)).toBe(true);
      }),
      { numRuns: UNIT_RUNS },
    );
  });
});

describe('property: ordinary input passes', () => {
  it('postal codes, phone numbers, order numbers, tracking notes, EANs, dates, prices, quantities, UUIDs and timestamps', () => {
    fc.assert(
      fc.property(ordinaryValue, ordinaryNote, (value, note) => {
        expect(containsCardNumber(value)).toBe(false);
        expect(containsCardNumber(note)).toBe(false);
        expect(valueContainsCardNumber({ trackingNote: note, lines: [value], [value]: 1 })).toBe(false);
        expect(urlContainsCardNumber(`/?note=${formEncode(note)}&v=${encodeURIComponent(value)}`)).toBe(false);
        expect(
          urlContainsCardNumber(
            `https://blog.example/shop?note=${encodeURIComponent(encodeURIComponent(note))}#${encodeURIComponent(value)}`,
          ),
        ).toBe(false);
      }),
      { numRuns: UNIT_RUNS },
    );
  });
});

describe('requestUrlContainsCardNumber', () => {
  it('judges the URL the client sent, once per request, whatever a mounted router later makes of req.url', () => {
    const carrying = { url: '/api/carts/4242424242424242/items' } as IncomingMessage;
    expect(requestUrlContainsCardNumber(carrying)).toBe(true);
    carrying.url = '/items'; // as Express rewrites it inside a router mounted at /api/carts/:id
    expect(requestUrlContainsCardNumber(carrying)).toBe(true);

    const clean = { url: '/api/products?limit=24&offset=0' } as IncomingMessage;
    expect(requestUrlContainsCardNumber(clean)).toBe(false);
    expect(
      requestUrlContainsCardNumber({ url: '/x', originalUrl: '/?q=4111+1111+1111+1111' } as IncomingMessage & { originalUrl: string }),
    ).toBe(true);
  });
});
