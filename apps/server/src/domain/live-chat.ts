import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/sqlite';
import type { ChatFilter } from '@ticket0/contracts';
import { ChatSession, Message, type Ticket } from '../db/entities/index.js';
import { DomainError } from './errors.js';
import { decodeCursor, encodeCursor, page } from './pagination.js';

/** One row of Live Chat: the session and what the list shows about it. */
export interface ChatRow {
  session: ChatSession;
  lastMessage: Message | null;
  messageCount: number;
  negativeFeedbackCount: number;
  /** Filled by quality review (a later feature); empty until then. */
  qualityFlags: string[];
}

/** Escalated: the chat spawned an email ticket, or carries an escalation reason. */
function isEscalated(ticket: Ticket): boolean {
  return ticket.linkedTicket !== null || ticket.escalationReason !== null;
}

export { isEscalated as isEscalatedChat };

/**
 * Chat sessions for Live Chat, most recent activity first, `limit` at a time. Filters:
 * escalated, verified (the visitor proved an email), negative feedback (a reply rated down).
 */
export async function listChatSessions(
  em: EntityManager,
  input: { filter: ChatFilter; cursor?: string; limit: number },
): Promise<{ items: ChatRow[]; nextCursor: string | null }> {
  const where: FilterQuery<ChatSession> & Record<string, unknown> = {};
  if (input.filter === 'escalated') {
    where.ticket = { $or: [{ linkedTicket: { $ne: null } }, { escalationReason: { $ne: null } }] };
  } else if (input.filter === 'verified') {
    where.verifiedEmail = { $ne: null };
  } else if (input.filter === 'negative_feedback') {
    // A sub-query: the ORM passes a knex builder through as SQL.
    const rated = em.createQueryBuilder(Message, 'rated').select('rated.ticket').where({ rating: 'down' });
    where.ticket = { id: { $in: rated.getKnexQuery() as unknown as number[] } };
  }
  const cursor = decodeCursor(input.cursor);
  if (cursor) {
    where.$or = [{ lastActivityAt: { $lt: cursor.at } }, { lastActivityAt: cursor.at, ticket: { $lt: cursor.id } }];
  }
  const sessions = await em.find(ChatSession, where, {
    populate: ['ticket'],
    orderBy: { lastActivityAt: 'desc', ticket: 'desc' },
    limit: input.limit + 1,
  });
  const { items, nextCursor } = page(sessions, input.limit, (s) => encodeCursor(s.lastActivityAt, s.ticket.id));
  return { items: await describeSessions(em, items), nextCursor };
}

/** Last message, counts and flags for a page of sessions: three grouped queries, not 3 × n. */
async function describeSessions(em: EntityManager, sessions: ChatSession[]): Promise<ChatRow[]> {
  if (!sessions.length) return [];
  const ticketIds = sessions.map((s) => s.ticket.id);
  const counts: Array<{ ticket_id: number; last_id: number; total: number; negative: number }> = await em
    .createQueryBuilder(Message, 'm')
    .select([
      'm.ticket',
      raw('max(m.id) as last_id'),
      raw('count(*) as total'),
      raw("sum(case when m.rating = 'down' then 1 else 0 end) as negative"),
    ])
    .where({ ticket: { $in: ticketIds } })
    .groupBy('m.ticket')
    .execute('all', false);
  const byTicket = new Map(counts.map((row) => [Number(row.ticket_id), row]));
  const lastIds = counts.map((row) => Number(row.last_id));
  const lastMessages = lastIds.length ? await em.find(Message, { id: { $in: lastIds } }) : [];
  const lastById = new Map(lastMessages.map((m) => [m.id, m]));
  return sessions.map((session) => {
    const row = byTicket.get(session.ticket.id);
    return {
      session,
      lastMessage: row ? (lastById.get(Number(row.last_id)) ?? null) : null,
      messageCount: Number(row?.total ?? 0),
      negativeFeedbackCount: Number(row?.negative ?? 0),
      qualityFlags: [],
    };
  });
}

/** One chat session with its whole conversation, for the read-only history view. */
export async function getChatSession(
  em: EntityManager,
  sessionId: string,
): Promise<ChatRow & { messages: Message[]; linkedTicket: Ticket | null }> {
  const session = await em.findOne(ChatSession, { id: sessionId }, { populate: ['ticket', 'ticket.linkedTicket'] });
  if (!session) throw new DomainError('NOT_FOUND', 'This chat does not exist.');
  const [row] = await describeSessions(em, [session]);
  const messages = await em.find(Message, { ticket: session.ticket }, { orderBy: { id: 'asc' }, limit: 2000 });
  return { ...row!, messages, linkedTicket: session.ticket.linkedTicket };
}
