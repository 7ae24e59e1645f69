import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import { Message, type ChatSession } from '../../db/entities/index.js';
import type { EventBus } from '../../lib/events.js';
import { placeholderSubject, type ChatDeps } from './sessions.js';

/** How long a chat must be quiet before quality monitoring judges it. */
export const EVALUATE_AFTER_IDLE_MS = 15 * 60_000;

export interface VisitorContext {
  session: ChatSession;
  clientAddress: string;
}

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
): Promise<{ message: Message; reply: Message | null; isNew: boolean }> {
  const resent = await findResent(em, visitor.session, input.clientMessageId);
  if (resent) return resent;
  return commitMessage(em, deps, visitor.session, createMessage(em, deps, visitor, input));
}

/** The message sent before with this clientMessageId, and its reply when there is one. */
export async function findResent(
  em: EntityManager,
  session: ChatSession,
  clientMessageId: string,
): Promise<{ message: Message; reply: Message | null; isNew: false } | null> {
  const existing = await findByClientId(em, session, clientMessageId);
  return existing ? { message: existing, reply: await findReply(em, existing), isNew: false } : null;
}

/**
 * A new visitor message, counted against the rate limits (TOO_MANY_REQUESTS) and ready to
 * be written with the next flush (commitMessage). Nothing is awaited: the caller may start
 * on the reply meanwhile.
 */
export function createMessage(
  em: EntityManager,
  deps: ChatDeps,
  visitor: VisitorContext,
  input: { clientMessageId: string; text: string },
): { message: Message; counted: Counted } {
  const { session } = visitor;
  const counted = deps.chatLimits.takeMessage(session.id, visitor.clientAddress, session.locale);

  // The first message names the chat ticket in the console.
  const isFirst = session.ticket.subject === placeholderSubject(session.origin);
  const now = deps.clock.now();
  const message = em.create(Message, {
    ticket: session.ticket,
    author: 'visitor',
    body: input.text,
    clientMessageId: input.clientMessageId,
    createdAt: now,
  });
  if (isFirst) session.ticket.subject = subjectFrom(input.text);
  session.ticket.status = 'open';
  session.ticket.updatedAt = now;
  touchSession(session, now);
  return { message, counted };
}

/** The rate-limit count a new message took; given back when the message is not stored. */
type Counted = { release(): void };

/** Writes a message from createMessage; when a racing resend got there first, returns that one. */
export async function commitMessage(
  em: EntityManager,
  deps: { events: EventBus },
  session: ChatSession,
  { message, counted }: { message: Message; counted: Counted },
): Promise<{ message: Message; reply: Message | null; isNew: boolean }> {
  try {
    await em.flush();
  } catch (error) {
    // Not stored (or stored by a racing resend): this one does not count.
    counted.release();
    // Two resends raced past the lookup: the unique (ticket, clientMessageId) index let
    // exactly one through. Return that one.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    em.clear();
    const stored = await findByClientId(em, session, message.clientMessageId!);
    if (!stored) throw error;
    return { message: stored, reply: await findReply(em, stored), isNew: false };
  }
  announceMessage(deps.events, session, message);
  return { message, reply: null, isNew: true };
}

/** The session's messages, oldest first; `afterId` resumes after the last one seen. */
export async function chatHistory(em: EntityManager, session: ChatSession, afterId?: number): Promise<Message[]> {
  return em.find(
    Message,
    { ticket: session.ticket, kind: { $ne: 'suppressed' }, ...(afterId ? { id: { $gt: afterId } } : {}) },
    { orderBy: { id: 'asc' }, limit: 500 },
  );
}

/**
 * Marks activity, in the same write as the message: the chat becomes due for quality
 * evaluation once it has been quiet for a while (the schedule lives in the database).
 */
export function touchSession(session: ChatSession, now: Date): void {
  session.lastActivityAt = now;
  session.evaluationDueAt = new Date(now.getTime() + EVALUATE_AFTER_IDLE_MS);
}

/** Tells open consoles that a message was stored in this chat. */
export function announceMessage(events: EventBus, session: ChatSession, message: Message): void {
  events.emit('message.stored', { ticketId: session.ticket.id, messageId: message.id, sessionId: session.id });
}

function findByClientId(em: EntityManager, session: ChatSession, clientMessageId: string) {
  return em.findOne(Message, { ticket: session.ticket, clientMessageId });
}

function findReply(em: EntityManager, visitorMessage: Message) {
  // The last one: after a safety hold-back the released text comes first, then the offer.
  return em.findOne(Message, { replyTo: visitorMessage, kind: { $ne: 'suppressed' } }, { orderBy: { id: 'desc' } });
}

/** The first line of the first message, shortened, names the chat ticket in the console. */
function subjectFrom(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
