import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import type { OutboxStatus } from '@ticket0/contracts';
import { Message } from './message.js';
import { Operator } from './operator.js';
import { Ticket } from './ticket.js';

export const OUTBOX_STATUSES = ['queued', 'sent', 'failed'] as const;

/**
 * One email on its way out. Written in the same transaction as whatever caused it, sent
 * afterwards by the outbox sender; failures are recorded here, never dropped.
 */
export class OutboxEmail {
  id!: number;
  to!: string;
  subject!: string;
  text!: string;
  html: string | null = null;
  status: Opt<OutboxStatus> = 'queued';
  attempts: Opt<number> = 0;
  lastError: string | null = null;
  /** When the sender may try (again); null once sent or given up. */
  nextAttemptAt: Date | null = null;
  sentAt: Date | null = null;
  /** The SMTP server's Message-ID once accepted. */
  providerMessageId: string | null = null;
  /** The Message-ID we gave the mail (no angle brackets): replies to it thread onto its ticket. */
  messageIdHeader: string | null = null;
  /** The customer's message this answers (its Message-ID), so their client threads it. */
  inReplyTo: string | null = null;
  ticket: Ticket | null = null;
  /** The stored message this mail carries (an operator's reply). */
  message: Message | null = null;
  /** Who wrote it, for replies. */
  operator: Operator | null = null;
  createdAt: Opt<Date> = new Date();
}

export const OutboxEmailSchema = new EntitySchema<OutboxEmail>({
  class: OutboxEmail,
  tableName: 'outbox_email',
  indexes: [{ properties: ['status', 'nextAttemptAt'] }, { properties: ['messageIdHeader'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    to: { type: 'string', length: 320 },
    subject: { type: 'string', length: 400 },
    text: { type: 'text' },
    html: { type: 'text', nullable: true },
    status: { enum: true, items: () => [...OUTBOX_STATUSES] },
    attempts: { type: 'integer' },
    lastError: { type: 'text', nullable: true },
    nextAttemptAt: { type: 'Date', nullable: true },
    sentAt: { type: 'Date', nullable: true },
    providerMessageId: { type: 'string', length: 300, nullable: true },
    messageIdHeader: { type: 'string', length: 300, nullable: true },
    inReplyTo: { type: 'string', length: 300, nullable: true },
    ticket: { kind: 'm:1', entity: () => Ticket, nullable: true, deleteRule: 'set null' },
    message: { kind: 'm:1', entity: () => Message, nullable: true, deleteRule: 'set null' },
    operator: { kind: 'm:1', entity: () => Operator, nullable: true, deleteRule: 'set null' },
    createdAt: { type: 'Date' },
  },
});
