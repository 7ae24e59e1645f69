import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { Message } from './message.js';
import { Ticket } from './ticket.js';

export const INBOUND_DISPOSITIONS = ['ticket', 'auto_reply', 'own_mail', 'blocked'] as const;
export type InboundDisposition = (typeof INBOUND_DISPOSITIONS)[number];

/**
 * One message read from the support mailbox, kept whole whatever became of it. The
 * mailbox, UIDVALIDITY and UID are its unique key: however many servers read the same
 * mailbox, and however often they restart, a message is stored — and acted on — once.
 */
export class InboundEmail {
  id!: number;
  mailbox!: string;
  uidValidity!: number;
  uid!: number;
  /** The Message-ID header without angle brackets; null when the sender set none. */
  messageIdHeader: string | null = null;
  fromAddress!: string;
  subject!: string;
  /** The full plain text as received, quoted history and signature included. */
  text!: string;
  html: string | null = null;
  /** ticket: threaded or opened a ticket; the others were stored and left alone. */
  disposition!: InboundDisposition;
  /** Why it was left alone (which header said auto-reply, which block-list entry matched). */
  note: string | null = null;
  ticket: Ticket | null = null;
  /** The message shown in the ticket's thread (trimmed text). */
  message: Message | null = null;
  /** The Date header, when it parsed. */
  sentAt: Date | null = null;
  createdAt: Opt<Date> = new Date();
}

export const InboundEmailSchema = new EntitySchema<InboundEmail>({
  class: InboundEmail,
  tableName: 'inbound_email',
  uniques: [{ properties: ['mailbox', 'uidValidity', 'uid'] }],
  indexes: [{ properties: ['messageIdHeader'] }, { properties: ['ticket'] }, { properties: ['message'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    mailbox: { type: 'string', length: 200 },
    // Both are unsigned 32-bit numbers in IMAP: past a signed integer's range.
    uidValidity: { type: 'double' },
    uid: { type: 'double' },
    messageIdHeader: { type: 'string', length: 300, nullable: true },
    fromAddress: { type: 'string', length: 320 },
    subject: { type: 'string', length: 400 },
    text: { type: 'text' },
    html: { type: 'text', nullable: true },
    disposition: { enum: true, items: () => [...INBOUND_DISPOSITIONS] },
    note: { type: 'string', length: 300, nullable: true },
    ticket: { kind: 'm:1', entity: () => Ticket, nullable: true, deleteRule: 'set null' },
    message: { kind: 'm:1', entity: () => Message, nullable: true, deleteRule: 'set null' },
    sentAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});

/**
 * A file attached to an inbound mail. Operators download it from the console; visitors
 * never see it. Past the size limit only its name and size are kept (`content` null).
 */
export class MailAttachment {
  id!: number;
  email!: InboundEmail;
  filename!: string;
  contentType!: string;
  size!: number;
  /** False when it was over the size limit: `content` is null, the file stays in the mailbox. */
  kept!: boolean;
  /** Lazy: loaded only for a download. */
  content: Buffer | null = null;
  createdAt: Opt<Date> = new Date();
}

export const MailAttachmentSchema = new EntitySchema<MailAttachment>({
  class: MailAttachment,
  tableName: 'mail_attachment',
  indexes: [{ properties: ['email'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    email: { kind: 'm:1', entity: () => InboundEmail, deleteRule: 'cascade' },
    filename: { type: 'string', length: 300 },
    contentType: { type: 'string', length: 200 },
    size: { type: 'integer' },
    kept: { type: 'boolean' },
    content: { type: 'blob', nullable: true, lazy: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});

/** How far this installation has read a mailbox; one row per mailbox. */
export class MailboxCursor {
  id!: number;
  mailbox!: string;
  uidValidity!: number;
  /** Every UID up to this one is stored. */
  lastUid!: number;
  updatedAt: Opt<Date> = new Date();
}

export const MailboxCursorSchema = new EntitySchema<MailboxCursor>({
  class: MailboxCursor,
  tableName: 'mailbox_cursor',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    mailbox: { type: 'string', length: 200, unique: true },
    uidValidity: { type: 'double' },
    lastUid: { type: 'double' },
    updatedAt: { type: 'Date', onCreate: () => new Date() },
  },
});

/** An address (`someone@example.com`) or a whole domain (`@example.com`) whose mail opens nothing. */
export class BlockedSender {
  id!: number;
  pattern!: string;
  createdAt: Opt<Date> = new Date();
}

export const BlockedSenderSchema = new EntitySchema<BlockedSender>({
  class: BlockedSender,
  tableName: 'blocked_sender',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    pattern: { type: 'string', length: 320, unique: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
