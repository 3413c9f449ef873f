import { parseCheckoutForm, type CheckoutFormResult } from '../../server/checkout/checkout-form';

const SHIPPING = {
  shippingName: 'Ada Lovelace',
  shippingLine1: '12 Analytical Row',
  shippingLine2: '',
  shippingCity: 'London',
  shippingRegion: '',
  shippingPostalCode: 'sw1a 1aa',
  shippingCountry: 'GB',
};

const BILLING = {
  billingName: 'Ada King',
  billingLine1: '1 Engine Street',
  billingLine2: 'Flat 2',
  billingCity: 'Cambridge',
  billingRegion: 'Massachusetts',
  billingPostalCode: '02139',
  billingCountry: 'US',
};

const EMPTY_BILLING = Object.fromEntries(Object.keys(BILLING).map((k) => [k, '']));

const VALID_FORM = { email: 'Ada@Example.COM', ...SHIPPING, ...BILLING, shippingMethod: 'standard' };

function details(result: CheckoutFormResult) {
  if (!result.ok) throw new Error(`expected the form to be valid, got ${JSON.stringify(result)}`);
  return result.details;
}

function errors(result: CheckoutFormResult): Readonly<Record<string, string>> {
  if (result.ok) throw new Error('expected the form to be refused');
  return result.errors;
}

/** Every message the result carries, whether next to a field or about the form as a whole. */
function allMessages(result: CheckoutFormResult): string[] {
  const refused = result as unknown as { errors: Record<string, string>; formErrors?: readonly string[] };
  return [...Object.values(refused.errors ?? {}), ...(refused.formErrors ?? [])];
}

describe('parseCheckoutForm: valid forms', () => {
  it('returns the details of a complete form', () => {
    expect(details(parseCheckoutForm(VALID_FORM))).toEqual({
      email: 'ada@example.com',
      shipping: {
        name: 'Ada Lovelace',
        line1: '12 Analytical Row',
        line2: null,
        city: 'London',
        region: null,
        postalCode: 'SW1A 1AA',
        country: 'GB',
      },
      billing: {
        name: 'Ada King',
        line1: '1 Engine Street',
        line2: 'Flat 2',
        city: 'Cambridge',
        region: 'Massachusetts',
        postalCode: '02139',
        country: 'US',
      },
      shippingMethod: 'standard',
    });
  });

  it('lower-cases and trims the email', () => {
    expect(details(parseCheckoutForm({ ...VALID_FORM, email: '  Ada@Example.COM ' })).email).toBe('ada@example.com');
  });

  it('accepts express shipping', () => {
    expect(details(parseCheckoutForm({ ...VALID_FORM, shippingMethod: 'express' })).shippingMethod).toBe('express');
  });

  it('copies the shipping address to billing when billingSameAsShipping is on', () => {
    const result = details(parseCheckoutForm({ ...VALID_FORM, ...EMPTY_BILLING, billingSameAsShipping: 'on' }));
    expect(result.billing).toEqual(result.shipping);
    expect(result.billing.name).toBe('Ada Lovelace');
  });

  it('accepts billingSameAsShipping with the billing fields left out entirely', () => {
    const { email, shippingMethod } = VALID_FORM;
    const result = details(parseCheckoutForm({ email, ...SHIPPING, shippingMethod, billingSameAsShipping: 'on' }));
    expect(result.billing.city).toBe('London');
  });
});

describe('parseCheckoutForm: refused forms', () => {
  it('keys errors for missing fields by the form field name', () => {
    const result = errors(parseCheckoutForm({}));
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'email',
        'shippingName',
        'shippingLine1',
        'shippingCity',
        'shippingPostalCode',
        'shippingCountry',
        'billingName',
        'billingLine1',
        'billingCity',
        'billingPostalCode',
        'billingCountry',
        'shippingMethod',
      ]),
    );
    expect(result).not.toHaveProperty('shippingLine2');
    expect(result).not.toHaveProperty('shippingRegion');
  });

  it('writes human messages, without quotes around the labels', () => {
    const result = errors(parseCheckoutForm({ billingSameAsShipping: 'no' }));
    expect(result.email).toMatch(/^Email /);
    expect(result.shippingPostalCode).toMatch(/postal code/i);
    expect(result.billingName).toMatch(/^Billing full name/);
    for (const message of Object.values(result)) {
      expect(message).not.toMatch(/["'`]/);
    }
  });

  it('requires the billing address when billingSameAsShipping is off', () => {
    const result = errors(parseCheckoutForm({ ...VALID_FORM, ...EMPTY_BILLING }));
    expect(Object.keys(result).sort()).toEqual(
      ['billingCity', 'billingCountry', 'billingLine1', 'billingName', 'billingPostalCode'].sort(),
    );
  });

  it('refuses an invalid email', () => {
    expect(errors(parseCheckoutForm({ ...VALID_FORM, email: 'not-an-email' }))).toEqual({
      email: expect.stringMatching(/Email/),
    });
  });

  it('refuses a field the page did not ask for', () => {
    const result = parseCheckoutForm({ ...VALID_FORM, price: '1' });
    expect(result.ok).toBe(false);
    expect(allMessages(result)).toEqual([expect.stringContaining('price')]);
  });

  it('refuses a country not in the list', () => {
    expect(errors(parseCheckoutForm({ ...VALID_FORM, shippingCountry: 'XX' }))).toEqual({
      shippingCountry: expect.stringMatching(/country/i),
    });
  });

  it('refuses an unknown shipping method', () => {
    expect(errors(parseCheckoutForm({ ...VALID_FORM, shippingMethod: 'overnight' }))).toEqual({
      shippingMethod: expect.stringMatching(/shipping method/i),
    });
  });

  it('refuses a malformed postal code', () => {
    expect(errors(parseCheckoutForm({ ...VALID_FORM, shippingPostalCode: '<script>' }))).toEqual({
      shippingPostalCode: expect.stringMatching(/postal code/i),
    });
  });

  it('refuses a body that is not an object', () => {
    expect(parseCheckoutForm(null).ok).toBe(false);
    expect(parseCheckoutForm('email=a@b.example').ok).toBe(false);
  });
});
