import { DomainError } from '../domain-error';

/**
 * Codes with which the MySQL/MariaDB driver (mysql2) reports that the database cannot be reached
 * or went away mid-query, as opposed to a query it refused. Such a request did not happen; a
 * retry may succeed once the database is back.
 */
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT', // the unix socket is gone
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
]);

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  // TypeORM wraps driver errors (QueryFailedError.driverError); Node wraps causes.
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { code, driverError, cause } = e as { code?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    e = driverError ?? cause;
  }
  return codes;
}

/** A thrown driver error that means "the database is unreachable", as the 503 it is answered with; else undefined. */
export function databaseOutage(err: unknown): DomainError | undefined {
  if (!codesOf(err).some((code) => OUTAGE_CODES.has(code))) return undefined;
  return new DomainError(
    'unavailable',
    'database_unavailable',
    'The store cannot reach its database right now; nothing was changed. Please try again in a moment.',
  );
}
