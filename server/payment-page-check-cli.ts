import { parseArgs } from 'node:util';
import { loadConfig, type GatewayName, type StoreConfig } from './config';
import { openDatabase } from './database';
import { checkPaymentPages, orderPagePath, type PaymentPageReport } from './integrity/payment-page-fetch';
import { paymentPageInventory, type InventoryGateway } from './integrity/payment-page-inventory';
import { paymentPageHeaders } from './integrity/payment-page-policy';
import { PaymentPageChecks } from './integrity/payment-page-checks';
import { httpsStoreClient } from './integrity/store-client';
import { createGateways } from './payments/gateway-setup';

const USAGE =
  'usage: npm run check:payment-pages [-- --return-url <url on the store or an EMBED_ORIGINS origin>] [--sandbox <gateway>=<origin> ...]\n' +
  "  --sandbox: with the development sandbox gateways, each sandbox's origin (logged by the store at start-up)";

class UsageError extends Error {}

const isSandbox = (config: StoreConfig, name: GatewayName) =>
  name === 'stripe' ? config.stripe.sandbox : config.braintree.environment === 'local';

/**
 * The gateways the store offers, as the inventory sees them. Real gateways declare their own
 * origins; the development sandboxes listen on ports chosen at start-up, so their origins are given.
 */
function inventoryGateways(config: StoreConfig, sandboxOrigins: ReadonlyMap<string, string>): InventoryGateway[] {
  const real = createGateways({ ...config, gateways: config.gateways.filter((g) => !isSandbox(config, g)) });
  return config.gateways.map((id) => {
    if (!isSandbox(config, id)) return real.get(id);
    const origin = sandboxOrigins.get(id);
    if (!origin) throw new UsageError(`${id} runs on the local sandbox: give its origin with --sandbox ${id}=https://…\n${USAGE}`);
    // The sandboxes declare these (server/sandbox/): Stripe's hosted page, Braintree's fields frame.
    const none: readonly string[] = [];
    return id === 'stripe'
      ? { id, browserOrigins: { scripts: none, frames: none, navigations: [origin], connections: none } }
      : { id, browserOrigins: { scripts: none, frames: [origin], navigations: none, connections: none } };
  });
}

function parseOptions(config: StoreConfig): { returnUrl: string; sandboxOrigins: Map<string, string> } {
  let values: { 'return-url'?: string; sandbox?: string[] };
  try {
    ({ values } = parseArgs({ options: { 'return-url': { type: 'string' }, sandbox: { type: 'string', multiple: true } }, strict: true }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const sandboxOrigins = new Map<string, string>();
  for (const entry of values.sandbox ?? []) {
    const match = /^(stripe|braintree)=(https:\/\/[^/]+)$/.exec(entry);
    if (!match) throw new UsageError(`--sandbox ${entry}: expected stripe=https://host:port or braintree=https://host:port\n${USAGE}`);
    sandboxOrigins.set(match[1], match[2]);
  }
  // The store's own storefront (`/`) is always an allowed return address, whatever EMBED_ORIGINS says.
  const returnUrl = values['return-url'] ?? `${config.publicUrl}/`;
  return { returnUrl, sandboxOrigins };
}

function print(store: string, report: PaymentPageReport): void {
  console.log(`Payment pages of ${store}: ${report.pages.join(', ')}`);
  for (const f of report.findings) console.log(`  ${f.severity === 'drift' ? 'DRIFT' : 'note '} ${f.page}: ${f.message}`);
  console.log(
    report.ok ? 'OK: every script and header matches the payment-page inventory.' : 'DRIFT: the payment pages differ from the inventory.',
  );
}

/**
 * `npm run check:payment-pages`: fetches the running store's payment pages over HTTPS (a
 * throwaway cart, checkout and unpaid order through the public API), compares their scripts and
 * headers with the inventory, prints the report, stores the result for the admin start page, and
 * exits 1 on drift (or when the pages cannot be fetched), 2 on a usage error.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const { returnUrl, sandboxOrigins } = parseOptions(config);
  const inventory = paymentPageInventory(inventoryGateways(config, sandboxOrigins));
  const expected = paymentPageHeaders(inventory, config.publicUrl);
  const dataSource = await openDatabase(config.database);
  try {
    const checks = new PaymentPageChecks(dataSource);
    // Certificates are verified against the system's authorities; a development store's
    // self-signed one is trusted with NODE_EXTRA_CA_CERTS=<DATA_DIR>/tls/localhost-cert.pem.
    const client = httpsStoreClient(config.publicUrl);
    let report: PaymentPageReport;
    try {
      report = await checkPaymentPages(client, inventory, expected, {
        returnUrl,
        orderPageOf: (token) => orderPagePath(dataSource, token),
      });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      await checks.record(config.publicUrl, error);
      console.error(`The payment pages of ${config.publicUrl} could not be checked: ${error.message}`);
      return 1;
    }
    await checks.record(config.publicUrl, report);
    print(config.publicUrl, report);
    return report.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof UsageError ? err.message : `The payment-page check failed: ${String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
