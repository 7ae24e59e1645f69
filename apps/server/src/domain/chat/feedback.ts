import type { EntityManager } from '@mikro-orm/sqlite';
import type { Rating, RatingReason } from '@ticket0/contracts';
import { Message } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { EventBus } from '../../lib/events.js';
import { chatData, queueWebhookEvent } from '../webhooks/webhooks.js';
import type { VisitorSession } from './sessions.js';

export interface FeedbackDeps {
  clock: Clock;
  events: EventBus;
}

/**
 * A visitor rates one of the assistant's replies in their own chat. The rating can be
 * changed or taken back; a reason and comment only go with a thumbs down. Rating the same
 * way twice changes nothing. Negative feedback is announced so quality review picks it up.
 */
export async function rateReply(
  em: EntityManager,
  deps: FeedbackDeps,
  session: VisitorSession,
  input: { messageId: number; rating: Rating | null; reason?: RatingReason; comment?: string },
): Promise<Message> {
  const message = await em.findOne(Message, { id: input.messageId, ticket: session.ticket.id, author: 'ai', kind: 'text' });
  if (!message) throw new DomainError('NOT_FOUND', 'Only replies from the assistant in this chat can be rated.');
  const reason = input.rating === 'down' ? (input.reason ?? null) : null;
  const comment = input.rating === 'down' ? input.comment || null : null;
  if (message.rating === input.rating && message.ratingReason === reason && message.ratingComment === comment) return message;
  message.rating = input.rating;
  message.ratingReason = reason;
  message.ratingComment = comment;
  message.ratedAt = input.rating ? deps.clock.now() : null;
  await queueWebhookEvent(em, deps, 'chat.feedback', {
    chat: chatData(session),
    messageId: message.id,
    rating: input.rating,
    reason,
    comment,
  });
  await em.flush();
  deps.events.emit('message.rated', { ticketId: session.ticket.id, messageId: message.id, sessionId: session.id, rating: input.rating });
  return message;
}
