import type { DataSource } from 'typeorm';
import type { MailConfig, StoreConfig } from '../config';
import type { Logger } from '../logger';
import { EmlFileTransport } from './eml-file-transport';
import type { MailTransport } from './mail-transport';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type OutboxWorkerOptions } from './outbox-worker';
import { SmtpMailTransport } from './smtp-mail-transport';

/** The configured transport: SMTP, or `.eml` files under `DATA_DIR/mail` by default. */
export function createMailTransport(transport: MailConfig['transport']): MailTransport {
  return transport.kind === 'smtp' ? new SmtpMailTransport(transport.url) : new EmlFileTransport(transport.dir);
}

/** The store's outbox worker, from its configuration; tests may override the timing. */
export function createOutboxWorker(
  dataSource: DataSource,
  config: Pick<StoreConfig, 'mail' | 'publicUrl'>,
  logger: Logger,
  overrides: Partial<OutboxWorkerOptions> = {},
): OutboxWorker {
  const options: OutboxWorkerOptions = {
    ...DEFAULT_OUTBOX_OPTIONS,
    from: config.mail.from,
    publicUrl: config.publicUrl,
    intervalSeconds: config.mail.intervalSeconds,
    ...overrides,
  };
  return new OutboxWorker(dataSource, createMailTransport(config.mail.transport), options, logger);
}
