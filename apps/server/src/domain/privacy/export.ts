import type { EntityManager } from '@mikro-orm/sqlite';
import { AuditEntry, Customer, Message, OtpChallenge, OutboxEmail, type Operator } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { recordAudit } from './audit.js';
import { customerFootprint } from './footprint.js';

/**
 * Everything the product holds about one customer, for a data-access request: the record,
 * chats and tickets with every message (ratings are the feedback), verification history,
 * the mail sent to them and the audit entries about them. Secrets (code hashes, tokens)
 * are not data about the person and stay out. The export itself is audited.
 */
export interface CustomerExport {
  exportedAt: Date;
  customer: Record<string, unknown>;
  chats: Array<Record<string, unknown>>;
  tickets: Array<Record<string, unknown>>;
  feedback: Array<Record<string, unknown>>;
  verifications: Array<Record<string, unknown>>;
  mail: Array<Record<string, unknown>>;
  audit: Array<Record<string, unknown>>;
}

export async function exportCustomer(
  em: EntityManager,
  deps: { clock: Clock },
  operator: Operator,
  customerId: number,
): Promise<CustomerExport> {
  const customer = await em.findOne(Customer, { id: customerId });
  if (!customer) throw new DomainError('NOT_FOUND', `Customer #${customerId} does not exist.`);
  const { sessions, emailTickets } = await customerFootprint(em, customer);
  const ticketIds = [...sessions.map((session) => session.ticket.id), ...emailTickets.map((ticket) => ticket.id)];
  const messages = ticketIds.length
    ? await em.find(Message, { ticket: { $in: ticketIds }, kind: { $ne: 'suppressed' } }, { orderBy: { id: 'asc' } })
    : [];
  const messagesOf = (ticketId: number) => messages.filter((message) => message.ticket.id === ticketId).map(messageRecord);

  const result: CustomerExport = {
    exportedAt: deps.clock.now(),
    customer: {
      id: customer.id,
      email: customer.email,
      name: customer.name,
      externalId: customer.externalId,
      metadata: { ...customer.metadata },
      createdAt: customer.createdAt,
      updatedAt: customer.updatedAt,
    },
    chats: sessions.map((session) => ({
      sessionId: session.id,
      subject: session.ticket.subject,
      origin: session.origin,
      locale: session.locale,
      verifiedEmail: session.verifiedEmail,
      verifiedAt: session.verifiedAt,
      createdAt: session.createdAt,
      lastActivityAt: session.lastActivityAt,
      messages: messagesOf(session.ticket.id),
    })),
    tickets: emailTickets.map((ticket) => ({
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      requesterEmail: ticket.requesterEmail,
      aiSummary: ticket.aiSummary,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      messages: messagesOf(ticket.id),
    })),
    feedback: messages
      .filter((message) => message.rating)
      .map((message) => ({
        messageId: message.id,
        rating: message.rating,
        reason: message.ratingReason,
        comment: message.ratingComment,
        ratedAt: message.ratedAt,
      })),
    verifications: (await em.find(OtpChallenge, { email: customer.email }, { orderBy: { createdAt: 'asc' } })).map((challenge) => ({
      sessionId: challenge.session.id,
      email: challenge.email,
      requestedAt: challenge.createdAt,
      expiresAt: challenge.expiresAt,
      attempts: challenge.attempts,
      confirmedAt: challenge.consumedAt,
    })),
    mail: (await em.find(OutboxEmail, { to: customer.email }, { orderBy: { createdAt: 'asc' } })).map((mail) => ({
      subject: mail.subject,
      text: mail.text,
      status: mail.status,
      createdAt: mail.createdAt,
      sentAt: mail.sentAt,
    })),
    audit: (await em.find(AuditEntry, { customerId: customer.id }, { orderBy: { createdAt: 'asc' } })).map((entry) => ({
      action: entry.action,
      at: entry.createdAt,
    })),
  };
  recordAudit(em, deps, { action: 'customer_exported', operator, customerId: customer.id, subject: customer.email });
  await em.flush();
  return result;
}

function messageRecord(message: Message): Record<string, unknown> {
  return {
    id: message.id,
    author: message.author,
    kind: message.kind,
    body: message.body,
    rating: message.rating,
    createdAt: message.createdAt,
  };
}
