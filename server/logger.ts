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

/** Builds the process logger; tests pass a destination to capture the output. */
export function createLogger(config: Pick<StoreConfig, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'padlock-store' },
  };
  return destination ? pino(options, destination) : pino(options);
}
