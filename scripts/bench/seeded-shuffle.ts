/** A small deterministic PRNG (mulberry32), so that a bench run's order of requests is repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `items` (Fisher–Yates with `random`). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * The delivery order of a callback burst: every event once, plus copies of randomly chosen
 * events so that `duplicateShare` of all deliveries are duplicates, all shuffled together.
 */
export function withDuplicates<T>(events: readonly T[], duplicateShare: number, random: () => number): T[] {
  if (duplicateShare < 0 || duplicateShare >= 1) throw new RangeError('duplicateShare must be within [0, 1)');
  const copies = Math.round((events.length * duplicateShare) / (1 - duplicateShare));
  const duplicates = Array.from({ length: copies }, () => events[Math.floor(random() * events.length)]);
  return shuffled([...events, ...duplicates], random);
}
