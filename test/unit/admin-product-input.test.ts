import { checkProductInput } from '../../server/admin/products/product-fields';
import { parseProductForm } from '../../server/admin/products/product-form';

// What an admin types for a product, read exactly (no floats) and checked field by field.
// (The price text itself is read by parseMajorUnits, tested in money.test.ts.)

const rules = { currency: 'USD', images: ['/images/mug.svg'] } as const;
const form = { name: 'Mug', slug: 'mug', description: '', price: '12.50', stock: '5', image: '', category: '', position: '', active: 'on' };

describe('parseProductForm', () => {
  it('reads a new product: price in minor units, empty image and category are none, position left for the store to choose', () => {
    expect(parseProductForm(form, rules, 'create')).toEqual({
      ok: true,
      value: {
        name: 'Mug',
        slug: 'mug',
        description: '',
        price: { amount: 1250, currency: 'USD' },
        stock: 5,
        image: null,
        category: null,
        active: true,
      },
    });
  });

  it.each([
    ['12.5', 'USD', 1250],
    ['0.29', 'USD', 29],
    ['1,200.05', 'USD', 120005],
    ['1200', 'JPY', 1200],
    ['1.234', 'BHD', 1234],
  ])('price "%s" in a %s store is %i minor units', (price, currency, amount) => {
    const parsed = parseProductForm({ ...form, price }, { ...rules, currency }, 'create');
    expect(parsed.ok && parsed.value.price).toEqual({ amount, currency });
  });

  it.each([
    ['12.5', 'JPY', 'JPY amounts have no decimals.'],
    ['12.505', 'USD', 'USD amounts have at most 2 decimals.'],
    ['$12', 'USD', 'Enter an amount like 12.50 (USD).'],
    ['0', 'USD', 'The amount must be more than zero.'],
    ['100000.01', 'USD', 'Price must be more than 0 and at most $100,000.00.'],
    ['1000000000', 'JPY', 'Price must be more than 0 and at most ¥10,000,000.'],
  ])('price "%s" in a %s store is refused: %s', (price, currency, message) => {
    expect(parseProductForm({ ...form, price }, { ...rules, currency }, 'create')).toEqual({
      ok: false,
      errors: { price: message },
      formErrors: [],
    });
  });

  it('an unticked checkbox (not sent) deactivates', () => {
    const { active: _active, ...unticked } = form;
    const parsed = parseProductForm(unticked, rules, 'create');
    expect(parsed.ok && parsed.value.active).toBe(false);
  });

  it('keys each problem by its field, with a message that says what the field must be', () => {
    const parsed = parseProductForm(
      { ...form, name: ' ', slug: 'Big Mug', price: '100000.01', stock: '2.5', image: 'http://example.com/a.png', category: 'Home' },
      rules,
      'create',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      name: 'Enter a name of 1 to 200 characters.',
      slug: expect.stringContaining('lower-case letters, digits and single hyphens'),
      price: 'Price must be more than 0 and at most $100,000.00.',
      stock: 'Stock must be a whole number from 0 to 1,000,000.',
      image: expect.stringContaining("https:// address or one of the store's images (/images/mug.svg)"),
      category: expect.stringContaining('lower-case letters, digits and single hyphens'),
    });
    expect(parsed.formErrors).toEqual([]);
  });

  it('refuses a field the page never showed, above the form', () => {
    const parsed = parseProductForm({ ...form, currency: 'EUR' }, rules, 'create');
    expect(parsed).toEqual({ ok: false, errors: {}, formErrors: ['The form has a field this page did not ask for: currency.'] });
  });

  it('on an edit, a stock left as shown is not written; a changed one is written only against the shown figure', () => {
    const same = parseProductForm({ ...form, stockShown: '5' }, rules, 'update');
    expect(same.ok && 'stock' in same.value).toBe(false);
    const changed = parseProductForm({ ...form, stock: '8', stockShown: '5' }, rules, 'update');
    expect(changed.ok && changed.value).toMatchObject({ stock: 8, expectedStock: 5 });
  });
});

describe('checkProductInput (the JSON API)', () => {
  it('takes typed values strictly: a price is integer minor units of the store currency', () => {
    const checked = checkProductInput(
      { name: 'Mug', slug: 'mug', price: { amount: 12.5, currency: 'EUR' }, stock: '5', active: 'yes' },
      rules,
      'create',
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((e) => e.path).sort()).toEqual(['active', 'price', 'price.currency', 'stock']);
    expect(checked.errors.find((e) => e.path === 'price.currency')?.message).toBe(
      "This store sells in USD: the price's currency must be USD.",
    );
  });

  it('an update needs at least one field, and expectedStock only goes with stock', () => {
    expect(checkProductInput({}, rules, 'update')).toEqual({
      ok: false,
      errors: [{ path: '', message: 'Send at least one product field to change.' }],
    });
    expect(checkProductInput({ expectedStock: 3 }, rules, 'update')).toMatchObject({ ok: false, errors: [{ path: 'expectedStock' }] });
    expect(checkProductInput({ stock: 4, expectedStock: 3 }, rules, 'update')).toEqual({ ok: true, value: { stock: 4, expectedStock: 3 } });
  });

  it('refuses __proto__, constructor and prototype keys, at any depth, as fields that do not exist', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const input = JSON.parse(`{"name": "Mug", "${key}": {"isAdmin": true}, "price": {"${key}": 1}}`) as unknown;
      expect(checkProductInput(input, rules, 'update')).toEqual({
        ok: false,
        errors: [
          { path: key, message: `"${key}" is not a product field.` },
          { path: `price.${key}`, message: `"price.${key}" is not a product field.` },
        ],
      });
    }
  });
});
