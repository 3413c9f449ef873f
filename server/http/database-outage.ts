import { DomainError } from '../domain-error';

/**
 * How the MySQL/MariaDB driver (mysql2) says that the database cannot be reached or went away
 * mid-query, as opposed to a query it refused. Such a request did not happen; a retry may
 * succeed once the database is back. Socket codes count only on an error the driver marked
 * fatal (its connection is gone), so that a gateway's network fault is not taken for one.
 */
const DRIVER_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
]);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

function isOutage(err: unknown): boolean {
  // TypeORM wraps driver errors (QueryFailedError.driverError); Node wraps causes.
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { code, fatal, driverError, cause } = e as { code?: unknown; fatal?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (DRIVER_CODES.has(code) || (SOCKET_CODES.has(code) && fatal === true))) return true;
    e = driverError ?? cause;
  }
  return false;
}

/** A thrown driver error that means "the database is unreachable", as the 503 it is answered with; else undefined. */
export function databaseOutage(err: unknown): DomainError | undefined {
  if (!isOutage(err)) return undefined;
  return new DomainError(
    'unavailable',
    'database_unavailable',
    'The store cannot reach its database right now; nothing was changed. Please try again in a moment.',
  );
}
