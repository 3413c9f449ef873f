import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import type { TlsMaterial } from '../../server/http/tls-certificate';

/** A form POST the harness received from the pay step. */
export interface ReceivedPayment {
  readonly path: string;
  readonly body: string;
}

/**
 * A stand-in for the store's pay step: a page with the exact DOM contract the store's template
 * produces, the store's strict CSP (scripts and styles from itself only, frames from the Braintree
 * sandbox only), and the real `public/checkout/braintree-fields.ts`, bundled as the build does.
 */
export class PayStepHarness {
  readonly received: ReceivedPayment[] = [];
  origin = '';
  private script = '';
  private readonly server: https.Server;

  constructor(
    tls: TlsMaterial,
    private readonly fieldsUrl: string,
  ) {
    this.server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://localhost');
      if (req.method === 'GET' && url.pathname === '/pay') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': this.policy() }).end(this.page());
      } else if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (req.method === 'GET' && url.pathname === '/assets/braintree-fields.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(this.script);
      } else if (req.method === 'POST' && url.pathname === '/checkout/tok/pay/braintree') {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          this.received.push({ path: url.pathname, body: Buffer.concat(chunks).toString('utf8') });
          res
            .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': this.policy() })
            .end('<!doctype html><title>Paid</title><p data-paid>Thank you</p>');
        });
      } else {
        res.writeHead(404).end();
      }
    });
  }

  async start(): Promise<this> {
    const bundle = await build({
      entryPoints: [path.resolve(__dirname, '..', '..', 'public', 'checkout', 'braintree-fields.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2019'],
      write: false,
      logLevel: 'silent',
    });
    this.script = bundle.outputFiles[0]?.text ?? '';
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `https://localhost:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private policy(): string {
    const frames = new URL(this.fieldsUrl).origin;
    return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src ${frames}; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'`;
  }

  private page(): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pay</title></head><body>
<section data-braintree-pay data-client-token="c2FuZGJveA==" data-amount="69.00" data-currency="USD" data-fields-url="${this.fieldsUrl}" data-store-origin="${this.origin}">
  <div data-braintree-container></div>
  <form method="post" action="/checkout/tok/pay/braintree" data-braintree-form>
    <input type="hidden" name="nonce" value="">
    <p data-braintree-error role="alert" hidden></p>
  </form>
</section>
<script src="/assets/braintree-fields.js" defer></script>
</body></html>`;
  }
}
