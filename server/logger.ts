import pino from 'pino';
import type { StoreConfig } from './config';

/** The structured logger. Secrets and request bodies are never passed to it. */
export type Logger = pino.Logger;

// Values under these keys are replaced wherever they appear in a logged object.
const REDACTED_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Standard output, written asynchronously in batches: lines gather in memory up to 4 KiB (or for at
 * most a second) and leave in one write, off the event loop. pino flushes what is left
 * synchronously when the process exits.
 */
function bufferedStdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 });
}

/** Builds the process logger; tests pass a destination to capture the output. */
export function createLogger(config: Pick<StoreConfig, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'padlock-store' },
  };
  return pino(options, destination ?? bufferedStdout());
}
