import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, Message, Ticket } from '../db/entities/index.js';
import { ModelUnavailableError, type LanguageModel } from '../llm/model.js';
import type { Clock } from './clock.js';
import { DomainError } from './errors.js';
import type { EventBus } from './events.js';
import { buildChatPrompt, DEFAULT_MAX_HISTORY_MESSAGES } from './prompt.js';
import { RateLimiter, takeFromAll } from './rate-limit.js';
import { SentenceBuffer } from './sentences.js';

/** What the visitor reads when the model cannot answer; their message is kept either way. */
export const MODEL_UNAVAILABLE_REPLY =
  "I can't answer right now because our assistant is unavailable. Your message is saved — please try again in a moment.";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ChatServiceOptions {
  model: LanguageModel;
  clock: Clock;
  log: Logger;
  events: EventBus;
  /** Messages a chat session may send a minute. */
  sessionMessagesPerMinute: number;
  /** Messages (and new sessions) one client address may send a minute. */
  addressMessagesPerMinute: number;
}

export interface VisitorContext {
  session: ChatSession;
  clientAddress: string;
}

/**
 * The chat as the visitor lives it: sessions, messages and the AI's streamed replies.
 * Every method takes the request's EntityManager; the service itself holds no data but
 * the rate limiters and the replies being generated right now.
 */
export class ChatService {
  private readonly sessionLimiter: RateLimiter;
  private readonly addressLimiter: RateLimiter;
  /** Replies being generated, by visitor message id: a resend waits for the same one. */
  private readonly replying = new Map<number, Promise<Message | null>>();

  constructor(private readonly options: ChatServiceOptions) {
    this.sessionLimiter = new RateLimiter(options.sessionMessagesPerMinute, options.clock);
    this.addressLimiter = new RateLimiter(options.addressMessagesPerMinute, options.clock);
  }

  get model(): LanguageModel {
    return this.options.model;
  }

  /** Replies still streaming; shutdown waits for them. */
  get inFlight(): number {
    return this.replying.size;
  }

  async whenIdle(): Promise<void> {
    await Promise.allSettled([...this.replying.values()]);
  }

  /** Opens a chat session with its chat ticket. The token is returned once, never stored. */
  async startSession(
    em: EntityManager,
    input: { origin: string | null; locale?: string; clientAddress: string },
  ): Promise<{ session: ChatSession; visitorToken: string }> {
    this.throttle([[this.addressLimiter, `start:${input.clientAddress}`]]);
    const now = this.options.clock.now();
    const visitorToken = randomBytes(32).toString('base64url');
    const ticket = em.create(Ticket, {
      source: 'chat',
      subject: `Chat on ${siteNameOf(input.origin)}`,
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
  async authenticate(em: EntityManager, sessionId: string, visitorToken: string): Promise<ChatSession> {
    const session = await em.findOne(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    if (!session) throw new DomainError('NOT_FOUND', 'This chat no longer exists. Start a new chat.');
    const expected = Buffer.from(session.tokenHash, 'hex');
    const actual = Buffer.from(hashVisitorToken(visitorToken), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      throw new DomainError('UNAUTHORIZED', 'This chat belongs to another browser. Start a new chat.');
    }
    return session;
  }

  /**
   * Stores the visitor's message on the chat ticket before anything else happens, so a
   * model failure or a crash never loses it. A resend with the same clientMessageId returns
   * the stored message (and its reply, when there is one) instead of storing it again.
   */
  async acceptMessage(
    em: EntityManager,
    visitor: VisitorContext,
    input: { clientMessageId: string; text: string },
  ): Promise<{ message: Message; reply: Message | null; isNew: boolean }> {
    const { session } = visitor;
    const existing = await this.findByClientId(em, session, input.clientMessageId);
    if (existing) return { message: existing, reply: await this.findReply(em, existing), isNew: false };

    this.throttle([
      [this.sessionLimiter, session.id],
      [this.addressLimiter, visitor.clientAddress],
    ]);

    const isFirst = (await em.count(Message, { ticket: session.ticket, author: 'visitor' })) === 0;
    const now = this.options.clock.now();
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
    session.lastActivityAt = now;
    try {
      await em.flush();
    } catch (error) {
      // Two resends raced past the lookup: the unique (ticket, clientMessageId) index let
      // exactly one through. Return that one.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      em.clear();
      const stored = await this.findByClientId(em, session, input.clientMessageId);
      if (!stored) throw error;
      return { message: stored, reply: await this.findReply(em, stored), isNew: false };
    }
    this.announce(session, message);
    return { message, reply: null, isNew: true };
  }

  /**
   * Streams the AI's reply to a stored visitor message, sentence by sentence, and stores it.
   * Yields the released text; returns the stored reply (null when the visitor stopped it
   * before anything was said). When a reply for this message is already being generated, it
   * waits for that one instead of asking the model twice.
   */
  async *streamReply(
    em: EntityManager,
    session: ChatSession,
    visitorMessage: Message,
    signal?: AbortSignal,
  ): AsyncGenerator<string, Message | null> {
    const running = this.replying.get(visitorMessage.id);
    if (running) return await running;

    let settle!: (reply: Message | null) => void;
    this.replying.set(visitorMessage.id, new Promise((resolve) => (settle = resolve)));
    let reply: Message | null = null;
    const started = performance.now();
    let released = '';
    let failure: ModelUnavailableError | null = null;
    let finished = false;
    try {
      const history = await em.find(
        Message,
        { ticket: session.ticket, id: { $lt: visitorMessage.id } },
        { orderBy: { id: 'desc' }, limit: DEFAULT_MAX_HISTORY_MESSAGES },
      );
      const messages = buildChatPrompt({
        siteName: siteNameOf(session.origin),
        history: history.reverse(),
        message: visitorMessage.body,
      });
      const sentences = new SentenceBuffer();
      try {
        for await (const piece of this.options.model.streamChat({ messages, signal })) {
          for (const sentence of sentences.push(piece)) {
            released += sentence;
            yield sentence;
          }
        }
        const rest = sentences.flush();
        if (rest) {
          released += rest;
          yield rest;
        }
        if (!released.trim()) failure = new ModelUnavailableError('error', 'The model returned an empty answer.');
      } catch (error) {
        failure =
          error instanceof ModelUnavailableError
            ? error
            : new ModelUnavailableError('error', String(error), { cause: error });
      }
      finished = true;
    } finally {
      // Runs also when the visitor goes away mid-stream (the consumer stops iterating):
      // what was already said is stored, marked as interrupted.
      if (!finished) failure ??= new ModelUnavailableError('aborted', 'The visitor left.');
      try {
        reply = await this.storeReply(em, session, visitorMessage, {
          text: released.trim(),
          failure,
          latencyMs: Math.round(performance.now() - started),
        });
      } finally {
        this.replying.delete(visitorMessage.id);
        settle(reply);
      }
    }
    return reply;
  }

  /** The session's messages, oldest first; `afterId` resumes after the last one seen. */
  async history(em: EntityManager, session: ChatSession, afterId?: number): Promise<Message[]> {
    return em.find(
      Message,
      { ticket: session.ticket, kind: { $ne: 'suppressed' }, ...(afterId ? { id: { $gt: afterId } } : {}) },
      { orderBy: { id: 'asc' }, limit: 500 },
    );
  }

  private async storeReply(
    em: EntityManager,
    session: ChatSession,
    visitorMessage: Message,
    outcome: { text: string; failure: ModelUnavailableError | null; latencyMs: number },
  ): Promise<Message | null> {
    const { text, failure, latencyMs } = outcome;
    if (failure && failure.failure !== 'aborted') {
      this.options.log.warn('model unavailable', { failure: failure.failure, detail: failure.message, session: session.id });
    }
    if (!text && failure?.failure === 'aborted') return null;
    const now = this.options.clock.now();
    const reply = text
      ? em.create(Message, {
          ticket: session.ticket,
          author: 'ai',
          body: text,
          replyTo: visitorMessage,
          model: this.options.model.name,
          latencyMs,
          interrupted: failure !== null,
          createdAt: now,
        })
      : em.create(Message, {
          ticket: session.ticket,
          author: 'system',
          body: MODEL_UNAVAILABLE_REPLY,
          replyTo: visitorMessage,
          model: this.options.model.name,
          latencyMs,
          safetyVerdict: { modelFailure: failure?.failure ?? 'error' },
          createdAt: now,
        });
    session.lastActivityAt = now;
    await em.flush();
    this.announce(session, reply);
    return reply;
  }

  private announce(session: ChatSession, message: Message): void {
    this.options.events.emit('message.stored', { ticketId: session.ticket.id, messageId: message.id, sessionId: session.id });
  }

  private findByClientId(em: EntityManager, session: ChatSession, clientMessageId: string) {
    return em.findOne(Message, { ticket: session.ticket, clientMessageId });
  }

  private findReply(em: EntityManager, visitorMessage: Message) {
    return em.findOne(Message, { replyTo: visitorMessage, kind: { $ne: 'suppressed' } }, { orderBy: { id: 'asc' } });
  }

  private throttle(entries: Array<[RateLimiter, string]>): void {
    const decision = takeFromAll(entries);
    if (!decision.allowed) {
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        `You're sending messages too quickly. Try again in ${decision.retryAfterSeconds} s.`,
        decision.retryAfterSeconds,
      );
    }
  }
}

export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `https://shop.example.com` → `shop.example.com`; the assistant names the site it serves. */
export function siteNameOf(origin: string | null): string {
  if (!origin) return 'this website';
  try {
    return new URL(origin).hostname;
  } catch {
    return 'this website';
  }
}

/** The first line of the first message, shortened, names the chat ticket in the console. */
function subjectFrom(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
