import type { Money } from './api';

const formatters = new Map<string, { exponent: number; format: Intl.NumberFormat }>();

function formatterFor(currency: string): { exponent: number; format: Intl.NumberFormat } {
  let entry = formatters.get(currency);
  if (!entry) {
    // The exponent must not depend on the visitor's locale, so it is read from a fixed one.
    const exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    entry = { exponent, format: new Intl.NumberFormat(undefined, { style: 'currency', currency }) };
    formatters.set(currency, entry);
  }
  return entry;
}

/**
 * Formats an amount of integer minor units in the visitor's locale, e.g.
 * `{ amount: 1999, currency: 'USD' }` as "$19.99" and `{ amount: 500, currency: 'JPY' }` as "¥500".
 * Display only: sums and products are always computed by the server.
 */
export function formatMoney(money: Money): string {
  try {
    const { exponent, format } = formatterFor(money.currency);
    return format.format(money.amount / 10 ** exponent);
  } catch {
    // An unknown currency code makes Intl throw; show the raw value rather than break the view.
    return `${money.amount} ${money.currency}`;
  }
}

/**
 * Builds a currency formatter before any price is shown: the first one a page builds costs
 * 40–95 ms in Chromium on the bench machine (the engine loads its number data), every later one
 * under a millisecond, whatever the currency. Called while the catalog request is in flight, so the
 * first cards do not wait for it.
 */
export function warmMoneyFormat(): void {
  formatMoney({ amount: 0, currency: 'USD' });
}
