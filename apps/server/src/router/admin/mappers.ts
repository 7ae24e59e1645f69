import type { ChatQuality, ChatSummary, OperatorMessage, OperatorView, SettingsView, TicketSummary } from '@ticket0/contracts';
import type { Lesson, Message, Operator, OutboxEmail, SessionEvaluation, Ticket } from '../../db/entities/index.js';
import { appearanceOf, type SettingsSnapshot } from '../../domain/settings/settings.js';
import { describeRuleMatch } from '../../domain/escalation/detect.js';
import { isEscalatedChat, type ChatRow } from '../../domain/chat/chat-list.js';
import { MESSAGE_FIELDS, pick } from '../mappers.js';

export function toOperatorView(operator: Operator): OperatorView {
  return pick(operator, ['id', 'email', 'name', 'role', 'availability', 'capacity', 'joinedAt']);
}

export function toOperatorMessage(
  message: Message,
  outbox: OutboxEmail | null = null,
  lessons: Lesson[] = [],
  titles: ReadonlyMap<number, string> = new Map(),
): OperatorMessage {
  const verdict = message.safetyVerdict;
  return {
    ...pick(message, [...MESSAGE_FIELDS, 'model', 'latencyMs', 'citations', 'confidence', 'ratingReason', 'ratingComment']),
    citedArticles: message.citations.flatMap((id) => {
      const title = titles.get(id);
      return title === undefined ? [] : [{ id, title }];
    }),
    sentBy: outbox?.operator?.name ?? null,
    delivery: outbox?.status ?? null,
    escalationRule: message.escalationRule ? describeRuleMatch(message.escalationRule, message.escalationLanguage) : null,
    safety: verdict
      ? { rules: verdict.rules ?? [], note: verdict.note ?? null, modelFailure: verdict.modelFailure ?? null }
      : null,
    lessons: lessons.map((lesson) => ({ id: lesson.id, status: lesson.status, text: lesson.text })),
  };
}

export function toChatQuality(evaluation: SessionEvaluation): ChatQuality {
  return pick(evaluation, [
    'score',
    'accuracy',
    'completeness',
    'resolution',
    'hallucination',
    'circular',
    'questionType',
    'negativeFeedback',
    'method',
    'inReview',
    'reviewedAt',
    'evaluatedAt',
  ]);
}

export function toChatSummary(row: ChatRow, unread = false): ChatSummary {
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
    unread,
  };
}

export function toTicketSummary(ticket: Ticket, unread = false): TicketSummary {
  return {
    ...pick(ticket, ['id', 'subject', 'status', 'priority', 'tags', 'requesterEmail', 'escalationReason', 'createdAt', 'updatedAt']),
    assignee: ticket.assignee ? pick(ticket.assignee, ['id', 'name', 'email']) : null,
    unread,
  };
}

export function toSettingsView(settings: SettingsSnapshot, configuredOrigins: string[]): SettingsView {
  return {
    ...pick(settings, ['autoAssign', 'reasonMap', 'allowedOrigins', 'retentionDays', 'updatedAt']),
    configuredOrigins,
    appearance: appearanceOf(settings),
  };
}
