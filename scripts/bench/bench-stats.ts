/** The middle value of `values` (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest value that
 * at least p % of the values do not exceed. NaN when empty.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** One load run against one target: what autocannon (or a flow driver) measured. */
export interface RunFigures {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
}

/** The medians over the rounds of one target: requests/s and p99 taken separately. */
export function medianFigures(rounds: readonly RunFigures[]): RunFigures {
  return {
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
  };
}
