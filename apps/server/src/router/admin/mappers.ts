import type { ChatSummary, OperatorMessage, OperatorView, SettingsView, TicketSummary } from '@ticket0/contracts';
import type { Message, Operator, OutboxEmail, Settings, Ticket } from '../../db/entities/index.js';
import { isEscalatedChat, type ChatRow } from '../../domain/live-chat.js';

export function toOperatorView(operator: Operator): OperatorView {
  return {
    id: operator.id,
    email: operator.email,
    name: operator.name,
    role: operator.role,
    availability: operator.availability,
    capacity: operator.capacity,
    joinedAt: operator.joinedAt,
  };
}

export function toOperatorMessage(message: Message, outbox: OutboxEmail | null = null): OperatorMessage {
  return {
    id: message.id,
    author: message.author,
    kind: message.kind,
    body: message.body,
    createdAt: message.createdAt,
    rating: message.rating,
    interrupted: message.interrupted,
    model: message.model,
    latencyMs: message.latencyMs,
    citations: message.citations,
    sentBy: outbox?.operator?.name ?? null,
    delivery: outbox?.status ?? null,
  };
}

export function toChatSummary(row: ChatRow): ChatSummary {
  const { session, lastMessage } = row;
  const ticket = session.ticket;
  return {
    sessionId: session.id,
    ticketId: ticket.id,
    subject: ticket.subject,
    origin: session.origin,
    startedAt: session.createdAt,
    lastActivityAt: session.lastActivityAt,
    lastMessage: lastMessage
      ? {
          author: lastMessage.author,
          kind: lastMessage.kind,
          body: lastMessage.body.length > 200 ? `${lastMessage.body.slice(0, 199)}…` : lastMessage.body,
          createdAt: lastMessage.createdAt,
        }
      : null,
    messageCount: row.messageCount,
    verifiedEmail: session.verifiedEmail,
    escalated: isEscalatedChat(ticket),
    escalationReason: ticket.escalationReason,
    linkedTicketId: ticket.linkedTicket?.id ?? null,
    negativeFeedbackCount: row.negativeFeedbackCount,
    qualityFlags: row.qualityFlags,
  };
}

export function toTicketSummary(ticket: Ticket): TicketSummary {
  return {
    id: ticket.id,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    tags: ticket.tags,
    requesterEmail: ticket.requesterEmail,
    assignee: ticket.assignee ? { id: ticket.assignee.id, name: ticket.assignee.name, email: ticket.assignee.email } : null,
    escalationReason: ticket.escalationReason,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
  };
}

export function toSettingsView(settings: Settings, configuredOrigins: string[]): SettingsView {
  return {
    autoAssign: settings.autoAssign,
    reasonMap: settings.reasonMap,
    allowedOrigins: settings.allowedOrigins,
    configuredOrigins,
    updatedAt: settings.updatedAt,
  };
}
