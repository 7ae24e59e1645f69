import type { AddressInfo, Server } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server for tests: accepts mail on 127.0.0.1, parses it with mailparser and
 * keeps it. `rejectNext` makes it answer the next N messages with a temporary failure.
 */
export class SmtpReceiver {
  readonly mails: ParsedMail[] = [];
  /** Messages refused so far. */
  rejected = 0;
  rejectNext = 0;
  private server: SMTPServer | null = null;

  get url(): string {
    const address = (this.server as unknown as { server: Server } | null)?.server.address() as
      | AddressInfo
      | null;
    if (!address) throw new Error('SmtpReceiver is not started');
    return `smtp://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            if (this.rejectNext > 0) {
              this.rejectNext--;
              this.rejected++;
              const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
              callback(error);
              return;
            }
            this.mails.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The first mail (so far or yet to come) that `match` accepts. */
  async waitFor(match: (mail: ParsedMail) => boolean, timeoutMs = 10_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching mail arrived; got ${this.mails.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The first address of a parsed mail's To:, From: … header. */
export function addressOf(field: ParsedMail['to'] | ParsedMail['from']): string | undefined {
  const first = Array.isArray(field) ? field[0] : field;
  return first?.value[0]?.address;
}
