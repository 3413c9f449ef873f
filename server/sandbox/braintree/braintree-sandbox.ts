import fs from 'node:fs/promises';
import path from 'node:path';
import braintree from 'braintree';
import type { Logger } from '../../logger';
import { PATHS } from '../../paths';
import type { BraintreeGatewayOptions } from '../../payments/braintree/braintree.gateway';
import { startSandboxListeners, type SandboxAddresses } from '../sandbox-listeners';
import { braintreeApiApp } from './braintree-api';
import { braintreeFieldsApp } from './braintree-fields-pages';
import { sandboxMerchantAccountId, SandboxLedger } from './braintree-ledger';
import { BraintreeNotifier } from './braintree-notifier';

export interface BraintreeSandboxOptions {
  readonly merchantId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  /** TLS material for the HTTPS pages listener (the store's, for localhost). */
  readonly tls: { readonly cert: string; readonly key: string };
  readonly logger: Logger;
  /** Delay before the first webhook redelivery; doubles each time. */
  readonly firstRetryMs?: number;
  /** Delay between submission for settlement and settlement (and its webhook); default 1 s. */
  readonly settleAfterMs?: number;
}

/** A running local Braintree: its addresses, how to point the SDK at it, and test controls. */
export interface BraintreeSandbox extends SandboxAddresses {
  /** The card/PayPal fields page the store frames. */
  readonly fieldsUrl: string;
  /** Options for `createBraintreeGateway` that point the official SDK at this sandbox. */
  gatewayOptions(): BraintreeGatewayOptions;
  /** Where webhooks go: the store's `/webhooks/braintree`, once it listens. */
  setCallbackTarget(url: string, options?: { ca?: string; headers?: Record<string, string> }): void;
  /** Settles a transaction submitted for settlement now, and sends `transaction_settled`. */
  settleNow(transactionId: string): void;
  /** Declines a transaction's settlement and sends `transaction_settlement_declined`. */
  declineSettlement(transactionId: string): void;
  /** Opens a chargeback on a settled transaction and sends `dispute_opened`; returns the dispute id. */
  openDispute(transactionId: string): string;
  /** Everything the sandbox holds in memory, as JSON (for tests: never a card number). */
  memoryDump(): string;
}

const SCRIPT_SOURCE = path.join(PATHS.root, 'server', 'sandbox', 'braintree', 'braintree-fields.browser.ts');
let compiledScript: Promise<string> | undefined;

/** The fields page script, compiled from TypeScript once per process (esbuild is a dev dependency, as the sandbox is). */
function fieldsScript(): Promise<string> {
  compiledScript ??= (async () => {
    const { transform } = await import('esbuild');
    const source = await fs.readFile(SCRIPT_SOURCE, 'utf8');
    const result = await transform(source, { loader: 'ts', format: 'iife', target: 'es2019', minify: true, legalComments: 'none' });
    return result.code;
  })();
  return compiledScript;
}

/**
 * Starts a local stand-in for Braintree on two loopback listeners: the XML API the official SDK
 * calls (plain HTTP, through a custom `braintree.Environment`), and HTTPS pages for the in-page
 * card and PayPal fields. It follows Braintree's documented test nonces, cards, amounts and
 * AVS/CVV values, settles captured transactions after `settleAfterMs`, and signs its webhooks as
 * Braintree does.
 *
 * Not covered: Drop-in itself (the page frames the sandbox's own fields instead), 3D Secure,
 * vaulting (customers, payment method tokens), partial settlements, authorisation expiry,
 * settlement-declined and settlement-pending test amounts (4001–5000.99), search beyond order id,
 * status, type, ids and creation date, and GraphQL. Its client token is shaped like Braintree's
 * but only the sandbox's fields page could use it.
 */
export async function startBraintreeSandbox(options: BraintreeSandboxOptions): Promise<BraintreeSandbox> {
  const logger = options.logger.child({ sandbox: 'braintree' });
  const notifier = new BraintreeNotifier({ publicKey: options.publicKey, privateKey: options.privateKey }, logger, options.firstRetryMs);
  const ledger = new SandboxLedger({
    merchantId: options.merchantId,
    logger,
    settleAfterMs: options.settleAfterMs ?? 1000,
    notify: (notification) => notifier.send(notification),
  });
  let pagesOrigin = '';
  const api = braintreeApiApp({ ...options, ledger, logger });
  const pages = braintreeFieldsApp({ ledger, logger, script: await fieldsScript(), ownOrigin: () => pagesOrigin });
  const addresses = await startSandboxListeners(api, pages, options.tls);
  pagesOrigin = addresses.pagesOrigin;
  const fieldsUrl = `${pagesOrigin}/fields`;
  logger.info({ apiUrl: addresses.apiUrl, fieldsUrl }, 'braintree sandbox listening');

  return {
    ...addresses,
    fieldsUrl,
    gatewayOptions: () => ({
      environment: new braintree.Environment(
        '127.0.0.1',
        String(addresses.apiPort),
        'http://127.0.0.1',
        false,
        '127.0.0.1',
        String(addresses.apiPort),
      ),
      merchantId: options.merchantId,
      publicKey: options.publicKey,
      privateKey: options.privateKey,
      fieldsUrl,
      browserOrigins: { scripts: [], frames: [pagesOrigin], navigations: [], connections: [] },
      merchantAccountIdFor: (currency) => sandboxMerchantAccountId(options.merchantId, currency),
    }),
    setCallbackTarget: (url, target) => notifier.setTarget({ url, ...target }),
    settleNow: (id) => ledger.settle(id),
    declineSettlement: (id) => ledger.declineSettlement(id),
    openDispute: (id) => ledger.openDispute(id),
    memoryDump: () => ledger.dump(),
    stop: async () => {
      ledger.stop();
      notifier.stop();
      await addresses.stop();
    },
  };
}
