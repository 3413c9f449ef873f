import { percentile } from './bench-stats';
import { formatMs, formatRate, type BenchRow } from './bench-table';
import { runConcurrently, type BenchClient } from './bench-http';
import type { ScratchMariaDb } from './scratch-mariadb';
import { openCheckout, submitDetails } from './shopper-flow';

/** How the checkout row runs: `units` in stock, `attempts` shoppers (more than units), `concurrency` at once. */
export interface CheckoutSettings {
  readonly slug: string;
  readonly units: number;
  readonly attempts: number;
  readonly concurrency: number;
  /** No attempt starts after this many seconds, in each phase (keeps the bench bounded on a slow store). */
  readonly maxSeconds: number;
  readonly minOrdersPerSecond: number;
}

/**
 * Orders placed per second with stock reservation: shoppers race for a product of limited stock
 * (more attempts than units). First every shopper opens a checkout (cart, item, checkout link: no
 * stock is taken yet); then the clock starts and all post the details form that places the order
 * and reserves its stock, `concurrency` at a time. The rate is the units sold divided by the time
 * until the last one was sold; afterwards the database must show exactly `units` reserved and none
 * oversold. The whole purchase's rate (both phases) is reported beside it.
 */
export async function measureCheckout(client: BenchClient, db: ScratchMariaDb, settings: CheckoutSettings): Promise<BenchRow> {
  const [product] = await db.query<{ id: number }>('SELECT id FROM products WHERE slug = ?', [settings.slug]);
  // Set before any shopper sees the product, so no cache can hold the old stock.
  await db.query('UPDATE products SET stock = ? WHERE id = ?', [settings.units, product.id]);

  const opening = performance.now();
  const opened = await runConcurrently(
    settings.attempts,
    settings.concurrency,
    () => openCheckout(client, product.id),
    opening + settings.maxSeconds * 1000,
  );
  const tokens = opened.results.flatMap((attempt) => (attempt.placed ? [attempt.token] : []));
  const openingSeconds = opened.elapsedMs / 1000;

  const started = performance.now();
  let lastPlacedAt = started;
  const { results, latenciesMs } = await runConcurrently(
    tokens.length,
    settings.concurrency,
    async (i) => {
      const attempt = await submitDetails(client, tokens[i]);
      if (attempt.placed) lastPlacedAt = performance.now();
      return attempt;
    },
    started + settings.maxSeconds * 1000,
  );
  const placed = results.filter((r) => r.placed).length;
  const soldOut = placed === settings.units;
  const seconds = (lastPlacedAt - started) / 1000;
  const ordersPerSecond = placed / seconds;

  const [stock] = await db.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', [product.id]);
  const [reserved] = await db.query<{ units: string | number | null; orders: number }>(
    'SELECT SUM(l.quantity) AS units, COUNT(DISTINCT l.order_id) AS orders FROM order_lines l WHERE l.product_id = ?',
    [product.id],
  );
  const reservedUnits = Number(reserved.units ?? 0);
  const oversold = Math.max(0, reservedUnits - settings.units) + Math.max(0, -Number(stock.stock));
  const consistent = Number(stock.stock) === settings.units - reservedUnits && reservedUnits === placed;
  const problems = [
    ...(consistent ? [] : [`stock ${stock.stock} after ${reservedUnits} reserved of ${settings.units} (${placed} placed)`]),
  ];
  return {
    id: 'checkout',
    name: 'checkout creation with stock reservation (MariaDB)',
    measured:
      `${formatRate(ordersPerSecond, ' orders/s')} (${placed} placed of ${results.length} attempts for ${settings.units} units in ${seconds.toFixed(1)} s` +
      `${soldOut ? ', sold out' : `, stopped at ${settings.maxSeconds} s before selling out`}; ` +
      `p99 per order ${formatMs(percentile(latenciesMs, 99))}); whole purchase, 4 requests each: ` +
      `${formatRate(placed / (openingSeconds + seconds), ' orders/s')} (${tokens.length} checkouts opened in ${openingSeconds.toFixed(1)} s); oversold ${oversold}`,
    reference: '',
    budget: '≥ 300 orders/s, zero oversold',
    checks: [
      { label: formatRate(ordersPerSecond, ' orders/s'), actual: ordersPerSecond, limit: settings.minOrdersPerSecond, direction: 'min' },
      { label: `${oversold} oversold`, actual: oversold, limit: 0, direction: 'max' },
      { label: 'stock and reservations disagree', actual: problems.length, limit: 0, direction: 'max' },
    ],
    ...(problems.length > 0 ? { note: problems.join('; ') } : {}),
  };
}
