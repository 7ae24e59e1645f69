import { raw, type EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, Message, SessionEvaluation } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { EventBus } from '../../lib/events.js';
import { describeSessions, type ChatRow } from '../chat/chat-list.js';
import { decodeCursor, encodeCursor, page } from '../../lib/pagination.js';

/**
 * The review queue: chats whose latest evaluation scored under 70 % or saw a thumbs down
 * (SessionEvaluation.inReview), most recently judged first, until an operator marks them
 * reviewed. A later evaluation of the same chat may put it back.
 */
export async function listReviewQueue(
  em: EntityManager,
  input: { cursor?: string; limit: number },
): Promise<{ items: Array<ChatRow & { evaluation: SessionEvaluation; flaggedReply: Message | null }>; nextCursor: string | null }> {
  const cursor = decodeCursor(input.cursor);
  const evaluations = await em.find(
    SessionEvaluation,
    {
      inReview: true,
      ...(cursor ? { $or: [{ evaluatedAt: { $lt: cursor.at } }, { evaluatedAt: cursor.at, id: { $lt: cursor.id } }] } : {}),
    },
    { populate: ['session', 'session.ticket'], orderBy: { evaluatedAt: 'desc', id: 'desc' }, limit: input.limit + 1 },
  );
  const { items, nextCursor } = page(evaluations, input.limit, (e) => encodeCursor(e.evaluatedAt, e.id));
  const rows = await describeSessions(
    em,
    items.map((e) => e.session),
  );
  const judged = rows.filter((row): row is ChatRow & { evaluation: SessionEvaluation } => row.evaluation !== null);
  const flagged = await flaggedReplies(em, judged.map((row) => row.session.ticket.id));
  return { items: judged.map((row) => ({ ...row, flaggedReply: flagged.get(row.session.ticket.id) ?? null })), nextCursor };
}

/**
 * The reply each chat is in the queue for: the latest one the visitor rated down, else the
 * latest AI reply (a low score judges the answers). Two grouped queries for the page.
 */
async function flaggedReplies(em: EntityManager, ticketIds: number[]): Promise<Map<number, Message>> {
  if (!ticketIds.length) return new Map();
  const latest = async (where: Record<string, unknown>) => {
    const rows: Array<{ last_id: number }> = await em
      .createQueryBuilder(Message, 'm')
      .select(raw('max(m.id) as last_id'))
      .where({ ticket: { $in: ticketIds }, author: 'ai', kind: 'text', ...where })
      .groupBy('m.ticket')
      .execute('all', false);
    return rows.map((row) => Number(row.last_id));
  };
  const ids = [...(await latest({ rating: 'down' })), ...(await latest({}))];
  const messages = ids.length ? await em.find(Message, { id: { $in: ids } }, { orderBy: { id: 'asc' } }) : [];
  const byTicket = new Map<number, Message>();
  // A reply rated down wins over a later unrated one.
  for (const message of messages) {
    const current = byTicket.get(message.ticket.id);
    if (!current || (current.rating !== 'down' && (message.rating === 'down' || message.id > current.id))) byTicket.set(message.ticket.id, message);
  }
  return byTicket;
}

/** An operator has looked at a chat in the review queue: it leaves the queue. */
export async function markReviewed(
  em: EntityManager,
  deps: { clock: Clock; events?: EventBus },
  sessionId: string,
): Promise<SessionEvaluation> {
  const session = await em.findOne(ChatSession, { id: sessionId }, { populate: ['ticket'] });
  if (!session) throw new DomainError('NOT_FOUND', 'This chat does not exist.');
  const evaluation = await em.findOne(SessionEvaluation, { session });
  if (!evaluation) throw new DomainError('NOT_FOUND', 'This chat has not been evaluated yet, so there is nothing to review.');
  if (evaluation.inReview || !evaluation.reviewedAt) {
    evaluation.inReview = false;
    evaluation.reviewedAt = deps.clock.now();
    await em.flush();
    deps.events?.emit('ticket.changed', { ticketId: session.ticket.id });
  }
  return evaluation;
}
