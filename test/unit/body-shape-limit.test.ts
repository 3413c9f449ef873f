import fc from 'fast-check';
import { findShapeViolation, MAX_BODY_ARRAY_LENGTH, MAX_BODY_DEPTH } from '../../server/http/body-shape-limit';

/** An object nested `depth` levels deep (the outermost counts as 1), with a scalar at the bottom. */
function nested(depth: number, inner: unknown = 'x'): unknown {
  let value: unknown = inner;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('findShapeViolation', () => {
  it('passes scalars, empty bodies and what the store really receives', () => {
    for (const body of [undefined, null, 'text', 42, {}, [], { productId: 1, quantity: 2 }, { returnUrl: 'https://blog.example/shop' }]) {
      expect(findShapeViolation(body)).toBeNull();
    }
  });

  it(`accepts exactly ${MAX_BODY_DEPTH} levels and refuses ${MAX_BODY_DEPTH + 1}, naming where`, () => {
    expect(findShapeViolation(nested(MAX_BODY_DEPTH))).toBeNull();
    expect(findShapeViolation({ ok: 1, deep: nested(MAX_BODY_DEPTH) })).toEqual({ limit: 'depth', path: 'deep.0.a.0.a.0.a.0.a.0' });
    expect(findShapeViolation(nested(MAX_BODY_DEPTH + 1))).toEqual({ limit: 'depth', path: 'a.0.a.0.a.0.a.0.a.0' });
  });

  it(`accepts arrays of ${MAX_BODY_ARRAY_LENGTH} items and refuses ${MAX_BODY_ARRAY_LENGTH + 1}, also inside other values`, () => {
    expect(findShapeViolation(Array(MAX_BODY_ARRAY_LENGTH).fill(0))).toBeNull();
    expect(findShapeViolation(Array(MAX_BODY_ARRAY_LENGTH + 1).fill(0))).toEqual({ limit: 'array_length', path: '' });
    expect(findShapeViolation({ items: [{ tags: Array(MAX_BODY_ARRAY_LENGTH + 1).fill('t') }] })).toEqual({
      limit: 'array_length',
      path: 'items.0.tags',
    });
  });

  it('stops at the first violation without walking a body nested far deeper than the limit', () => {
    // 100 000 levels would overflow the stack of a walk that did not stop at the limit.
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(findShapeViolation(deep)).toEqual({ limit: 'depth', path: '0.0.0.0.0.0.0.0.0.0' });
  });

  it('agrees with a plain measure of depth and array length on random JSON values (1000 values)', () => {
    const measure = (v: unknown): { depth: number; longest: number } => {
      if (typeof v !== 'object' || v === null) return { depth: 0, longest: 0 };
      const children = Array.isArray(v) ? v : Object.values(v);
      const inner = children.map(measure);
      return {
        depth: 1 + Math.max(0, ...inner.map((m) => m.depth)),
        longest: Math.max(Array.isArray(v) ? v.length : 0, ...inner.map((m) => m.longest)),
      };
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 }), (value, depth, length) => {
        const m = measure(value);
        const found = findShapeViolation(value, depth, length);
        expect(found === null).toBe(m.depth <= depth && m.longest <= length);
      }),
      { numRuns: 1000 },
    );
  });
});
