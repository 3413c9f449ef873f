/**
 * A short-lived, bounded, in-process memory of operations by key: a second call with a key still
 * remembered gets the first call's promise instead of running again (so concurrent retries share
 * one call). Failures (thrown errors) are forgotten at once, so a retry after a network fault
 * really retries. It protects retries within one process only.
 */
export class RecentResults<T> {
  private readonly entries = new Map<string, { readonly promise: Promise<T>; readonly expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const time = this.now();
    const existing = this.entries.get(key);
    if (existing && existing.expiresAt > time) return existing.promise;
    this.prune(time);
    const promise = operation();
    this.entries.set(key, { promise, expiresAt: time + this.ttlMs });
    promise.catch(() => {
      if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
    });
    return promise;
  }

  private prune(time: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= time) this.entries.delete(key);
    }
    // Maps iterate in insertion order, so the first keys are the oldest.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
