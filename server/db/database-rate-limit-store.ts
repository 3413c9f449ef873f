import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { RateLimitHit } from './rate-limit-hit.entity';
import { singleStatement } from './single-statement';

/** How often one store deletes the counters of windows that are over. */
const SWEEP_EVERY_MS = 60_000;

const SQLITE_INCREMENT =
  'INSERT INTO rate_limit_hits (limiter, client_key, window_start, window_end, hits) VALUES (?, ?, ?, ?, 1) ' +
  'ON CONFLICT (limiter, client_key, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits';

// LAST_INSERT_ID(expr) hands the row's new count back in the statement's own result (insertId),
// so the count each request sees is the one its own increment produced, with no second read.
const MYSQL_INCREMENT =
  'INSERT INTO rate_limit_hits (limiter, client_key, window_start, window_end, hits) VALUES (?, ?, ?, ?, LAST_INSERT_ID(1)) ' +
  'ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)';

/**
 * An express-rate-limit `Store` that keeps fixed-window counters in the database, so that every
 * instance sharing the database counts against the same limits. Windows are aligned to the epoch
 * (`floor(now / windowMs)`), so all instances agree on them without talking to each other. One
 * atomic upsert per request counts the hit and yields the new count on both engines; on
 * MySQL/MariaDB it is sent alone in autocommit, with no transaction around it.
 *
 * Client keys (addresses) are stored only as a keyed pseudonym (an HMAC under a key derived from
 * SECRETS_KEY, which is never in the database): a plain hash of an IPv4 address could be reversed
 * by trying every address. Each row is also deleted once its window is over.
 *
 * Use one store per limiter (express-rate-limit refuses a shared one).
 */
export class DatabaseRateLimitStore implements Store {
  /** Counts are shared through the database, not kept in this process. */
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;
  private lastSweep = 0;

  /**
   * @param limiter - the limit's name, at most 32 characters; rows of different limits never mix
   * @param clock - the store's clock (tests move it to end a window)
   * @param pseudonymise - what a client key is stored as (the same on every instance; see the class comment)
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly limiter: string,
    private readonly clock: () => Date,
    private readonly logger: Logger,
    private readonly pseudonymise: (clientKey: string) => string,
  ) {
    if (limiter.length === 0 || limiter.length > 32) throw new Error(`rate limiter name must be 1 to 32 characters: ${limiter}`);
    this.prefix = `${limiter}:`;
  }

  /** Takes the window length from the limiter's options. */
  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.clock().getTime();
    const { start, end } = this.window(now);
    const params = [this.limiter, this.hash(key), start, end];
    const totalHits = await singleStatement(this.dataSource, async (manager) => {
      if (this.dataSource.options.type === 'better-sqlite3') {
        const rows = await manager.query<{ hits: number }[]>(SQLITE_INCREMENT, params);
        return Number(rows[0]?.hits);
      }
      const result = await manager.query<{ insertId: number | string }>(MYSQL_INCREMENT, params);
      return Number(result.insertId);
    });
    this.sweepNowAndThen(now);
    return { totalHits, resetTime: new Date(end) };
  }

  /** Takes back one hit of the current window (express-rate-limit's skipSuccessfulRequests). */
  async decrement(key: string): Promise<void> {
    const { start } = this.window(this.clock().getTime());
    await singleStatement(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(RateLimitHit)
        .set({ hits: () => 'hits - 1' })
        .where('limiter = :limiter AND client_key = :clientKey AND window_start = :start AND hits > 0', {
          limiter: this.limiter,
          clientKey: this.hash(key),
          start,
        })
        .execute(),
    );
  }

  async resetKey(key: string): Promise<void> {
    await singleStatement(this.dataSource, (manager) => manager.delete(RateLimitHit, { limiter: this.limiter, clientKey: this.hash(key) }));
  }

  /** Deletes every counter (of any limit) whose window ended before `now`. */
  async sweep(now: Date): Promise<void> {
    await singleStatement(this.dataSource, (manager) =>
      manager.createQueryBuilder().delete().from(RateLimitHit).where('window_end <= :now', { now: now.getTime() }).execute(),
    );
  }

  private sweepNowAndThen(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    // Off the request's path: a failed sweep only leaves old rows for the next one.
    this.sweep(new Date(now)).catch((err: unknown) => this.logger.error({ err, limiter: this.limiter }, 'rate-limit sweep failed'));
  }

  private window(now: number): { start: number; end: number } {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    return { start, end: start + this.windowMs };
  }

  private hash(key: string): string {
    return this.pseudonymise(`${this.limiter}\n${key}`);
  }
}
