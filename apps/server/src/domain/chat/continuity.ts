import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, ChatSessionKey, Message } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { Limits } from '../../lib/rate-limit.js';
import { hashVisitorToken } from './sessions.js';

/*
 * One conversation across devices. A verified customer (by code or signed identity) sees
 * the recent chats verified as the same address, wherever they were started, and can
 * continue one: this device gets a key of its own to that chat. An unverified visitor sees
 * only the chat this browser holds. Nobody ever sees a chat verified as another address.
 */

/** Chats listed at most. */
export const RECENT_CONVERSATIONS = 10;
const PREVIEW_LENGTH = 120;
const CONTINUES_PER_MINUTE = 10;

export interface ConversationSummary {
  sessionId: string;
  subject: string;
  /** The last message's first words, or null for a chat with none yet. */
  preview: string | null;
  lastActivityAt: Date;
  /** The chat this browser holds now. */
  current: boolean;
}

/** What continuity reads of the visitor's own session (the cached snapshot will do). */
type OwnSession = Pick<ChatSession, 'id' | 'verifiedEmail' | 'verifiedAt'>;

export async function listConversations(em: EntityManager, session: OwnSession): Promise<ConversationSummary[]> {
  const email = verifiedEmailOf(session);
  const sessions = await em.find(
    ChatSession,
    email ? { verifiedEmail: email, verifiedAt: { $ne: null } } : { id: session.id },
    { populate: ['ticket'], orderBy: { lastActivityAt: 'desc', id: 'desc' }, limit: RECENT_CONVERSATIONS },
  );
  const summaries: ConversationSummary[] = [];
  for (const chat of sessions) {
    const [last] = await em.find(
      Message,
      { ticket: chat.ticket.id, kind: { $ne: 'suppressed' } },
      { orderBy: { id: 'desc' }, limit: 1, fields: ['id', 'body'] },
    );
    summaries.push({
      sessionId: chat.id,
      subject: chat.ticket.subject,
      preview: last ? last.body.slice(0, PREVIEW_LENGTH) : null,
      lastActivityAt: chat.lastActivityAt,
      current: chat.id === session.id,
    });
  }
  return summaries;
}

/**
 * Gives this device a visitor token for `sessionId`, a chat verified as the same address as
 * this one. The chat's other devices keep theirs.
 */
export async function continueConversation(
  em: EntityManager,
  deps: { clock: Clock; limits: Limits },
  session: OwnSession,
  input: { sessionId: string },
): Promise<{ sessionId: string; visitorToken: string }> {
  const email = verifiedEmailOf(session);
  if (!email) throw new DomainError('FORBIDDEN', 'Verify your email address to continue a chat from another device.');
  // Each call stores a key: a few a minute is plenty for a person.
  const counted = await deps.limits.reserve(`chat-continue:${session.id}`, CONTINUES_PER_MINUTE, 60_000);
  if (!counted.allowed) {
    throw new DomainError('TOO_MANY_REQUESTS', `Too many chats opened. Try again in ${counted.retryAfterSeconds} s.`, counted.retryAfterSeconds);
  }
  const target = await em.findOne(ChatSession, { id: input.sessionId });
  // The same answer whether the chat does not exist or is someone else's.
  if (!target || verifiedEmailOf(target) !== email) {
    throw new DomainError('NOT_FOUND', 'That chat is not one of yours, or it no longer exists.');
  }
  if (target.id === session.id) throw new DomainError('BAD_REQUEST', 'This is already the chat you are in.');
  const visitorToken = randomBytes(32).toString('base64url');
  em.create(ChatSessionKey, { session: target, tokenHash: hashVisitorToken(visitorToken), createdAt: deps.clock.now() });
  await em.flush();
  return { sessionId: target.id, visitorToken };
}

function verifiedEmailOf(session: OwnSession): string | null {
  return session.verifiedEmail && session.verifiedAt ? session.verifiedEmail : null;
}
