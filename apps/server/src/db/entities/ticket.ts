import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import { Customer } from './customer.js';
import { Operator } from './operator.js';

export const TICKET_SOURCES = ['chat', 'email'] as const;
export const TICKET_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export type TicketSource = (typeof TICKET_SOURCES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/**
 * A unit of support work. Every chat session owns one `chat` ticket that stays open while
 * the chat lives; escalations create `email` tickets linked back to it.
 */
export class Ticket {
  id!: number;
  source!: TicketSource;
  status: Opt<TicketStatus> = 'open';
  subject!: string;
  priority: Opt<TicketPriority> = 'normal';
  tags: Opt<string[]> = [];
  requesterEmail: string | null = null;
  linkedTicket: Ticket | null = null;
  escalationReason: string | null = null;
  aiSummary: string | null = null;
  /** The operator working this ticket; null = unassigned. */
  assignee: Operator | null = null;
  /** The customer whose email this ticket is about (requester email matched, or verified chat). */
  customer: Customer | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const TicketSchema = new EntitySchema<Ticket>({
  class: Ticket,
  tableName: 'ticket',
  indexes: [{ properties: ['source', 'status'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    source: { enum: true, items: () => [...TICKET_SOURCES] },
    status: { enum: true, items: () => [...TICKET_STATUSES] },
    subject: { type: 'string', length: 300 },
    priority: { enum: true, items: () => [...TICKET_PRIORITIES] },
    tags: { type: 'json' },
    requesterEmail: { type: 'string', length: 320, nullable: true },
    linkedTicket: { kind: 'm:1', entity: () => Ticket, nullable: true, deleteRule: 'set null' },
    escalationReason: { type: 'string', length: 40, nullable: true },
    aiSummary: { type: 'text', nullable: true },
    assignee: { kind: 'm:1', entity: () => Operator, nullable: true, deleteRule: 'set null' },
    customer: { kind: 'm:1', entity: () => Customer, nullable: true, deleteRule: 'set null' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
    // No onUpdate hook: domain code sets updatedAt from its Clock (the queue orders by it);
    // a hook would overwrite that with the wall clock.
    updatedAt: { type: 'Date', onCreate: () => new Date() },
  },
});
