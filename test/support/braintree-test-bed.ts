import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadTlsMaterial, type TlsMaterial } from '../../server/http/tls-certificate';
import { createLogger } from '../../server/logger';
import { createBraintreeGateway, type BraintreeGatewayOptions } from '../../server/payments/braintree/braintree.gateway';
import type { PaymentGateway } from '../../server/payments/payment-gateway';
import { startBraintreeSandbox, type BraintreeSandbox } from '../../server/sandbox/braintree/braintree-sandbox';

export const SANDBOX_KEYS: Readonly<{ merchantId: string; publicKey: string; privateKey: string }> = Object.freeze({
  merchantId: 'padlock_test',
  publicKey: 'padlock_test_public',
  privateKey: 'padlock_test_private_0123456789abcdef',
});

let tlsPromise: Promise<TlsMaterial> | undefined;

/** A self-signed localhost certificate, generated once per test file (its files are removed once it is in memory). */
export function testTls(): Promise<TlsMaterial> {
  tlsPromise ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-bt-tls-'));
    try {
      return await loadTlsMaterial({ kind: 'generated', dir }, createLogger({ logLevel: 'silent' }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })();
  return tlsPromise;
}

/** A Braintree sandbox, the real SDK-backed gateway pointed at it, and everything the sandbox logged. */
export interface BraintreeTestBed {
  readonly sandbox: BraintreeSandbox;
  readonly gateway: PaymentGateway;
  readonly gatewayOptions: BraintreeGatewayOptions;
  readonly tls: TlsMaterial;
  /** Every line the sandbox logged (at trace level), as JSON text. */
  readonly logLines: string[];
  close(): Promise<void>;
}

export async function startBraintreeTestBed(
  options: { settleAfterMs?: number; firstRetryMs?: number; gateway?: Partial<BraintreeGatewayOptions> } = {},
): Promise<BraintreeTestBed> {
  const tls = await testTls();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const sandbox = await startBraintreeSandbox({
    ...SANDBOX_KEYS,
    tls,
    logger: createLogger({ logLevel: 'trace' }, sink),
    settleAfterMs: options.settleAfterMs ?? 60 * 60_000,
    firstRetryMs: options.firstRetryMs ?? 50,
  });
  const gatewayOptions = { ...sandbox.gatewayOptions(), ...options.gateway };
  return {
    sandbox,
    gateway: createBraintreeGateway(gatewayOptions),
    gatewayOptions,
    tls,
    logLines,
    close: () => sandbox.stop(),
  };
}

/** A response read in full. */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One HTTPS request to a sandbox page, trusting the test certificate. */
export function httpsRequest(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Card details as the fields page's script posts them to `/tokenize`. */
export interface TestCardInput {
  readonly number: string;
  readonly expiry?: string;
  readonly cvv?: string;
  readonly postalCode?: string;
}

/** Tokenizes like the fields page does (a same-origin JSON POST) and returns the nonce. */
export async function tokenizeCard(bed: BraintreeTestBed, card: TestCardInput): Promise<string> {
  const response = await postTokenize(bed, { kind: 'card', expiry: '12/39', cvv: '123', postalCode: '', ...card });
  if (response.status !== 201) throw new Error(`tokenize answered ${response.status}: ${response.body}`);
  return (JSON.parse(response.body) as { nonce: string }).nonce;
}

export function postTokenize(bed: BraintreeTestBed, body: unknown): Promise<PlainResponse> {
  return httpsRequest(`${bed.sandbox.pagesOrigin}/tokenize`, bed.tls.cert, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: bed.sandbox.pagesOrigin },
    body: JSON.stringify(body),
  });
}
