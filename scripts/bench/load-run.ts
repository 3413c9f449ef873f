import autocannon from 'autocannon';
import type { RunFigures } from './bench-stats';

/** What one autocannon run measured: 2xx answers per second, p99, and anything that went wrong. */
export interface LoadRun extends RunFigures {
  /** Non-2xx answers, socket errors and timeouts. */
  readonly failures: number;
}

/** Load `url` with `connections` keep-alive connections for `seconds`. */
export async function loadRun(url: string, connections: number, seconds: number): Promise<LoadRun> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, timeout: 10 });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
