import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Mailbox } from '../config';
import type { Logger } from '../logger';
import { Order } from '../orders/order.entity';
import { renderMail } from './mail-renderer';
import { MailDeliveryError, type MailTransport } from './mail-transport';
import { composeOrderMail } from './order-mail-content';
import { claimMessage, dueMessageIds, recordFailure, recordSent } from './outbox-claims';
import { OutboxMessage } from './outbox-message.entity';

/** How an outbox worker sends, retries and gives up. */
export interface OutboxWorkerOptions {
  readonly from: Mailbox;
  /** The store's public origin, for the links in messages. */
  readonly publicUrl: string;
  readonly intervalSeconds: number;
  /** How long a claim lasts; a crashed worker's messages become sendable again after it. */
  readonly leaseMs: number;
  /** Attempts before a message is given up as failed. */
  readonly maxAttempts: number;
  /** Wait before attempt `attempt + 1` after attempt `attempt` failed. */
  readonly retryDelayMs: (attempt: number) => number;
  readonly batchSize: number;
  readonly clock: () => Date;
}

/** What one run did. */
export interface OutboxRunReport {
  sent: number;
  /** Failed this time, to be tried again later. */
  retried: number;
  /** Given up: refused for good by the server, or out of attempts. */
  failed: number;
}

/** 30 s, 1 min, 2 min, … doubling up to an hour: ten attempts span about three hours. */
export const DEFAULT_OUTBOX_OPTIONS = {
  leaseMs: 120_000,
  maxAttempts: 10,
  retryDelayMs: (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000),
  batchSize: 20,
  clock: () => new Date(),
} as const;

/**
 * Sends the outbox. Each message is claimed with a conditional update and a lease before it is
 * sent, so several store instances never send it at the same time, and a message whose worker
 * died is sent again once the lease runs out. Delivery is at least once: a worker that dies
 * after the server accepted a message but before recording it causes one resend, which carries
 * the same Message-ID (`<outbox-<id>.<key>@<MAIL_FROM's domain>>`) and so is recognisable.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<OutboxRunReport> | undefined;
  private stopping = false;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly options: OutboxWorkerOptions,
    private readonly logger: Logger,
  ) {}

  /** Runs every `intervalSeconds` (first run at once) until {@link stop}. */
  start(): void {
    if (this.timer || this.stopping) return;
    const tick = () => {
      this.runOnce().catch((err: unknown) => this.logger.error({ err }, 'outbox run failed'));
    };
    this.timer = setInterval(tick, this.options.intervalSeconds * 1000);
    this.timer.unref();
    tick();
  }

  /**
   * Stops claiming. The message being sent is finished and recorded first, unless that takes
   * longer than `graceMs`: then its send is aborted and it is recorded for a retry.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    const abort = setTimeout(() => this.shutdown.abort(), graceMs);
    await this.running?.catch(() => undefined);
    clearTimeout(abort);
    this.transport.close();
  }

  /** Sends every message due now; joins the run in progress if there is one. */
  runOnce(): Promise<OutboxRunReport> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<OutboxRunReport> {
    const report: OutboxRunReport = { sent: 0, retried: 0, failed: 0 };
    // A message goes at most once per run, whatever its due time says.
    const tried = new Set<number>();
    while (!this.stopping) {
      const ids = (await dueMessageIds(this.dataSource, this.options.clock(), this.options.batchSize)).filter((id) => !tried.has(id));
      if (ids.length === 0) break;
      for (const id of ids) {
        if (this.stopping) break;
        tried.add(id);
        const outcome = await this.deliver(id);
        if (outcome !== 'taken') report[outcome] += 1;
      }
    }
    return report;
  }

  private async deliver(id: number): Promise<keyof OutboxRunReport | 'taken'> {
    const token = randomUUID();
    const claimedAt = this.options.clock();
    if (!(await claimMessage(this.dataSource, id, token, claimedAt, new Date(claimedAt.getTime() + this.options.leaseMs)))) return 'taken';
    const message = await this.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id });
    const logged = { outboxId: id, kind: message.kind, recipientDomain: message.recipient.split('@').pop(), attempt: message.attempts };

    try {
      const order = await this.dataSource
        .getRepository(Order)
        .findOneOrFail({ where: { id: message.orderId }, relations: { lines: true, shippingAddress: true } });
      const rendered = renderMail(composeOrderMail(message, order, this.options.publicUrl), this.options.from.name ?? 'Padlock Store');
      // Half the lease: a slow server is given up on well before another worker may take over.
      const deadline = AbortSignal.any([AbortSignal.timeout(this.options.leaseMs / 2), this.shutdown.signal]);
      await this.transport.send(
        { ...rendered, messageId: this.messageId(message), from: this.options.from, to: message.recipient },
        deadline,
      );
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const giveUp = (err instanceof MailDeliveryError && err.permanent) || message.attempts >= this.options.maxAttempts;
      const retryAt = giveUp ? null : new Date(this.options.clock().getTime() + this.options.retryDelayMs(message.attempts));
      await recordFailure(this.dataSource, id, token, reason, retryAt);
      this.logger.warn(
        { ...logged, error: reason.slice(0, 200), retryAt },
        giveUp ? 'e-mail failed; giving up' : 'e-mail failed; will retry',
      );
      return giveUp ? 'failed' : 'retried';
    }

    if (await recordSent(this.dataSource, id, token, this.options.clock())) {
      this.logger.info(logged, 'e-mail sent');
    } else {
      this.logger.warn(logged, 'e-mail sent after its claim ran out; another worker may send it again with the same Message-ID');
    }
    return 'sent';
  }

  private messageId(message: OutboxMessage): string {
    return `<outbox-${message.id}.${message.messageKey}@${this.options.from.address.split('@').pop()}>`;
  }
}
