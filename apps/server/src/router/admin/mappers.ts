import type { ChatQuality, ChatSummary, OperatorMessage, OperatorView, SettingsView, TicketSummary } from '@ticket0/contracts';
import { appearanceOf } from '../../domain/settings.js';
import type { Lesson, Message, Operator, OutboxEmail, SessionEvaluation, Settings, Ticket } from '../../db/entities/index.js';
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

export function toOperatorMessage(message: Message, outbox: OutboxEmail | null = null, lessons: Lesson[] = []): OperatorMessage {
  const verdict = message.safetyVerdict;
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
    escalationReason: message.escalationReason,
    offerStatus: message.offerStatus,
    safety: verdict
      ? { rules: verdict.rules ?? [], note: verdict.note ?? null, modelFailure: verdict.modelFailure ?? null }
      : null,
    lessons: lessons.map((lesson) => ({ id: lesson.id, status: lesson.status, text: lesson.text })),
  };
}

export function toChatQuality(evaluation: SessionEvaluation): ChatQuality {
  return {
    score: evaluation.score,
    accuracy: evaluation.accuracy,
    completeness: evaluation.completeness,
    resolution: evaluation.resolution,
    hallucination: evaluation.hallucination,
    circular: evaluation.circular,
    questionType: evaluation.questionType,
    negativeFeedback: evaluation.negativeFeedback,
    method: evaluation.method,
    inReview: evaluation.inReview,
    reviewedAt: evaluation.reviewedAt,
    evaluatedAt: evaluation.evaluatedAt,
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
    quality: row.evaluation ? toChatQuality(row.evaluation) : null,
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
    appearance: appearanceOf(settings),
    updatedAt: settings.updatedAt,
  };
}
