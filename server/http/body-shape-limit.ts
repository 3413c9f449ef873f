import type { RequestHandler } from 'express';
import { DomainError } from '../domain-error';

/** Objects and arrays nested deeper than this are refused: no request of the store nests more than 3. */
export const MAX_BODY_DEPTH = 10;
/** Arrays longer than this are refused: no request of the store sends more than a handful of items. */
export const MAX_BODY_ARRAY_LENGTH = 100;

/** The first place where a parsed body breaks a shape limit. */
export interface ShapeViolation {
  readonly limit: 'depth' | 'array_length';
  /** Where, as dotted keys and indexes (`items.3.tags`); empty for the body itself. */
  readonly path: string;
}

/**
 * Walks a parsed body once, depth first, and stops at the first object or array nested deeper
 * than `maxDepth` (the body itself is at depth 1) or array longer than `maxArrayLength`. It never
 * descends below `maxDepth`, so its cost is bounded by the body's size, not by how it nests.
 */
export function findShapeViolation(
  value: unknown,
  maxDepth: number = MAX_BODY_DEPTH,
  maxArrayLength: number = MAX_BODY_ARRAY_LENGTH,
): ShapeViolation | null {
  const walk = (node: unknown, depth: number, path: readonly (string | number)[]): ShapeViolation | null => {
    if (typeof node !== 'object' || node === null) return null;
    if (depth > maxDepth) return { limit: 'depth', path: path.join('.') };
    if (Array.isArray(node)) {
      if (node.length > maxArrayLength) return { limit: 'array_length', path: path.join('.') };
      for (let i = 0; i < node.length; i++) {
        const found = walk(node[i], depth + 1, [...path, i]);
        if (found) return found;
      }
      return null;
    }
    for (const key of Object.keys(node)) {
      const found = walk((node as Record<string, unknown>)[key], depth + 1, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  return walk(value, 1, []);
}

/**
 * Refuses, with 400 `invalid_input` before any handler runs, a parsed body (JSON or form) nested
 * deeper than {@link MAX_BODY_DEPTH} or with an array longer than {@link MAX_BODY_ARRAY_LENGTH}.
 * Mount it after the body parsers.
 */
export const bodyShapeLimit: RequestHandler = (req, _res, next) => {
  const found = findShapeViolation(req.body);
  if (!found) return next();
  const where = found.path === '' ? 'the request body' : `"${found.path.slice(0, 100)}"`;
  const message =
    found.limit === 'depth'
      ? `The request body is nested too deeply at ${where}: at most ${MAX_BODY_DEPTH} levels of objects and arrays are accepted`
      : `The array at ${where} is too long: at most ${MAX_BODY_ARRAY_LENGTH} items are accepted`;
  const code = found.limit === 'depth' ? 'body_too_deep' : 'array_too_long';
  next(new DomainError('invalid_input', code, message, [{ path: found.path, message }]));
};
