// The checkout form as a shopper fills it: shared by the tests (through shopper.ts) and by
// `npm run bench`, which imports it without the test store.

/** A complete, valid checkout form as a browser would post it. */
export function validCheckoutForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    email: 'Ada@Example.com',
    shippingName: 'Ada Lovelace',
    shippingLine1: '12 Analytical Row',
    shippingLine2: '',
    shippingCity: 'London',
    shippingRegion: '',
    shippingPostalCode: 'N1 9GU',
    shippingCountry: 'GB',
    billingSameAsShipping: 'on',
    billingName: '',
    billingLine1: '',
    billingLine2: '',
    billingCity: '',
    billingRegion: '',
    billingPostalCode: '',
    billingCountry: '',
    shippingMethod: 'standard',
    ...overrides,
  };
}
