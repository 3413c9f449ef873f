import type { Logger } from '../../logger';
import { CallbackSender } from '../callback-sender';
import type { SandboxNotification } from './braintree-sandbox-records';
import { webhookFormBody } from './braintree-webhook-signature';
import { notificationXml } from './braintree-wire-format';

/** Where the sandbox delivers webhooks: the store's `/webhooks/braintree`. */
export interface NotificationTarget {
  readonly url: string;
  readonly ca?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends the sandbox's webhooks as Braintree does: a form-encoded POST of `bt_signature` and
 * `bt_payload`, retried with backoff while the store does not answer 2xx. Without a target
 * (the store is not listening yet) notifications are dropped, like a Braintree account with no
 * webhook URL configured.
 */
export class BraintreeNotifier {
  private sender: CallbackSender | null = null;
  private target: NotificationTarget | null = null;

  constructor(
    private readonly keys: { readonly publicKey: string; readonly privateKey: string },
    private readonly logger: Logger,
    private readonly firstRetryMs?: number,
  ) {}

  setTarget(target: NotificationTarget): void {
    this.sender?.stop();
    this.target = target;
    this.sender = new CallbackSender({ ca: target.ca, logger: this.logger, firstRetryMs: this.firstRetryMs });
  }

  send(notification: SandboxNotification, timestamp = new Date()): void {
    const { target, sender } = this;
    if (!target || !sender) {
      this.logger.debug({ kind: notification.kind }, 'braintree sandbox: no webhook target, notification dropped');
      return;
    }
    const body = webhookFormBody(this.keys.publicKey, this.keys.privateKey, notificationXml(notification, timestamp));
    sender.send(
      {
        url: target.url,
        body,
        headers: {
          ...target.headers,
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'Braintree Webhooks (padlock sandbox)',
        },
      },
      (delivered) => this.logger.info({ kind: notification.kind, delivered }, 'braintree sandbox: webhook delivery finished'),
    );
  }

  stop(): void {
    this.sender?.stop();
  }
}
