/**
 * MySQL/MariaDB errors after which the whole transaction may simply run again:
 * - 1213 ER_LOCK_DEADLOCK: a deadlock, and how Galera reports a write-write conflict found at
 *   certification (commit) or a transaction aborted by a replicated one (brute-force abort);
 * - 1205 ER_LOCK_WAIT_TIMEOUT: a row lock not granted in time;
 * - 1047 ER_UNKNOWN_COM_ERROR: "WSREP has not yet prepared node for application use", a Galera
 *   node that left the primary component (a node going away or rejoining).
 * The transaction was rolled back in each case, so nothing of it was applied.
 */
export const RETRYABLE_ERRNOS: ReadonlySet<number> = new Set([1213, 1205, 1047]);

/** True when `err` (a TypeORM QueryFailedError or a mysql2 error) is one of {@link RETRYABLE_ERRNOS}. */
export function isRetryableTransactionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { errno, driverError } = err as { errno?: unknown; driverError?: { errno?: unknown } };
  const code = typeof errno === 'number' ? errno : driverError?.errno;
  return typeof code === 'number' && RETRYABLE_ERRNOS.has(code);
}

/** How often and how patiently a transaction is run again. */
export interface RetryPolicy {
  /** Runs after the first one; 0 never retries. */
  readonly retries: number;
  /** Base of the backoff: attempt n waits a random time in [0, baseDelayMs · 2^n). */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, baseDelayMs: 10 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` and runs it again, up to `policy.retries` times, while it fails with a
 * retryable error ({@link isRetryableTransactionError}); any other error, or the last retryable
 * one, is thrown. The jittered exponential backoff spreads the instances that collided, so the
 * retry does not collide again. `attempt` must start from scratch each time (a new transaction,
 * no state carried over from the failed try).
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  wait: (ms: number) => Promise<void> = sleep,
  random: () => number = Math.random,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      if (retry >= policy.retries || !isRetryableTransactionError(err)) throw err;
      await wait(Math.floor(random() * policy.baseDelayMs * 2 ** retry));
    }
  }
}
