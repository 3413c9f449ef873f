import Stripe from 'stripe';
import { StripeCheckoutBrowser } from '../../test/support/stripe-checkout-browser';
import { percentile } from './bench-stats';
import { formatMs, formatRate, type BenchRow } from './bench-table';
import { runConcurrently, type BenchClient } from './bench-http';
import type { ScratchMariaDb } from './scratch-mariadb';
import { seededRandom, withDuplicates } from './seeded-shuffle';
import { attemptPurchase } from './shopper-flow';

/** How the callback row runs. */
export interface CallbackSettings {
  readonly slug: string;
  readonly orders: number;
  /** Placing and paying the orders stops after this many seconds (keeps the bench bounded on a slow store). */
  readonly setupSeconds: number;
  readonly duplicateShare: number;
  readonly concurrency: number;
  /** The store's STRIPE_WEBHOOK_SECRET (the bench sets it). */
  readonly webhookSecret: string;
  /** The Stripe sandbox the store uses (bench-sandboxes.ts): its API and the secret key it accepts. */
  readonly stripeApi: { readonly host: string; readonly port: number };
  readonly sandboxSecretKey: string;
  /** The store's certificate (the sandbox's hosted page serves it too). */
  readonly cert: string;
  readonly minCallbacksPerSecond: number;
  readonly log: (line: string) => void;
}

/** Stripe's test card that succeeds. */
const SUCCEEDING_CARD = '4242424242424242';

async function placeAndPay(client: BenchClient, hostedPage: StripeCheckoutBrowser, productId: number): Promise<void> {
  const attempt = await attemptPurchase(client, productId);
  if (!attempt.placed) throw new Error(`placing a callback order was refused at ${attempt.step} (${attempt.status})`);
  const pay = await client.request('POST', `/checkout/${attempt.token}/pay/stripe`, { form: {} });
  if (pay.status !== 303) throw new Error(`POST /checkout/:token/pay/stripe answered ${pay.status}: ${pay.body.slice(0, 200)}`);
  const page = await hostedPage.pay(String(pay.headers.location), { cardNumber: SUCCEEDING_CARD });
  if (page.status !== 303) throw new Error(`the sandbox's hosted page answered ${page.status}: ${page.html.slice(0, 200)}`);
}

/**
 * Verified Stripe callbacks per second with duplicates. Set-up: orders are placed and paid on the
 * Stripe sandbox's hosted page. The sandbox runs in the bench's process with no callback target,
 * so it keeps its events and every order is still unpaid. The bench then delivers the sandbox's own
 * `checkout.session.completed` events, signed with the store's webhook secret as Stripe signs
 * (`t=…,v1=HMAC-SHA256`), with `duplicateShare` of the deliveries being second copies, shuffled.
 * Afterwards each order must be paid, with exactly one transition to paid.
 */
export async function measureCallbacks(client: BenchClient, db: ScratchMariaDb, settings: CallbackSettings): Promise<BenchRow> {
  const [product] = await db.query<{ id: number }>('SELECT id FROM products WHERE slug = ?', [settings.slug]);
  await db.query('UPDATE products SET stock = ? WHERE id = ?', [settings.orders * 2, product.id]);

  const hostedPage = new StripeCheckoutBrowser(settings.cert);
  const setupStarted = performance.now();
  const setup = await runConcurrently(
    settings.orders,
    25,
    () => placeAndPay(client, hostedPage, product.id),
    setupStarted + settings.setupSeconds * 1000,
  );
  const orderCount = setup.results.length;
  settings.log(`  callbacks: ${orderCount} orders placed and paid at the sandbox in ${(setup.elapsedMs / 1000).toFixed(1)} s`);
  const [{ paidBefore }] = await db.query<{ paidBefore: number }>(
    "SELECT COUNT(*) AS paidBefore FROM orders WHERE status <> 'pending_payment'",
  );
  if (Number(paidBefore) !== 0) throw new Error(`${paidBefore} orders left pending_payment before the bench's callbacks`);

  const stripe = new Stripe(settings.sandboxSecretKey, { ...settings.stripeApi, protocol: 'http' });
  const events: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ type: 'checkout.session.completed', limit: 100 })) events.push(event);
  if (events.length !== orderCount) throw new Error(`the sandbox lists ${events.length} completed sessions, expected ${orderCount}`);

  const deliveries = withDuplicates(
    events.map((event) => JSON.stringify(event, null, 2)),
    settings.duplicateShare,
    seededRandom(12),
  );
  const burstStarted = Date.now();
  const { results, latenciesMs, elapsedMs } = await runConcurrently(deliveries.length, settings.concurrency, async (index) => {
    const payload = deliveries[index];
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: settings.webhookSecret });
    const answer = await client.request('POST', '/webhooks/stripe', {
      raw: payload,
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    });
    return answer.status;
  });
  const span = { from: burstStarted, to: Date.now() };
  const refused = results.filter((status) => status < 200 || status >= 300).length;
  const perSecond = deliveries.length / (elapsedMs / 1000);

  const orders = await db.query<{ id: number; status: string; paid: number | string }>(
    "SELECT o.id, o.status, (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'paid') AS paid FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.product_id = ?",
    [product.id],
  );
  const notPaidOnce = orders.filter((order) => order.status !== 'paid' || Number(order.paid) !== 1).length;
  const [{ stored }] = await db.query<{ stored: number }>("SELECT COUNT(*) AS stored FROM gateway_events WHERE gateway = 'stripe'");
  return {
    id: 'callbacks',
    name: 'callback ingest, Stripe, 30 % duplicates (MariaDB)',
    measured:
      `${formatRate(perSecond, ' callbacks/s')} (${deliveries.length} deliveries of ${events.length} events in ${(elapsedMs / 1000).toFixed(1)} s, ` +
      `p99 ${formatMs(percentile(latenciesMs, 99))}, ${refused} non-2xx); ${orders.length - notPaidOnce} of ${orders.length} orders paid exactly once, ${stored} events stored`,
    reference: '',
    span,
    budget: '≥ 500/s, every order paid exactly once',
    checks: [
      { label: formatRate(perSecond, ' callbacks/s'), actual: perSecond, limit: settings.minCallbacksPerSecond, direction: 'min' },
      {
        label: `${notPaidOnce} orders not paid exactly once`,
        actual: notPaidOnce + (orders.length === orderCount ? 0 : 1),
        limit: 0,
        direction: 'max',
      },
      { label: `${refused} callbacks refused`, actual: refused, limit: 0, direction: 'max' },
    ],
  };
}
