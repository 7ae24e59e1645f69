import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, Message, Ticket } from '../db/entities/index.js';
import type { EscalationReason } from '@ticket0/contracts';
import { ModelUnavailableError, type LanguageModel } from '../llm/model.js';
import type { Clock } from './clock.js';
import { DomainError } from './errors.js';
import { offerText } from './escalation.js';
import { fill, textsFor } from '../lib/i18n/index.js';
import { detectEscalation } from './escalation-rules.js';
import { judge } from './judgement.js';
import type { PassageHit } from './knowledge.js';
import { ReplyGate } from './reply-gate.js';
import { buildReplyContext } from './reply-context.js';
import { siteNameOf } from './site.js';
import type { EventBus } from './events.js';
import { RateLimiter, takeFromAll } from './rate-limit.js';
import { SentenceBuffer } from './sentences.js';


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
  /** Hosts replies may link to besides the site itself (the chat server, allowed origins). */
  linkHosts?: string[];
  /** A chat is due for quality evaluation once it has been quiet this long. */
  evaluateAfterIdleMs?: number;
}

/** How long a chat must be quiet before quality monitoring judges it. */
export const EVALUATE_AFTER_IDLE_MS = 15 * 60_000;

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

    // The first message names the chat ticket in the console.
    const isFirst = session.ticket.subject === placeholderSubject(session.origin);
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
    this.touch(session, now);
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
   * Answers a stored visitor message. Rules first (a human is needed: offer escalation, no
   * model asked); then, when the site has a knowledge base and nothing in it matches, an
   * honest "I don't know" with an offer; then the model's own judgement; then the reply,
   * streamed sentence by sentence, each sentence checked by the safety rules before it is
   * released. Yields the released text; returns the stored reply or escalation offer (null
   * when the visitor stopped it before anything was said). When a reply for this message is
   * already being generated, it waits for that one instead of asking the model twice.
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
    const outcome: ReplyOutcome = { text: '', failure: null, offer: null, confidence: null, citations: [], suppressed: null, excerpt: null };
    let finished = false;
    try {
      const context = await buildReplyContext(em, session, visitorMessage, { linkHosts: this.options.linkHosts ?? [] });
      outcome.offer = detectEscalation(visitorMessage.body)?.reason ?? null;
      if (!outcome.offer && context.passages?.length === 0 && !context.customer && !isSmallTalk(visitorMessage.body)) {
        outcome.offer = 'ai_uncertain'; // nothing in the knowledge base supports an answer
      }
      if (!outcome.offer) {
        const gate = new ReplyGate(context);
        const stop = new AbortController();
        const streamSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
        // The model's judgement runs beside the reply, so it adds no wait of its own; the
        // reply's sentences are held back until the judgement says the assistant may answer.
        // Set from the judgement's callbacks, hence the widened type.
        let judged = 'pending' as 'pending' | 'answer' | 'escalate' | 'failed';
        const judging = judge(this.options.model, context.messages, streamSignal).then(
          (judgement) => {
            outcome.confidence = judgement.confidence;
            judged = judgement.verdict;
            if (judgement.verdict === 'escalate') {
              outcome.offer = judgement.reason;
              stop.abort();
            }
          },
          (error: unknown) => {
            judged = 'failed';
            outcome.failure = asModelFailure(error);
            stop.abort();
          },
        );
        const buffer = new SentenceBuffer();
        const held: string[] = [];
        let generated = '';
        const check = (sentence: string): string | null => {
          const checked = gate.admit(sentence);
          if (!checked.safe) {
            outcome.suppressed = { text: generated + sentence, rule: checked.rule, reason: checked.reason, wholeReply: false };
            stop.abort();
            return null;
          }
          generated += checked.text;
          return checked.text;
        };
        try {
          stream: for await (const piece of this.options.model.streamChat({ messages: context.messages, signal: streamSignal })) {
            for (const sentence of buffer.push(piece)) {
              const text = check(sentence);
              if (text === null) break stream;
              if (!text) continue;
              held.push(text);
              if (judged === 'pending') continue;
              if (judged !== 'answer') break stream;
              for (const release of held.splice(0)) {
                outcome.text += release;
                yield release;
              }
            }
          }
          const rest = outcome.suppressed ? null : buffer.flush();
          if (rest) {
            const text = check(rest);
            if (text) held.push(text);
          }
        } catch (error) {
          if (!outcome.suppressed && judged !== 'failed' && judged !== 'escalate') outcome.failure = asModelFailure(error);
        }
        await judging;
        if (judged === 'answer') {
          for (const release of held.splice(0)) {
            outcome.text += release;
            yield release;
          }
          if (!outcome.suppressed && outcome.text) {
            const whole = gate.finish(outcome.text);
            if (!whole.safe) outcome.suppressed = { text: outcome.text, rule: whole.rule, reason: whole.reason, wholeReply: true };
          }
          if (!outcome.text.trim() && !outcome.suppressed && !outcome.failure) {
            outcome.failure = new ModelUnavailableError('error', 'The model returned an empty answer.');
          }
          outcome.citations = gate.citations(outcome.text);
        } else if (judged === 'escalate') {
          outcome.suppressed = null; // nothing was said: the judge's offer stands on its own
        }
      }
      if (outcome.failure && outcome.failure.failure !== 'aborted' && !outcome.text.trim()) {
        // No model: the best passage still helps, clearly labelled as an article excerpt.
        outcome.excerpt = context.passages?.[0] ?? null;
      }
      finished = true;
    } finally {
      // Runs also when the visitor goes away mid-stream (the consumer stops iterating):
      // what was already said is stored, marked as interrupted.
      if (!finished) outcome.failure ??= new ModelUnavailableError('aborted', 'The visitor left.');
      try {
        reply = await this.storeReply(em, session, visitorMessage, outcome, Math.round(performance.now() - started));
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

  /**
   * Stores how the assistant answered: the reply text (marked interrupted when cut short),
   * or an escalation offer — the rules', the judge's, `ai_unavailable` when the model said
   * nothing (with the best article excerpt when there is one), or `unsafe_output` when the
   * safety rules held text back. Held-back text is kept for operators as a `suppressed`
   * message and never sent. Nothing is stored when the visitor stopped before anything was
   * said.
   */
  private async storeReply(
    em: EntityManager,
    session: ChatSession,
    visitorMessage: Message,
    outcome: ReplyOutcome,
    latencyMs: number,
  ): Promise<Message | null> {
    const { failure, confidence, suppressed } = outcome;
    if (failure && failure.failure !== 'aborted') {
      this.options.log.warn('model unavailable', { failure: failure.failure, detail: failure.message, session: session.id });
    }
    // Text already released stays a reply, unless the whole-reply check held it back.
    const text = suppressed?.wholeReply ? '' : outcome.text.trim();
    if (!text && !outcome.offer && !suppressed && failure?.failure === 'aborted') return null;
    const now = this.options.clock.now();
    const base = { ticket: session.ticket, author: 'ai' as const, replyTo: visitorMessage, latencyMs, confidence, createdAt: now };
    const model = this.options.model.name;

    // In the order things happened: what was said, what was held back, the offer.
    let reply: Message | null = null;
    if (text) {
      reply = em.create(Message, {
        ...base,
        body: text,
        model,
        citations: outcome.citations,
        interrupted: failure !== null || (suppressed !== null && !suppressed.wholeReply),
      });
    }
    if (suppressed) {
      em.create(Message, {
        ...base,
        kind: 'suppressed',
        body: suppressed.text,
        model,
        safetyVerdict: { rules: [suppressed.rule], note: suppressed.reason },
      });
      this.options.log.warn('reply held back by the safety rules', { rule: suppressed.rule, session: session.id });
    }
    const offer: EscalationReason | null = suppressed ? 'unsafe_output' : text ? null : (outcome.offer ?? 'ai_unavailable');
    if (offer) {
      const excerpt = offer === 'ai_unavailable' ? outcome.excerpt : null;
      reply = em.create(Message, {
        ...base,
        kind: 'escalation_offer',
        body: excerpt ? excerptOfferText(excerpt, session.locale) : offerText(offer, session.locale),
        escalationReason: offer,
        offerStatus: 'pending',
        citations: excerpt ? [excerpt.articleId] : [],
        model: outcome.offer || suppressed ? model : null,
        safetyVerdict: failure && !suppressed ? { modelFailure: failure.failure } : null,
      });
    }
    this.touch(session, now);
    await em.flush();
    this.announce(session, reply!);
    return reply;
  }

  /**
   * Marks activity, in the same write as the message: the chat becomes due for quality
   * evaluation once it has been quiet for a while (the schedule lives in the database).
   */
  private touch(session: ChatSession, now: Date): void {
    session.lastActivityAt = now;
    session.evaluationDueAt = new Date(now.getTime() + (this.options.evaluateAfterIdleMs ?? EVALUATE_AFTER_IDLE_MS));
  }

  private announce(session: ChatSession, message: Message): void {
    this.options.events.emit('message.stored', { ticketId: session.ticket.id, messageId: message.id, sessionId: session.id });
  }

  private findByClientId(em: EntityManager, session: ChatSession, clientMessageId: string) {
    return em.findOne(Message, { ticket: session.ticket, clientMessageId });
  }

  private findReply(em: EntityManager, visitorMessage: Message) {
    // The last one: after a safety hold-back the released text comes first, then the offer.
    return em.findOne(Message, { replyTo: visitorMessage, kind: { $ne: 'suppressed' } }, { orderBy: { id: 'desc' } });
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

interface ReplyOutcome {
  /** What was released to the visitor so far (citation markers removed). */
  text: string;
  failure: ModelUnavailableError | null;
  /** Set when a human is needed instead of a reply. */
  offer: EscalationReason | null;
  confidence: number | null;
  /** Knowledge-base article ids the reply cites. */
  citations: number[];
  /** Text a safety rule held back; `wholeReply` when only the final whole check caught it. */
  suppressed: { text: string; rule: string; reason: string; wholeReply: boolean } | null;
  /** The best passage, shown when the model could not answer. */
  excerpt: PassageHit | null;
}

const SMALL_TALK =
  /^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|thanks?( you)?( so much| a lot)?|thx|cheers|ok(ay)?|cool|great|perfect|bye|goodbye|see you|yes|no|sure|bonjour|merci|hallo|danke|hola|gracias)\b[\s!.?,:)(]*$/i;

/** Greetings and thanks need no knowledge base to answer. */
export function isSmallTalk(text: string): boolean {
  return SMALL_TALK.test(text.trim());
}

const EXCERPT_CHARS = 400;

/** The no-model answer: the best article excerpt, labelled as such, and the offer. */
export function excerptOfferText(passage: PassageHit, locale?: string | null): string {
  const excerpt = passage.text.replace(/\s+/g, ' ').trim();
  const clipped = excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS - 1)}…` : excerpt;
  const t = textsFor(locale);
  return `${t.offer.ai_unavailable} ${fill(t.excerptIntro, { title: passage.title })}\n\n${clipped}\n\n${t.offerQuestion}`;
}

function asModelFailure(error: unknown): ModelUnavailableError {
  return error instanceof ModelUnavailableError ? error : new ModelUnavailableError('error', String(error), { cause: error });
}

export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export { siteNameOf } from './site.js';

/** A chat ticket's subject until the visitor's first message names it. */
function placeholderSubject(origin: string | null): string {
  return `Chat on ${siteNameOf(origin)}`;
}

/** The first line of the first message, shortened, names the chat ticket in the console. */
function subjectFrom(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
