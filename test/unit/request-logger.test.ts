import { loggableUrl } from '../../server/http/request-logger';

// A 43-character base64url capability token, as the store issues for carts and checkouts.
const TOKEN = 'Xk3_qZ-a9bWcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH';

describe('loggableUrl', () => {
  it('drops the query string', () => {
    expect(loggableUrl('/api/products?q=blue%20mug&email=a@b.example')).toBe('/api/products');
  });

  it('leaves short paths as they are', () => {
    expect(loggableUrl('/api/products/enamel-mug')).toBe('/api/products/enamel-mug');
  });

  it('shortens a token in the path to its first 6 characters and an ellipsis', () => {
    expect(loggableUrl(`/checkout/${TOKEN}`)).toBe('/checkout/Xk3_qZ…');
  });

  it('shortens every token in the path and still drops the query', () => {
    expect(loggableUrl(`/api/carts/${TOKEN}/items/${TOKEN}?return=x`)).toBe('/api/carts/Xk3_qZ…/items/Xk3_qZ…');
  });

  it('redacts the whole URL when it carries a card number, in the path or in the query', () => {
    expect(loggableUrl('/api/carts/4242424242424242')).toBe('[redacted: card data]');
    expect(loggableUrl('/api/products?q=4242%204242%204242%204242')).toBe('[redacted: card data]');
  });

  it('redacts a URL whose card number is encoded: + for spaces, percent-encoded twice, HTML entities, slashes', () => {
    expect(loggableUrl('/api/products?q=4111+1111+1111+1111')).toBe('[redacted: card data]');
    expect(loggableUrl('/?q=4111%25201111%25201111%25201111')).toBe('[redacted: card data]');
    expect(loggableUrl('/?q=4111%26nbsp%3B1111%26%2332%3B1111%201111')).toBe('[redacted: card data]');
    expect(loggableUrl('/api/products/4111/1111/1111/1111')).toBe('[redacted: card data]');
    expect(loggableUrl('/?x=%&q=%EF%BC%94111111111111111')).toBe('[redacted: card data]');
  });
});
