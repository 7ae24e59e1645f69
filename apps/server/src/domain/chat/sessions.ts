import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import { databaseCaches, json, readDateOrNull, statements, transaction } from '../../db/sql.js';
import { ChatSessionKey } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { fill, textsFor } from '../../lib/i18n/index.js';
import type { Limits, LimitWindow } from '../../lib/rate-limit.js';
import { siteNameOf } from './site.js';

/**
 * How fast one chat and one client address may go: messages (and new chats) a minute,
 * counted in the shared Limits with check and count in one step, so parallel sends cannot overrun it.
 */
export class ChatLimits {
  constructor(
    private readonly limits: Limits,
    private readonly perMinute: { session: number; address: number },
  ) {}

  /** A new chat counts against the client address. Throws TOO_MANY_REQUESTS. */
  takeStart(clientAddress: string): Promise<Counted> {
    return this.take(null, [{ key: `chat-start:${clientAddress}`, limit: this.perMinute.address, windowMs: 60_000 }]);
  }

  /**
   * A message counts against its chat and its client address. Throws TOO_MANY_REQUESTS.
   * Release the reservation when the message was not stored after all.
   */
  takeMessage(sessionId: string, clientAddress: string, locale?: string | null): Promise<Counted> {
    return this.take(locale, [
      { key: `chat-session:${sessionId}`, limit: this.perMinute.session, windowMs: 60_000 },
      { key: `chat-address:${clientAddress}`, limit: this.perMinute.address, windowMs: 60_000 },
    ]);
  }

  /** `locale`: the chat's, for the refusal's wording. */
  private async take(locale: string | null | undefined, windows: LimitWindow[]): Promise<Counted> {
    const decision = await this.limits.reserveAll(windows);
    if (!decision.allowed) {
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        fill(textsFor(locale).errors.tooFast, { s: decision.retryAfterSeconds }),
        decision.retryAfterSeconds,
      );
    }
    return decision;
  }
}

/** A count taken; given back when the counted work did not happen. */
export type Counted = { release(): void | Promise<void> };

export interface ChatDeps {
  clock: Clock;
  chatLimits: ChatLimits;
}

/**
 * A chat session as its visitor's requests need it. Read once per process and cached
 * (sessionCacheKey): only verification changes it, and invalidates it when it does. Code
 * that changes a session loads the entity instead.
 */
export interface VisitorSession {
  readonly id: string;
  readonly ticket: { readonly id: number };
  readonly origin: string | null;
  readonly locale: string | null;
  readonly verifiedEmail: string | null;
  readonly verifiedAt: Date | null;
}

interface CachedSession {
  session: VisitorSession;
  tokenHash: string;
}

export function sessionCacheKey(sessionId: string): string {
  return `chat-session:${sessionId}`;
}

/**
 * Until invalidations reach every server process, a session verified through another one is
 * seen here within this time (meanwhile the chat goes on as unverified: less data, not more).
 */
const SESSION_MAX_AGE_MS = 60_000;

/**
 * Opens a chat session with its chat ticket, in one transaction. The token is returned once,
 * never stored; the session goes into the cache, since its first message follows at once.
 */
export async function startSession(
  em: EntityManager,
  deps: ChatDeps,
  input: { origin: string | null; locale?: string; clientAddress: string },
): Promise<{ session: VisitorSession; visitorToken: string }> {
  await deps.chatLimits.takeStart(input.clientAddress);
  const now = deps.clock.now();
  const visitorToken = randomBytes(32).toString('base64url');
  const id = `cs_${randomBytes(16).toString('base64url')}`;
  const tokenHash = hashVisitorToken(visitorToken);
  const locale = input.locale ?? null;
  const ticketId = await transaction(em, async (sql) => {
    const ticket = await sql.one<{ id: number }>(
      'insert into ticket (source, status, subject, priority, tags, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?) returning id',
      ['chat', 'open', placeholderSubject(input.origin), 'normal', json([]), now, now],
    );
    await sql.run(
      'insert into chat_session (id, token_hash, origin, locale, client_address, ticket_id, created_at, last_activity_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, tokenHash, input.origin, locale, input.clientAddress, ticket!.id, now, now],
    );
    return Number(ticket!.id);
  });
  const session = visitorSession({ id, ticketId, origin: input.origin, locale, verifiedEmail: null, verifiedAt: null });
  databaseCaches(em).set<CachedSession>(sessionCacheKey(id), { session, tokenHash });
  return { session, visitorToken };
}

/**
 * Finds the session a visitor credential names and proves the token is its own. The row is
 * read once per process; the token is checked on every call.
 */
export async function authenticateVisitor(em: EntityManager, sessionId: string, visitorToken: string): Promise<VisitorSession> {
  // An unknown id is not cached (the load throws): another process may open it a moment later.
  const found = await databaseCaches(em).get(sessionCacheKey(sessionId), () => loadSession(em, sessionId), { maxAgeMs: SESSION_MAX_AGE_MS });
  const expected = Buffer.from(found.tokenHash, 'hex');
  const actual = Buffer.from(hashVisitorToken(visitorToken), 'hex');
  const own = expected.length === actual.length && timingSafeEqual(expected, actual);
  // A device that continued this chat holds a key of its own (chat/continuity.ts).
  if (!own && !(await em.count(ChatSessionKey, { session: sessionId, tokenHash: actual.toString('hex') }))) {
    throw new DomainError('UNAUTHORIZED', 'This chat belongs to another browser. Start a new chat.');
  }
  return found.session;
}

async function loadSession(em: EntityManager, sessionId: string): Promise<CachedSession> {
  const row = await statements(em).one<Record<string, unknown>>(
    'select id, token_hash, origin, locale, verified_email, verified_at, ticket_id from chat_session where id = ?',
    [sessionId],
  );
  if (!row) throw new DomainError('NOT_FOUND', 'This chat no longer exists. Start a new chat.');
  return {
    tokenHash: String(row.token_hash),
    session: visitorSession({
      id: String(row.id),
      ticketId: Number(row.ticket_id),
      origin: (row.origin as string | null) ?? null,
      locale: (row.locale as string | null) ?? null,
      verifiedEmail: (row.verified_email as string | null) ?? null,
      verifiedAt: readDateOrNull(row.verified_at),
    }),
  };
}

function visitorSession(fields: Omit<VisitorSession, 'ticket'> & { ticketId: number }): VisitorSession {
  const { ticketId, ...rest } = fields;
  // Shared by every request of this chat: nobody may change it in place.
  return Object.freeze({ ...rest, ticket: Object.freeze({ id: ticketId }) });
}

export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A chat ticket's subject until the visitor's first message names it. */
export function placeholderSubject(origin: string | null): string {
  return `Chat on ${siteNameOf(origin)}`;
}
