import nodemailer, { type Transporter } from 'nodemailer';
import { MailDeliveryError, nodemailerMessage, type MailTransport, type OutgoingMail } from './mail-transport';

/** SMTP error fields nodemailer attaches; none of them carries the credentials. */
interface SmtpFailure {
  message?: string;
  code?: string;
  command?: string;
  responseCode?: number;
  permanent?: boolean;
}

/**
 * Sends over SMTP (`smtp://` with STARTTLS when the server offers it, `smtps://` for implicit
 * TLS), one connection per message. Options in the URL's query (`?requireTLS=true`) override the
 * defaults here.
 */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport({
      url,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      // Messages are built from the store's own data; nothing in them may reach for files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(mail: OutgoingMail, signal: AbortSignal): Promise<void> {
    try {
      await this.transporter.sendMail(nodemailerMessage(mail, signal));
    } catch (err) {
      const failure = err as SmtpFailure;
      // Final only when the server refused this recipient or this message; a refused login or
      // sender is the store's configuration, which can be fixed before the next attempt.
      const aboutThisMessage = failure.command === 'RCPT TO' || (failure.command === 'DATA' && failure.code === 'EMESSAGE');
      // The server's reply text may quote the recipient, so only its code is kept; connection
      // failures carry no reply, and their message (host, port, cause) is what an operator needs.
      const summary = ['SMTP', failure.code, failure.command, failure.responseCode].filter((part) => part !== undefined).join(' ');
      const detail = failure.responseCode === undefined && typeof failure.message === 'string' ? `: ${failure.message}` : '';
      throw new MailDeliveryError(`${summary}${detail}`, failure.permanent === true && aboutThisMessage);
    }
  }

  close(): void {
    this.transporter.close();
  }
}
