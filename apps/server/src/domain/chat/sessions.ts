import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, ChatSessionKey, Ticket } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { LimitStore, LimitWindow } from '../../lib/rate-limit.js';
import { siteNameOf } from './site.js';

/**
 * How fast one chat and one client address may go: messages (and new chats) a minute,
 * counted in the shared LimitStore in one synchronous step, so parallel sends cannot overrun it.
 */
export class ChatLimits {
  constructor(
    private readonly limits: LimitStore,
    private readonly perMinute: { session: number; address: number },
  ) {}

  /** A new chat counts against the client address. Throws TOO_MANY_REQUESTS. */
  takeStart(clientAddress: string): { release(): void } {
    return this.take([{ key: `chat-start:${clientAddress}`, limit: this.perMinute.address, windowMs: 60_000 }]);
  }

  /**
   * A message counts against its chat and its client address. Throws TOO_MANY_REQUESTS.
   * Release the reservation when the message was not stored after all.
   */
  takeMessage(sessionId: string, clientAddress: string): { release(): void } {
    return this.take([
      { key: `chat-session:${sessionId}`, limit: this.perMinute.session, windowMs: 60_000 },
      { key: `chat-address:${clientAddress}`, limit: this.perMinute.address, windowMs: 60_000 },
    ]);
  }

  private take(windows: LimitWindow[]): { release(): void } {
    const decision = this.limits.reserveAll(windows);
    if (!decision.allowed) {
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        `You're sending messages too quickly. Try again in ${decision.retryAfterSeconds} s.`,
        decision.retryAfterSeconds,
      );
    }
    return decision;
  }
}

export interface ChatDeps {
  clock: Clock;
  chatLimits: ChatLimits;
}

/** Opens a chat session with its chat ticket. The token is returned once, never stored. */
export async function startSession(
  em: EntityManager,
  deps: ChatDeps,
  input: { origin: string | null; locale?: string; clientAddress: string },
): Promise<{ session: ChatSession; visitorToken: string }> {
  deps.chatLimits.takeStart(input.clientAddress);
  const now = deps.clock.now();
  const visitorToken = randomBytes(32).toString('base64url');
  const ticket = em.create(Ticket, {
    source: 'chat',
    subject: placeholderSubject(input.origin),
    createdAt: now,
    updatedAt: now,
  });
  const session = em.create(ChatSession, {
    id: `cs_${randomBytes(16).toString('base64url')}`,
    tokenHash: hashVisitorToken(visitorToken),
    origin: input.origin,
    locale: input.locale ?? null,
    clientAddress: input.clientAddress,
    ticket,
    createdAt: now,
    lastActivityAt: now,
  });
  await em.flush();
  return { session, visitorToken };
}

/** Finds the session a visitor credential names and proves the token is its own. */
export async function authenticateVisitor(em: EntityManager, sessionId: string, visitorToken: string): Promise<ChatSession> {
  const session = await em.findOne(ChatSession, { id: sessionId }, { populate: ['ticket'] });
  if (!session) throw new DomainError('NOT_FOUND', 'This chat no longer exists. Start a new chat.');
  const expected = Buffer.from(session.tokenHash, 'hex');
  const actual = Buffer.from(hashVisitorToken(visitorToken), 'hex');
  const own = expected.length === actual.length && timingSafeEqual(expected, actual);
  // A device that continued this chat holds a key of its own (chat/continuity.ts).
  if (!own && !(await em.count(ChatSessionKey, { session: session.id, tokenHash: actual.toString('hex') }))) {
    throw new DomainError('UNAUTHORIZED', 'This chat belongs to another browser. Start a new chat.');
  }
  return session;
}

export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A chat ticket's subject until the visitor's first message names it. */
export function placeholderSubject(origin: string | null): string {
  return `Chat on ${siteNameOf(origin)}`;
}
