import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/sqlite';
import type { ChatFilter, QualityFlag } from '@ticket0/contracts';
import { ChatSession, Customer, Message, SessionEvaluation, type Ticket } from '../../db/entities/index.js';
import { DomainError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor, page } from '../../lib/pagination.js';
import { REVIEW_THRESHOLD } from '../quality/evaluation.js';

/** One row of Live Chat: the session and what the list shows about it. */
export interface ChatRow {
  session: ChatSession;
  lastMessage: Message | null;
  messageCount: number;
  negativeFeedbackCount: number;
  /** The latest quality evaluation; null until the chat is judged. */
  evaluation: SessionEvaluation | null;
  /** What the evaluation found: low quality, hallucination, circular, waiting for review. */
  qualityFlags: QualityFlag[];
}

/** The flags Live Chat shows for an evaluation. */
export function qualityFlagsOf(evaluation: SessionEvaluation | null): QualityFlag[] {
  if (!evaluation) return [];
  const flags: QualityFlag[] = [];
  if (evaluation.score < REVIEW_THRESHOLD) flags.push('low_quality');
  if (evaluation.hallucination) flags.push('hallucination');
  if (evaluation.circular) flags.push('circular');
  if (evaluation.inReview) flags.push('in_review');
  return flags;
}

/** Conditions on a session's evaluation, one per quality filter. */
const EVALUATION_FILTERS: Partial<Record<ChatFilter, Record<string, unknown>>> = {
  low_quality: { score: { $lt: REVIEW_THRESHOLD } },
  hallucination: { hallucination: true },
  circular: { circular: true },
  in_review: { inReview: true },
};

/** Escalated: the chat spawned an email ticket, or carries an escalation reason. */
function isEscalated(ticket: Ticket): boolean {
  return ticket.linkedTicket !== null || ticket.escalationReason !== null;
}

export { isEscalated as isEscalatedChat };

/**
 * Chat sessions for Live Chat, most recent activity first, `limit` at a time. Filters:
 * escalated, verified (the visitor proved an email), negative feedback (a reply rated down),
 * and the quality ones, on the latest evaluation (see EVALUATION_FILTERS).
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
  } else if (EVALUATION_FILTERS[input.filter]) {
    const judged = em.createQueryBuilder(SessionEvaluation, 'e').select('e.session').where(EVALUATION_FILTERS[input.filter]!);
    where.id = { $in: judged.getKnexQuery() as unknown as string[] };
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

/** Last message, counts and evaluation for a page of sessions: grouped queries, not 4 × n. */
export async function describeSessions(em: EntityManager, sessions: ChatSession[]): Promise<ChatRow[]> {
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
  const evaluations = await em.find(SessionEvaluation, { session: { $in: sessions.map((s) => s.id) } });
  const evaluationBySession = new Map(evaluations.map((e) => [e.session.id, e]));
  return sessions.map((session) => {
    const row = byTicket.get(session.ticket.id);
    const evaluation = evaluationBySession.get(session.id) ?? null;
    return {
      session,
      lastMessage: row ? (lastById.get(Number(row.last_id)) ?? null) : null,
      messageCount: Number(row?.total ?? 0),
      negativeFeedbackCount: Number(row?.negative ?? 0),
      evaluation,
      qualityFlags: qualityFlagsOf(evaluation),
    };
  });
}

/** One chat session with its whole conversation, for the read-only history view. */
export async function getChatSession(
  em: EntityManager,
  sessionId: string,
): Promise<ChatRow & { messages: Message[]; linkedTicket: Ticket | null; verifiedCustomer: Customer | null }> {
  const session = await em.findOne(ChatSession, { id: sessionId }, { populate: ['ticket', 'ticket.linkedTicket'] });
  if (!session) throw new DomainError('NOT_FOUND', 'This chat does not exist.');
  const [row] = await describeSessions(em, [session]);
  const messages = await em.find(Message, { ticket: session.ticket }, { orderBy: { id: 'asc' }, limit: 2000 });
  const verifiedCustomer =
    session.verifiedEmail && session.verifiedAt
      ? await em.findOne(Customer, { email: session.verifiedEmail.trim().toLowerCase() })
      : null;
  return { ...row!, messages, linkedTicket: session.ticket.linkedTicket, verifiedCustomer };
}

/** Chats whose visitor proved `email` with a code, most recent activity first (a customer's page). */
export async function chatsVerifiedAs(em: EntityManager, email: string, limit = 50): Promise<ChatSession[]> {
  return em.find(
    ChatSession,
    { verifiedEmail: email.trim().toLowerCase(), verifiedAt: { $ne: null } },
    { populate: ['ticket'], orderBy: { lastActivityAt: 'desc', ticket: 'desc' }, limit },
  );
}
