import nodemailer from 'nodemailer';

/** One email, ready to go. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Our Message-ID for it (`<…>`), chosen when it was queued. */
  messageId?: string;
  /** Threads replies in the customer's mail client. */
  inReplyTo?: string;
  references?: string;
}

/** Where mail leaves the process. The outbox sender is its only caller. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
  close(): void;
}

/** SMTP through nodemailer, for `SMTP_URL` (smtp:// or smtps://, credentials in the URL). */
export class SmtpTransport implements MailTransport {
  private readonly transporter: nodemailer.Transporter;

  constructor(smtpUrl: string) {
    const url = new URL(smtpUrl);
    this.transporter = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      // A local relay without TLS is common for self-hosters; STARTTLS is used when offered.
      ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
      // Fail fast and let the outbox retry, rather than hold a send for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string | null }> {
    const info = await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references ? { references: mail.references } : {}),
    });
    return { messageId: typeof info.messageId === 'string' ? info.messageId : null };
  }

  close(): void {
    this.transporter.close();
  }
}
