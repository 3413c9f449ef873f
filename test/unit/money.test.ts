import { add, formatMoney, fromMajorUnits, money, parseMajorUnits, multiply, subtract, sum, toDecimalString } from '../../server/money';

describe('toDecimalString', () => {
  it.each([
    [1999, 'USD', '19.99'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [100, 'USD', '1.00'],
    [-1999, 'USD', '-19.99'],
    [-5, 'USD', '-0.05'],
    [500, 'JPY', '500'],
    [0, 'JPY', '0'],
    [-500, 'JPY', '-500'],
    [1234, 'BHD', '1.234'],
    [5, 'BHD', '0.005'],
    [-1234, 'BHD', '-1.234'],
  ])('%i %s → %s', (amount, currency, expected) => {
    expect(toDecimalString(money(amount, currency))).toBe(expected);
  });

  it('renders large amounts exactly, digit for digit', () => {
    expect(toDecimalString(money(123456789012, 'USD'))).toBe('1234567890.12');
    expect(toDecimalString(money(Number.MAX_SAFE_INTEGER, 'USD'))).toBe('90071992547409.91');
  });
});

describe('formatMoney', () => {
  it('formats USD with the dollar sign and two decimals', () => {
    expect(formatMoney(money(1999, 'USD'))).toBe('$19.99');
    expect(formatMoney(money(5, 'USD'))).toBe('$0.05');
  });

  it('keeps the minus sign for negative amounts', () => {
    const formatted = formatMoney(money(-1999, 'USD'));
    expect(formatted).toContain('-');
    expect(formatted).toContain('19.99');
  });

  it('formats JPY without any decimals', () => {
    const formatted = formatMoney(money(500, 'JPY'));
    expect(formatted).toContain('500');
    expect(formatted).toMatch(/[¥￥]/);
    expect(formatted).not.toContain('.');
  });

  it('formats BHD with three decimals', () => {
    expect(formatMoney(money(1234, 'BHD'))).toContain('1.234');
    expect(formatMoney(money(5, 'BHD'))).toContain('0.005');
  });

  it('formats large amounts exactly, without float drift', () => {
    expect(formatMoney(money(123456789012, 'USD'))).toBe('$1,234,567,890.12');
    // 90071992547409.91 is not representable as a double: only string formatting gets it right.
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'USD'))).toBe('$90,071,992,547,409.91');
  });
});

describe('money()', () => {
  it('builds a value from an integer amount of a known currency', () => {
    expect(money(1999, 'USD')).toEqual({ amount: 1999, currency: 'USD' });
  });

  it('refuses fractional amounts (money is never a float)', () => {
    expect(() => money(19.99, 'USD')).toThrow(RangeError);
  });

  it('refuses NaN, infinities and unsafe integers', () => {
    expect(() => money(Number.NaN, 'USD')).toThrow(RangeError);
    expect(() => money(Number.POSITIVE_INFINITY, 'USD')).toThrow(RangeError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, 'USD')).toThrow(RangeError);
  });

  it('refuses unknown currencies rather than guessing their exponent', () => {
    expect(() => money(100, 'XYZ')).toThrow(/Unknown currency/);
    expect(() => money(100, 'usd')).toThrow(/Unknown currency/);
  });
});

describe('arithmetic', () => {
  it('adds and subtracts amounts of one currency', () => {
    expect(add(money(1999, 'USD'), money(1, 'USD'))).toEqual(money(2000, 'USD'));
    expect(subtract(money(1999, 'USD'), money(2000, 'USD'))).toEqual(money(-1, 'USD'));
  });

  it('refuses to add or subtract different currencies', () => {
    expect(() => add(money(100, 'USD'), money(100, 'EUR'))).toThrow(/Currency mismatch/);
    expect(() => subtract(money(100, 'USD'), money(100, 'JPY'))).toThrow(/Currency mismatch/);
  });

  it('multiplies by a whole quantity', () => {
    expect(multiply(money(1999, 'USD'), 3)).toEqual(money(5997, 'USD'));
    expect(multiply(money(1999, 'USD'), 0)).toEqual(money(0, 'USD'));
  });

  it('refuses a fractional quantity', () => {
    expect(() => multiply(money(1999, 'USD'), 1.5)).toThrow(RangeError);
  });

  it('sums a list of one currency', () => {
    expect(sum([money(1, 'USD'), money(2, 'USD'), money(3, 'USD')], 'USD')).toEqual(money(6, 'USD'));
  });

  it('gives zero in the requested currency for an empty list', () => {
    expect(sum([], 'JPY')).toEqual({ amount: 0, currency: 'JPY' });
    expect(sum([], 'BHD')).toEqual({ amount: 0, currency: 'BHD' });
  });

  it('refuses to sum amounts in another currency than the one requested', () => {
    expect(() => sum([money(100, 'USD')], 'EUR')).toThrow(/Currency mismatch/);
  });
});

describe('fromMajorUnits', () => {
  it.each([
    ['USD', 500],
    ['JPY', 5],
    ['BHD', 5000],
  ])('5 major units of %s are %i minor units', (currency, minor) => {
    expect(fromMajorUnits(5, currency)).toEqual({ amount: minor, currency });
  });

  it('refuses fractional major units and unknown currencies', () => {
    expect(() => fromMajorUnits(1.5, 'USD')).toThrow(RangeError);
    expect(() => fromMajorUnits(5, 'XYZ')).toThrow(/Unknown currency/);
  });
});

describe('parseMajorUnits', () => {
  it.each([
    ['12.50', 'USD', 1250],
    ['12.5', 'USD', 1250],
    [' 12 ', 'USD', 1200],
    ['1,200.05', 'USD', 120005],
    ['0.01', 'USD', 1],
    ['1200', 'JPY', 1200],
    ['1.234', 'BHD', 1234],
  ])('reads %j %s as %d minor units', (text, currency, amount) => {
    expect(parseMajorUnits(text, currency)).toEqual({ amount, currency });
  });

  it.each([
    ['12.5', 'JPY', 'JPY amounts have no decimals.'],
    ['12.505', 'USD', 'USD amounts have at most 2 decimals.'],
    ['0', 'USD', 'The amount must be more than zero.'],
    ['0.00', 'USD', 'The amount must be more than zero.'],
    ['-5', 'USD', 'Enter an amount like 12.50 (USD).'],
    ['1e3', 'USD', 'Enter an amount like 12.50 (USD).'],
    ['', 'JPY', 'Enter an amount like 1200 (JPY).'],
    ['12,50', 'EUR', 'Enter an amount like 12.50 (EUR).'],
  ])('refuses %j %s: %s', (text, currency, message) => {
    expect(parseMajorUnits(text, currency)).toBe(message);
  });
});
