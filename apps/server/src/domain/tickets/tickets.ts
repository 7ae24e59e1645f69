import type { EntityManager, FilterQuery } from '@mikro-orm/sqlite';
import type { TicketView } from '@ticket0/contracts';
import {
  ChatSession,
  InboundEmail,
  type MailAttachment,
  Message,
  Operator,
  OutboxEmail,
  Ticket,
  type TicketPriority,
  type TicketStatus,
} from '../../db/entities/index.js';
import type { OutboxSender } from '../../mail/outbox.js';
import { textToHtml } from '../../mail/render.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { EventBus } from '../../lib/events.js';
import { decodeCursor, encodeCursor, page } from '../../lib/pagination.js';
import { attachmentsByMessage } from '../inbound/mailbox-console.js';
import { messageData, queueWebhookEvent, ticketData } from '../webhooks/webhooks.js';

export interface TicketDeps {
  clock: Clock;
  events: EventBus;
}

export interface NewEmailTicket {
  subject: string;
  requesterEmail: string | null;
  aiSummary?: string | null;
  /** A reason code (see ESCALATION_REASONS) when the ticket comes from an escalation. */
  escalationReason?: string | null;
  tags?: string[];
  priority?: TicketPriority;
  /** The chat ticket this follows up on; both get linked to each other. */
  chatTicket?: Ticket | null;
  assignee?: Operator | null;
}

/**
 * Creates an email ticket — the unit of follow-up work an operator answers by mail.
 * Escalation calls this with the chat ticket, reason, summary and the reason map's tags and
 * priority; operators call it from the console. A chat spawns at most one email ticket.
 */
export async function createEmailTicket(em: EntityManager, deps: TicketDeps, input: NewEmailTicket): Promise<Ticket> {
  const chatTicket = input.chatTicket ?? null;
  if (chatTicket) {
    if (chatTicket.source !== 'chat') throw new DomainError('BAD_REQUEST', 'Only a chat can be followed up by an email ticket.');
    if (chatTicket.linkedTicket) {
      throw new DomainError('CONFLICT', `This chat already has email ticket #${chatTicket.linkedTicket.id}.`);
    }
  }
  const now = deps.clock.now();
  const ticket = em.create(Ticket, {
    source: 'email',
    status: 'open',
    subject: input.subject.trim().slice(0, 300),
    priority: input.priority ?? 'normal',
    tags: [...new Set(input.tags ?? [])],
    requesterEmail: input.requesterEmail?.toLowerCase() ?? null,
    linkedTicket: chatTicket,
    escalationReason: input.escalationReason ?? null,
    aiSummary: input.aiSummary ?? null,
    assignee: input.assignee ?? null,
    createdAt: now,
    updatedAt: now,
  });
  if (chatTicket) chatTicket.linkedTicket = ticket;
  await em.flush();
  if (await queueWebhookEvent(em, deps, 'ticket.created', { ticket: ticketData(ticket) })) await em.flush();
  deps.events.emit('ticket.changed', { ticketId: ticket.id });
  if (chatTicket) deps.events.emit('ticket.changed', { ticketId: chatTicket.id });
  return ticket;
}

/**
 * An operator opens an email ticket from the console, optionally following up on a chat
 * (linked both ways); it is assigned to them.
 */
export async function openTicketFromConsole(
  em: EntityManager,
  deps: TicketDeps,
  operator: Operator,
  input: { subject: string; requesterEmail: string | null; summary?: string; chatSessionId?: string; priority?: TicketPriority; tags?: string[] },
): Promise<Ticket> {
  let chatTicket: Ticket | null = null;
  if (input.chatSessionId) {
    const session = await em.findOne(ChatSession, { id: input.chatSessionId }, { populate: ['ticket'] });
    if (!session) throw new DomainError('NOT_FOUND', 'This chat does not exist.');
    chatTicket = session.ticket;
  }
  return createEmailTicket(em, deps, {
    subject: input.subject,
    requesterEmail: input.requesterEmail,
    aiSummary: input.summary || null,
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.tags ? { tags: input.tags } : {}),
    chatTicket,
    assignee: operator,
  });
}

/** An email ticket by id, or NOT_FOUND. Chat tickets are reached through Live Chat. */
export async function findEmailTicket(em: EntityManager, id: number): Promise<Ticket> {
  const ticket = await em.findOne(Ticket, { id, source: 'email' }, { populate: ['assignee', 'linkedTicket'] });
  if (!ticket) throw new DomainError('NOT_FOUND', `Ticket #${id} does not exist.`);
  return ticket;
}

/** The email-ticket queue, most recently changed first. */
export async function listTickets(
  em: EntityManager,
  operator: Operator,
  input: { view: TicketView; status?: TicketStatus; cursor?: string; limit: number },
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const where: FilterQuery<Ticket> & Record<string, unknown> = { source: 'email' };
  if (input.view === 'mine') where.assignee = operator.id;
  // Theirs and the ones nobody has yet: an escalation nobody could take must not hide.
  if (input.view === 'queue') where.$and = [{ $or: [{ assignee: operator.id }, { assignee: null }] }];
  if (input.view === 'unassigned') where.assignee = null;
  if (input.status) where.status = input.status;
  const cursor = decodeCursor(input.cursor);
  if (cursor) {
    where.$or = [{ updatedAt: { $lt: cursor.at } }, { updatedAt: cursor.at, id: { $lt: cursor.id } }];
  }
  const rows = await em.find(Ticket, where, {
    populate: ['assignee'],
    orderBy: { updatedAt: 'desc', id: 'desc' },
    limit: input.limit + 1,
  });
  return page(rows, input.limit, (ticket) => encodeCursor(ticket.updatedAt, ticket.id));
}

export interface MessageWithDelivery {
  message: Message;
  outbox: OutboxEmail | null;
  /** A customer's mail: the files it carried. */
  attachments: MailAttachment[];
}

export interface TicketDetail {
  ticket: Ticket;
  /** Oldest first, each with the mail that carried it (operator replies). */
  messages: MessageWithDelivery[];
  /** The chat session this ticket follows up on, if any. */
  chatSessionId: string | null;
}

/** An email ticket with its messages and the chat it follows up on; NOT_FOUND otherwise. */
export async function ticketDetail(em: EntityManager, id: number): Promise<TicketDetail> {
  const ticket = await findEmailTicket(em, id);
  const [messages, session] = await Promise.all([ticketMessages(em, ticket), chatSessionOf(em, ticket)]);
  return { ticket, messages, chatSessionId: session?.id ?? null };
}

async function ticketMessages(em: EntityManager, ticket: Ticket): Promise<MessageWithDelivery[]> {
  const messages = await em.find(Message, { ticket }, { orderBy: { id: 'asc' }, limit: 1000 });
  const mails = messages.length
    ? await em.find(OutboxEmail, { message: { $in: messages.map((m) => m.id) } }, { populate: ['operator'] })
    : [];
  const byMessage = new Map(mails.map((mail) => [mail.message!.id, mail]));
  const customerMessages = messages.filter((m) => m.author === 'customer').map((m) => m.id);
  const attachments = await attachmentsByMessage(em, customerMessages);
  return messages.map((message) => ({ message, outbox: byMessage.get(message.id) ?? null, attachments: attachments.get(message.id) ?? [] }));
}

async function chatSessionOf(em: EntityManager, ticket: Ticket): Promise<ChatSession | null> {
  if (!ticket.linkedTicket) return null;
  return em.findOne(ChatSession, { ticket: ticket.linkedTicket.id });
}

/**
 * An operator answers the requester: the reply is stored on the ticket and queued in the
 * outbox, which mails it.
 */
export async function replyToTicket(
  em: EntityManager,
  deps: TicketDeps & { outbox: OutboxSender },
  operator: Operator,
  input: { id: number; body: string },
): Promise<{ message: Message; mail: OutboxEmail }> {
  const ticket = await findEmailTicket(em, input.id);
  if (!ticket.requesterEmail) {
    throw new DomainError('BAD_REQUEST', 'This ticket has no requester email address to reply to.');
  }
  const now = deps.clock.now();
  const body = input.body.trim();
  // One flush is one transaction: the reply is never stored without its mail, nor mailed unstored.
  const message = em.create(Message, { ticket, author: 'operator', body, createdAt: now });
  // The customer's latest mail on this ticket: our answer threads under it in their client.
  const latest = await em.findOne(
    InboundEmail,
    { ticket, messageIdHeader: { $ne: null }, disposition: 'ticket' },
    { orderBy: { id: 'desc' }, fields: ['messageIdHeader'] },
  );
  const signature = `${operator.name} — Support\nReference: ticket #${ticket.id}`;
  const mail = deps.outbox.queue(em, {
    to: ticket.requesterEmail,
    subject: replySubject(ticket),
    text: `${body}\n\n--\n${signature}\n`,
    html: textToHtml(body, signature),
    ticket,
    message,
    operator,
    inReplyTo: latest?.messageIdHeader ?? null,
  });
  ticket.updatedAt = now;
  await em.flush();
  if (await queueWebhookEvent(em, deps, 'ticket.message_created', { ticket: ticketData(ticket), message: messageData(message) })) {
    await em.flush();
  }
  deps.outbox.wake();
  deps.events.emit('message.stored', { ticketId: ticket.id, messageId: message.id, sessionId: null });
  deps.events.emit('ticket.changed', { ticketId: ticket.id });
  return { message, mail };
}

function replySubject(ticket: Ticket): string {
  const subject = /^re:/i.test(ticket.subject) ? ticket.subject : `Re: ${ticket.subject}`;
  return `${subject} [#${ticket.id}]`.slice(0, 400);
}

export async function setTicketStatus(
  em: EntityManager,
  deps: TicketDeps,
  input: { id: number; status: TicketStatus },
): Promise<Ticket> {
  const ticket = await findEmailTicket(em, input.id);
  if (ticket.status !== input.status) {
    ticket.status = input.status;
    ticket.updatedAt = deps.clock.now();
    await queueWebhookEvent(em, deps, 'ticket.updated', { ticket: ticketData(ticket), change: 'status' });
    await em.flush();
    deps.events.emit('ticket.changed', { ticketId: ticket.id });
  }
  return ticket;
}

/** Gives the ticket to an operator, or (null) back to the unassigned queue. */
export async function assignTicket(
  em: EntityManager,
  deps: TicketDeps,
  input: { id: number; operatorId: number | null },
): Promise<Ticket> {
  const ticket = await findEmailTicket(em, input.id);
  const assignee = input.operatorId === null ? null : await em.findOne(Operator, { id: input.operatorId });
  if (input.operatorId !== null && !assignee) throw new DomainError('NOT_FOUND', 'That operator no longer exists.');
  if (ticket.assignee?.id !== assignee?.id) {
    ticket.assignee = assignee;
    ticket.updatedAt = deps.clock.now();
    await queueWebhookEvent(em, deps, 'ticket.updated', { ticket: ticketData(ticket), change: 'assignee' });
    await em.flush();
    deps.events.emit('ticket.changed', { ticketId: ticket.id });
  }
  return ticket;
}
