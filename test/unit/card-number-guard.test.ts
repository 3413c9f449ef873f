import { containsCardNumber, urlContainsCardNumber, valueContainsCardNumber } from '../../server/http/card-number-guard';

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
