import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the sink accepted (answered 250), parsed. */
export interface ReceivedMail {
  readonly messageId: string;
  /** The envelope recipient (RCPT TO). */
  readonly to: string;
  /** The user the session authenticated as. */
  readonly user: string | undefined;
  readonly parsed: ParsedMail;
}

/** What the sink answers to the message that just arrived: 250, or a temporary 451. */
export type SinkAnswer = 'accept' | 'reject';

/** One message arriving at the end of DATA, before the sink answers; `index` counts from 1 since the last reset. */
export interface Arrival {
  readonly index: number;
  readonly messageId: string;
  readonly to: string;
}

/**
 * A real SMTP server (the `smtp-server` package) on loopback, requiring the given login. It keeps
 * every accepted message; a test decides each answer with `onArrival`, and may take its time
 * deciding (the client waits, as it would for a slow server).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Decides the answer to each arriving message; accepts by default. */
  onArrival: (arrival: Arrival) => Promise<SinkAnswer> | SinkAnswer = () => 'accept';
  /** Recipients refused for good at RCPT TO (550). */
  readonly refusedRecipients = new Set<string>();
  private arrivals = 0;
  private readonly server: SMTPServer;
  private port = 0;

  constructor(private readonly credentials: { user: string; password: string }) {
    this.server = new SMTPServer({
      secure: false,
      // Loopback only: no STARTTLS to negotiate, and the login may go over the plain connection.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      closeTimeout: 100,
      onAuth: (auth, _session, callback) => {
        if (auth.username === credentials.user && auth.password === credentials.password) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
      },
      onRcptTo: (address, _session, callback) => {
        if (this.refusedRecipients.has(address.address)) callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          async (parsed) => {
            const to = session.envelope.rcptTo.map((r) => r.address).join(',');
            const messageId = parsed.messageId ?? '';
            this.arrivals += 1;
            const answer = await this.onArrival({ index: this.arrivals, messageId, to });
            if (answer === 'reject') return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            this.received.push({ messageId, to, user: typeof session.user === 'string' ? session.user : undefined, parsed });
            return callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
  }

  /** `smtp://user:password@127.0.0.1:<port>`, the password URL-encoded. */
  get url(): string {
    return `smtp://${encodeURIComponent(this.credentials.user)}:${encodeURIComponent(this.credentials.password)}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** Forgets what arrived and goes back to accepting everything. */
  reset(): void {
    this.received.length = 0;
    this.arrivals = 0;
    this.refusedRecipients.clear();
    this.onArrival = () => 'accept';
  }

  /** Accepted messages addressed to `to`. */
  to(to: string): ReceivedMail[] {
    return this.received.filter((m) => m.to === to);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
