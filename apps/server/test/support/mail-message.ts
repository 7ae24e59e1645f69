import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface TestMail {
  from: string;
  to?: string;
  subject: string;
  text: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: Array<{ filename: string; content: Buffer | string; contentType?: string }>;
}

/** A raw RFC 5322 message, built by nodemailer's MIME composer as a real client would send it. */
export async function rawMail(mail: TestMail): Promise<string> {
  const composer = new MailComposer({
    from: mail.from,
    to: mail.to ?? 'support@shop.example',
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId ?? `<${Math.random().toString(36).slice(2)}@client.example>`,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references ? { references: mail.references } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
  });
  const message = await composer.compile().build();
  return message.toString('utf8');
}
