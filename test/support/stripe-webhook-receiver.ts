import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, as it arrived. */
export interface ReceivedWebhook {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawBody: Buffer;
  /** The status the receiver answered with. */
  readonly status: number;
}

/**
 * Stands in for the store's `/webhooks/stripe` over HTTPS: records every request's raw body and
 * headers, and answers with scripted statuses (then 200).
 */
export class StripeWebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private statuses: number[] = [];
  private server: https.Server | null = null;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly tls: { cert: string; key: string }) {}

  async start(): Promise<string> {
    this.server = https.createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.statuses.shift() ?? 200;
        this.received.push({ headers: req.headers, rawBody: Buffer.concat(chunks), status });
        res.writeHead(status).end();
        this.waiters = this.waiters.filter((w) => (w.predicate() ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `https://localhost:${(this.server.address() as AddressInfo).port}/webhooks/stripe`;
  }

  /** The next requests get these statuses, in order. */
  respondWith(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  /** Parsed bodies of the requests whose event has this type. */
  eventsOfType(type: string): { id: string; type: string; data: { object: Record<string, unknown> } }[] {
    return this.received.map((r) => JSON.parse(r.rawBody.toString('utf8'))).filter((e) => e.type === type);
  }

  /** Resolves once `predicate` holds (checked after each request), or fails after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`webhook not received within ${timeoutMs} ms (${this.received.length} received)`)),
        timeoutMs,
      );
      this.waiters.push({ predicate, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}
