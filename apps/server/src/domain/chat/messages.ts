import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import { Message, Ticket } from '../../db/entities/index.js';
import { json, readBoolean, readDate, readJson, statements, transaction, type Statements } from '../../db/sql.js';
import type { EventBus } from '../../lib/events.js';
import { placeholderSubject, type ChatDeps, type Counted, type VisitorSession } from './sessions.js';

/** How long a chat must be quiet before quality monitoring judges it. */
export const EVALUATE_AFTER_IDLE_MS = 15 * 60_000;

export interface VisitorContext {
  session: VisitorSession;
  clientAddress: string;
}

type Accepted = { message: Message; reply: Message | null; isNew: boolean };

/**
 * Stores the visitor's message on the chat ticket before any reply is released, so a model
 * failure or a crash never loses it. A resend with the same clientMessageId returns the
 * stored message (and its reply, when there is one) instead of storing it again.
 */
export async function acceptMessage(
  em: EntityManager,
  deps: ChatDeps & { events: EventBus },
  visitor: VisitorContext,
  input: { clientMessageId: string; text: string },
): Promise<Accepted> {
  const created = await createOrFindResent(em, deps, visitor, input);
  return 'counted' in created ? commitMessage(em, deps, visitor.session, created) : created;
}

/**
 * createMessage, except that a message over the rate limits which turns out to be a resend
 * of a stored one is answered with that one (the visitor's retry must not fail for having
 * been counted the first time).
 */
export async function createOrFindResent(
  em: EntityManager,
  deps: ChatDeps,
  visitor: VisitorContext,
  input: { clientMessageId: string; text: string },
): Promise<NewMessage | Accepted> {
  try {
    return await createMessage(deps, visitor, input);
  } catch (error) {
    const resent = await findResent(em, visitor.session, input.clientMessageId);
    if (resent) return resent;
    throw error;
  }
}

/** The message sent before with this clientMessageId, and its reply when there is one. */
export async function findResent(
  em: EntityManager,
  session: VisitorSession,
  clientMessageId: string,
): Promise<{ message: Message; reply: Message | null; isNew: false } | null> {
  const existing = await em.findOne(Message, { ticket: session.ticket.id, clientMessageId });
  if (!existing) return null;
  return { message: existing, reply: await findReply(em, existing), isNew: false };
}

/** The reply stored for a visitor message, if any. */
export function findReply(em: EntityManager, visitorMessage: Pick<Message, 'id'>): Promise<Message | null> {
  // The last one: after a safety hold-back the released text comes first, then the offer.
  return em.findOne(Message, { replyTo: visitorMessage.id, kind: { $ne: 'suppressed' } }, { orderBy: { id: 'desc' } });
}

/** A visitor message counted against the rate limits, not written yet (commitMessage writes it). */
export interface NewMessage {
  /** The message as it will be stored; its id is set once it is. Set `promptContext` before committing. */
  message: Message;
  counted: Counted;
}

/**
 * A new visitor message, counted against the rate limits (TOO_MANY_REQUESTS), ready for
 * commitMessage. Only the count is awaited: the caller may start on the reply meanwhile.
 */
export async function createMessage(
  deps: ChatDeps,
  visitor: VisitorContext,
  input: { clientMessageId: string; text: string },
): Promise<NewMessage> {
  const { session } = visitor;
  const counted = await deps.chatLimits.takeMessage(session.id, visitor.clientAddress, session.locale);
  const message = messageOf({
    id: 0,
    ticketId: session.ticket.id,
    author: 'visitor',
    body: input.text,
    clientMessageId: input.clientMessageId,
    createdAt: deps.clock.now(),
  });
  return { message, counted };
}

/**
 * Writes a message from createMessage in one transaction: the message, the ticket
 * (reopened, named after the first message) and the session's quality schedule. The
 * message is inserted straight away: the unique (ticket, clientMessageId) index, not a
 * lookup before it, tells a resend apart — then the stored one is returned, and this one
 * does not count against the limits.
 */
export async function commitMessage(
  em: EntityManager,
  deps: { events: EventBus },
  session: VisitorSession,
  { message, counted }: NewMessage,
): Promise<Accepted> {
  const now = message.createdAt;
  try {
    message.id = await transaction(em, async (sql) => {
      const row = await sql.one<{ id: number }>(
        'insert into message (ticket_id, author, kind, body, client_message_id, citations, interrupted, prompt_context, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id',
        [
          session.ticket.id,
          'visitor',
          'text',
          message.body,
          message.clientMessageId,
          json([]),
          false,
          message.promptContext ? json(message.promptContext) : null,
          now,
        ],
      );
      // Any message reopens the chat ticket; the first one names it in the console.
      await sql.run('update ticket set status = ?, updated_at = ?, subject = case when subject = ? then ? else subject end where id = ?', [
        'open',
        now,
        placeholderSubject(session.origin),
        subjectFrom(message.body),
        session.ticket.id,
      ]);
      await touchSession(sql, session, now);
      return Number(row!.id);
    });
  } catch (error) {
    // Not stored (or stored before, by a resend): this one does not count.
    await counted.release();
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // Sent before (a resend, or two racing): the unique index let exactly one through.
    const stored = await findResent(em, session, message.clientMessageId!);
    if (!stored) throw error;
    return stored;
  }
  announceMessage(deps.events, session, message);
  return { message, reply: null, isNew: true };
}

/** The session's messages, oldest first; `afterId` resumes after the last one seen. One select. */
export async function chatHistory(em: EntityManager, session: Pick<VisitorSession, 'ticket'>, afterId?: number): Promise<Message[]> {
  const rows = await statements(em).all<Record<string, unknown>>(
    `select id, author, kind, body, client_message_id, reply_to_id, rating, rating_reason, rating_comment, rated_at, citations,
       model, latency_ms, interrupted, escalation_reason, escalation_rule, escalation_language, offer_status, confidence, created_at
     from message where ticket_id = ? and kind <> ? and id > ? order by id limit 500`,
    [session.ticket.id, 'suppressed', afterId ?? 0],
  );
  return rows.map((row) =>
    messageOf({
      id: Number(row.id),
      ticketId: session.ticket.id,
      author: row.author as Message['author'],
      kind: row.kind as Message['kind'],
      body: String(row.body),
      clientMessageId: nullable(row.client_message_id),
      replyToId: row.reply_to_id === null || row.reply_to_id === undefined ? null : Number(row.reply_to_id),
      rating: nullable(row.rating),
      ratingReason: nullable(row.rating_reason),
      ratingComment: nullable(row.rating_comment),
      ratedAt: row.rated_at === null || row.rated_at === undefined ? null : readDate(row.rated_at),
      citations: readJson<number[]>(row.citations),
      model: nullable(row.model),
      latencyMs: row.latency_ms === null || row.latency_ms === undefined ? null : Number(row.latency_ms),
      interrupted: readBoolean(row.interrupted),
      escalationReason: nullable(row.escalation_reason),
      escalationRule: nullable(row.escalation_rule),
      escalationLanguage: nullable(row.escalation_language),
      offerStatus: nullable(row.offer_status),
      confidence: row.confidence === null || row.confidence === undefined ? null : Number(row.confidence),
      createdAt: readDate(row.created_at),
    }),
  );
}

function nullable<T>(value: unknown): T | null {
  return value === null || value === undefined ? null : (value as T);
}

/**
 * Marks activity, in the same transaction as the message: the chat becomes due for quality
 * evaluation once it has been quiet for a while (the schedule lives in the database).
 */
export async function touchSession(sql: Pick<Statements, 'run'>, session: Pick<VisitorSession, 'id'>, now: Date): Promise<void> {
  await sql.run('update chat_session set last_activity_at = ?, evaluation_due_at = ? where id = ?', [
    now,
    new Date(now.getTime() + EVALUATE_AFTER_IDLE_MS),
    session.id,
  ]);
}

/** Tells open consoles that a message was stored in this chat. */
export function announceMessage(events: EventBus, session: Pick<VisitorSession, 'id' | 'ticket'>, message: Pick<Message, 'id'>): void {
  events.emit('message.stored', { ticketId: session.ticket.id, messageId: message.id, sessionId: session.id });
}

/** What a message written on the hot path is built from: the values just stored, or a row. */
export interface MessageFields extends Partial<Omit<Message, 'ticket' | 'replyTo'>> {
  id: number;
  ticketId: number;
  author: Message['author'];
  body: string;
  replyToId?: number | null;
}

/**
 * A stored message as the chat's own code passes it on, built from the values written or
 * read without the unit of work: plain, never managed. Its ticket and `replyTo` carry the id only.
 */
export function messageOf({ ticketId, replyToId, ...fields }: MessageFields): Message {
  return Object.assign(new Message(), fields, {
    ticket: idOnly(new Ticket(), ticketId),
    replyTo: replyToId === null || replyToId === undefined ? null : idOnly(new Message(), replyToId),
  });
}

function idOnly<T extends { id: number }>(entity: T, id: number): T {
  entity.id = id;
  return entity;
}

/** The first line of the first message, shortened, names the chat ticket in the console. */
function subjectFrom(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
