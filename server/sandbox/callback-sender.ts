import https from 'node:https';
import http from 'node:http';
import type { Logger } from '../logger';

/** How a sandbox delivers a signed callback to the store. */
export interface CallbackDelivery {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface CallbackSenderOptions {
  /** Certificate the store serves (self-signed in development), trusted for delivery. */
  readonly ca?: string;
  readonly logger: Logger;
  /** Delay before the first retry; doubles each time. */
  readonly firstRetryMs?: number;
  readonly maxAttempts?: number;
}

/**
 * Delivers callbacks the way gateways do: POST, and retry with exponential backoff while the
 * store does not answer 2xx, up to a bounded number of attempts. `stop()` abandons pending
 * retries. `onDelivered` lets a sandbox record delivery success (Stripe lists undelivered events).
 */
export class CallbackSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: CallbackSenderOptions) {}

  send(delivery: CallbackDelivery, onResult?: (delivered: boolean) => void): void {
    this.attempt(delivery, 1, onResult);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private attempt(delivery: CallbackDelivery, attempt: number, onResult?: (delivered: boolean) => void): void {
    if (this.stopped) return;
    const maxAttempts = this.options.maxAttempts ?? 5;
    this.post(delivery).then(
      (status) => {
        if (status >= 200 && status < 300) return onResult?.(true);
        this.retry(delivery, attempt, maxAttempts, `status ${status}`, onResult);
      },
      (err: unknown) => this.retry(delivery, attempt, maxAttempts, (err as Error).message, onResult),
    );
  }

  private retry(
    delivery: CallbackDelivery,
    attempt: number,
    maxAttempts: number,
    why: string,
    onResult?: (delivered: boolean) => void,
  ): void {
    if (this.stopped) return;
    if (attempt >= maxAttempts) {
      this.options.logger.warn({ url: delivery.url, attempts: attempt, why }, 'sandbox gave up delivering a callback');
      onResult?.(false);
      return;
    }
    const delay = (this.options.firstRetryMs ?? 1000) * 2 ** (attempt - 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(delivery, attempt + 1, onResult);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private post(delivery: CallbackDelivery): Promise<number> {
    const url = new URL(delivery.url);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) },
          timeout: 10_000,
          ...(url.protocol === 'https:' && this.options.ca ? { ca: this.options.ca } : {}),
          agent: false,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(delivery.body);
    });
  }
}
