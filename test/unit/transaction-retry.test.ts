import { QueryFailedError } from 'typeorm';
import { isRetryableTransactionError, withRetries } from '../../server/db/transaction-retry';

/** An error as TypeORM throws it for a failed statement (it copies the driver's errno onto itself). */
function queryError(errno: number, code: string): QueryFailedError {
  return new QueryFailedError('COMMIT', [], Object.assign(new Error(code), { errno, code }));
}

const deadlock = () => queryError(1213, 'ER_LOCK_DEADLOCK');
const noWait = () => Promise.resolve();

describe('transaction retries', () => {
  it('treats deadlocks, lock wait timeouts and a Galera node that is not ready as retryable, nothing else', () => {
    expect(isRetryableTransactionError(deadlock())).toBe(true);
    expect(isRetryableTransactionError(queryError(1205, 'ER_LOCK_WAIT_TIMEOUT'))).toBe(true);
    expect(isRetryableTransactionError(queryError(1047, 'ER_UNKNOWN_COM_ERROR'))).toBe(true);
    expect(isRetryableTransactionError(Object.assign(new Error('raw mysql2'), { errno: 1213 }))).toBe(true);
    expect(isRetryableTransactionError(queryError(1062, 'ER_DUP_ENTRY'))).toBe(false);
    expect(isRetryableTransactionError(new Error('insufficient stock'))).toBe(false);
    expect(isRetryableTransactionError(null)).toBe(false);
  });

  it('runs a transaction that deadlocked again until it succeeds', async () => {
    let runs = 0;
    const result = await withRetries(
      async () => {
        runs += 1;
        if (runs < 3) throw deadlock();
        return 'committed';
      },
      { retries: 5, baseDelayMs: 10 },
      noWait,
    );
    expect(result).toBe('committed');
    expect(runs).toBe(3);
  });

  it('gives up after the configured number of retries and throws the last error', async () => {
    let runs = 0;
    const failing = () => {
      runs += 1;
      return Promise.reject(deadlock());
    };
    await expect(withRetries(failing, { retries: 4, baseDelayMs: 10 }, noWait)).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(runs).toBe(5);
    runs = 0;
    await expect(withRetries(failing, { retries: 0, baseDelayMs: 10 }, noWait)).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(runs).toBe(1);
  });

  it('never retries an error that is not retryable', async () => {
    let runs = 0;
    const refused = () => {
      runs += 1;
      return Promise.reject(queryError(1062, 'ER_DUP_ENTRY'));
    };
    await expect(withRetries(refused, { retries: 5, baseDelayMs: 10 }, noWait)).rejects.toThrow('ER_DUP_ENTRY');
    expect(runs).toBe(1);
  });

  it('waits a jittered, exponentially growing time between runs', async () => {
    /** The waits before each retry of an attempt that deadlocks `failures` times, with `random` as the jitter. */
    const waitsFor = async (failures: number, random: () => number): Promise<number[]> => {
      const waits: number[] = [];
      let runs = 0;
      await withRetries(
        async () => {
          runs += 1;
          if (runs <= failures) throw deadlock();
        },
        { retries: 5, baseDelayMs: 10 },
        async (ms) => {
          waits.push(ms);
        },
        random,
      );
      return waits;
    };
    expect(await waitsFor(4, () => 0.99)).toEqual([9, 19, 39, 79]);
    expect(await waitsFor(2, () => 0)).toEqual([0, 0]);
  });
});
