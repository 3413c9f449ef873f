import { median, medianFigures, percentile } from '../../scripts/bench/bench-stats';
import { seededRandom, withDuplicates } from '../../scripts/bench/seeded-shuffle';

// The bench's aggregation: each target's figure is the median of its rounds; p99 of a flow's
// latencies is nearest-rank; a callback burst holds every event once plus the duplicate share.

describe('median', () => {
  it('is the middle value of an odd count, in any order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([1800, 1750, 43_000])).toBe(1800);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values, so that an unmeasured figure misses its budget', () => {
    expect(median([])).toBeNaN();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1

  it('p99 of 1…100 is 99, p100 the maximum, p0 the minimum', () => {
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('p99 of fewer than 100 values is the maximum', () => {
    expect(percentile([5, 40, 7], 99)).toBe(40);
  });

  it('p50 of an even count is the lower middle value', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });

  it('refuses a percentile outside 0–100 and is NaN for no values', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(percentile([], 99)).toBeNaN();
  });
});

describe('medianFigures', () => {
  it('takes the median of requests/s and of p99 separately (they may come from different rounds)', () => {
    expect(
      medianFigures([
        { requestsPerSecond: 1000, p99Ms: 50 },
        { requestsPerSecond: 3000, p99Ms: 10 },
        { requestsPerSecond: 2000, p99Ms: 30 },
      ]),
    ).toEqual({ requestsPerSecond: 2000, p99Ms: 30 });
  });
});

describe('withDuplicates', () => {
  const events = Array.from({ length: 700 }, (_, i) => `evt_${i}`);

  it('delivers every event at least once, and 30 % of all deliveries are second copies', () => {
    const deliveries = withDuplicates(events, 0.3, seededRandom(1));
    expect(new Set(deliveries)).toEqual(new Set(events));
    expect(deliveries).toHaveLength(1000);
    expect((deliveries.length - events.length) / deliveries.length).toBeCloseTo(0.3, 5);
  });

  it('shuffles: the duplicates are not all at the end, and the same seed gives the same order', () => {
    const deliveries = withDuplicates(events, 0.3, seededRandom(1));
    expect(deliveries.slice(0, 700)).not.toEqual(events);
    expect(new Set(deliveries.slice(700)).size).toBeGreaterThan(100);
    expect(withDuplicates(events, 0.3, seededRandom(1))).toEqual(deliveries);
    expect(withDuplicates(events, 0.3, seededRandom(2))).not.toEqual(deliveries);
  });

  it('with no duplicate share delivers each event exactly once', () => {
    expect([...withDuplicates(events, 0, seededRandom(3))].sort()).toEqual([...events].sort());
  });

  it('refuses a share of 1 or more (there would be nothing to duplicate)', () => {
    expect(() => withDuplicates(events, 1, seededRandom(4))).toThrow(RangeError);
  });
});
