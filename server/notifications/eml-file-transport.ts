import { promises as fs } from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { nodemailerMessage, type MailTransport, type OutgoingMail } from './mail-transport';

/**
 * The development default: writes each message, exactly as it would go over SMTP, to
 * `<dir>/<message-id>.eml`. A resend of the same message replaces its file.
 */
export class EmlFileTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(private readonly dir: string) {
    this.transporter = nodemailer.createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'windows',
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(mail: OutgoingMail, signal: AbortSignal): Promise<void> {
    const info = await this.transporter.sendMail(nodemailerMessage(mail, signal));
    const file = path.join(this.dir, `${mail.messageId.replace(/^<|@.*$/g, '').replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
    await fs.mkdir(this.dir, { recursive: true });
    // Written aside and renamed, so a reader never sees half a message.
    const partial = `${file}.${process.pid}.partial`;
    await fs.writeFile(partial, info.message as Buffer);
    await fs.rename(partial, file);
  }

  close(): void {
    this.transporter.close();
  }
}
