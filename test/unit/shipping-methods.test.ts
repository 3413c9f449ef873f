import { shippingMethod, shippingMethods, SHIPPING_METHOD_IDS } from '../../server/checkout/shipping-methods';

describe('shipping methods', () => {
  it('offers standard and express, in that order', () => {
    expect(shippingMethods('USD').map((m) => m.id)).toEqual(['standard', 'express']);
    expect(SHIPPING_METHOD_IDS).toEqual(['standard', 'express']);
  });

  it.each([
    ['USD', 500, 1500],
    ['JPY', 5, 15],
    ['BHD', 5000, 15000],
  ])('prices in %s: standard %i, express %i minor units', (currency, standard, express) => {
    expect(shippingMethod('standard', currency).price).toEqual({ amount: standard, currency });
    expect(shippingMethod('express', currency).price).toEqual({ amount: express, currency });
  });

  it('gives every method a label', () => {
    for (const method of shippingMethods('EUR')) expect(method.label).toMatch(/\S/);
  });

  it('refuses an unknown currency and an unknown method', () => {
    expect(() => shippingMethods('XYZ')).toThrow(/Unknown currency/);
    expect(() => shippingMethod('overnight' as never, 'USD')).toThrow(RangeError);
  });
});
