import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook POST as the receiver got it. */
export interface ReceivedWebhook {
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The status the receiver answered with. */
  readonly answeredWith: number;
}

/**
 * A stand-in for the store's webhook endpoint: records every delivery and answers with the
 * statuses queued (then 200), so tests can make the first attempts fail.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses: number[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = this.statuses.shift() ?? 200;
      this.received.push({ headers: req.headers, rawBody: Buffer.concat(chunks), answeredWith: status });
      res.writeHead(status).end();
      this.notify();
    });
  });
  private waiters: (() => void)[] = [];

  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/braintree`;
    return this;
  }

  /** Answers the next deliveries with these statuses. */
  failNext(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  /** Resolves once `count` deliveries have arrived (rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} webhooks, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
