import type { SendMailOptions } from 'nodemailer';
import type { Mailbox } from '../config';
import type { RenderedMail } from './mail-renderer';

/** A rendered message on its way out, with the Message-ID every attempt to send it reuses. */
export interface OutgoingMail extends RenderedMail {
  /** `<…@domain>`: the same for every attempt, so a receiver can recognise a resend. */
  readonly messageId: string;
  readonly from: Mailbox;
  readonly to: string;
}

/** Where outgoing mail goes: an SMTP server, or `.eml` files in development. */
export interface MailTransport {
  /**
   * Resolves once the message was accepted (the SMTP server answered 250, or the file is
   * written). Rejects with a {@link MailDeliveryError} when the refusal is known to be final.
   */
  send(mail: OutgoingMail, signal: AbortSignal): Promise<void>;
  close(): void;
}

/** A failure to deliver one message; `permanent` when sending it again would be refused again. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

/** The message as nodemailer builds it: multipart/alternative, marked as automatic mail (RFC 3834). */
export function nodemailerMessage(mail: OutgoingMail, signal: AbortSignal): SendMailOptions {
  return {
    from: mail.from.name === null ? mail.from.address : { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { 'Auto-Submitted': 'auto-generated' },
    signal,
  };
}
