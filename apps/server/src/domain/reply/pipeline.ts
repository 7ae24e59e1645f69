import type { EntityManager } from '@mikro-orm/sqlite';
import type { EscalationReason } from '@ticket0/contracts';
import type { Message } from '../../db/entities/index.js';
import { ModelUnavailableError, type LanguageModel } from '../../llm/model.js';
import type { EventBus } from '../../lib/events.js';
import { commitMessage, createOrFindResent, findReply, findResent, type VisitorContext } from '../chat/messages.js';
import type { ChatDeps, VisitorSession } from '../chat/sessions.js';
import { detectEscalation, type EscalationTrigger } from '../escalation/detect.js';
import { detectSmallTalk, type SmallTalk } from '../escalation/small-talk.js';
import { searchPassages } from '../knowledge/search.js';
import { relevantLessons } from '../quality/lessons.js';
import { buildReplyContext, PASSAGES_PER_REPLY, type ReplyContext } from './context.js';
import { ReplyGate } from './gate.js';
import type { RepliesInFlight } from './in-flight.js';
import { asModelFailure, REPLY_FORMAT, ReplyReader, type Judgement } from './judgement.js';
import { buildPrompt, lessonsSection, systemPrompt } from './prompt.js';
import { safetyRules, type SafetyContext } from './safety/safety.js';
import { SentenceBuffer } from './sentences.js';
import { newOutcome, storeReply, type ReplyOutcome, type StoreDeps } from './store.js';

/*
 * The reply pipeline: what happens to a visitor's message, in order.
 *
 *   1. gather the context        buildReplyContext: history, knowledge-base passages, the
 *                                verified customer's data, lessons (context.ts) — reads only
 *   2. store the message,        acceptAndReply: the message is written (chat/messages.ts)
 *      and ask the model         while the model is already being asked, so the write costs
 *                                the visitor no time; nothing is released before it is stored.
 *                                A resend is told apart by the history just read, else by the
 *                                unique (ticket, clientMessageId) index when it is written
 *   3. the rules decide first    decideByRules: a person is needed, or nothing in the
 *                                knowledge base supports an answer → an offer, no model asked
 *   4. judge, and stream         judgeAndStream: one model call whose structured output
 *                                is the judgement, then the answer; each sentence of the
 *                                answer passes the gate (safety rules) and is released once
 *                                the judgement says the assistant may answer
 *   5. fall back                 withExcerpt: no model, no words → the best passage
 *   6. store the result          storeReply: the reply, what was held back, or an offer (store.ts)
 */

export interface ReplyDeps extends StoreDeps {
  model: LanguageModel;
  replies: RepliesInFlight;
  /** Hosts replies may link to besides the site itself (the chat server, allowed origins). */
  linkHosts: string[];
}

export type SendEvent = { type: 'accepted'; message: Message } | { type: 'delta'; text: string };

/**
 * Steps 1–6 for a message the visitor sends: yields `accepted` once the message is stored,
 * then the released text sentence by sentence; returns the stored reply or offer. A resend
 * of a stored message (same clientMessageId) is not stored again: it gets the reply there
 * is, or the one being written, or a new one.
 */
export async function* acceptAndReply(
  em: EntityManager,
  deps: ReplyDeps & ChatDeps & { events: EventBus },
  visitor: VisitorContext,
  input: { clientMessageId: string; text: string },
  signal?: AbortSignal,
): AsyncGenerator<SendEvent, Message | null> {
  const arrival = deps.replies.arrive(visitor.session.id, input.clientMessageId);
  let accepted: Awaited<ReturnType<typeof commitMessage>> | null = null;
  let reply: BegunReply | null = null;
  try {
    if ('earlier' in arrival) {
      await arrival.earlier; // a racing resend in this process: it is stored by now
      accepted = await findResent(em, visitor.session, input.clientMessageId);
    }
    if (!accepted) {
      const started = performance.now();
      const early = decideEarly(input.text, visitor.session.locale);
      // A rule or small talk needs no context: no knowledge-base lookup, no model.
      const context = early.decided
        ? null
        : await buildReplyContext(em, visitor.session, { body: input.text }, { linkHosts: deps.linkHosts, clientMessageId: input.clientMessageId });
      // The history shows it stored already: a resend, and no model is asked.
      if (context?.sentBefore) accepted = await findResent(em, visitor.session, input.clientMessageId);
      // The rate limits, before the model is asked (a resend over them gets what was stored).
      const created = accepted ?? (await createOrFindResent(em, deps, visitor, input));
      if ('counted' in created) {
        created.message.promptContext = context?.promptContext ?? null;
        reply = beginReply(deps.model, early, context, started, signal);
        // Inserted first: a resend the history did not show is refused by the unique index.
        accepted = await commitMessage(em, deps, visitor.session, created);
      } else {
        accepted = created;
      }
    }
  } catch (error) {
    await reply?.cancel();
    throw error;
  } finally {
    if ('stored' in arrival) arrival.stored();
  }
  let handedOver = false;
  try {
    yield { type: 'accepted', message: accepted.message };
    if (!accepted.isNew) {
      // Sent before (or stored first by a request in another process): that reply stands.
      await reply?.cancel();
      return accepted.reply ?? (yield* released(replyToMessage(em, deps, visitor.session, accepted.message, signal)));
    }
    handedOver = true;
    return yield* released(replyToMessage(em, deps, visitor.session, accepted.message, signal, reply ?? undefined));
  } finally {
    // The visitor left as soon as the message was stored: nobody will read the reply.
    if (!handedOver) await reply?.cancel();
  }
}

/** The reply's text as send events. */
async function* released(reply: AsyncGenerator<string, Message | null>): AsyncGenerator<SendEvent, Message | null> {
  for (;;) {
    const next = await reply.next();
    if (next.done) return next.value;
    yield { type: 'delta', text: next.value };
  }
}

/** A reply begun before its message was written: the rules' decision and the model call under way. */
interface BegunReply {
  /** Null when the rules or small talk decided before any context was gathered. */
  context: ReplyContext | null;
  outcome: ReplyOutcome;
  /** The model's reply, already asked for; null when the rules decided. */
  stream: AsyncGenerator<string, void> | null;
  started: number;
  /** Stops the model and waits until the call has ended. */
  cancel(): Promise<void>;
}

function beginReply(model: LanguageModel, early: EarlyDecision, context: ReplyContext | null, started: number, signal?: AbortSignal): BegunReply {
  const outcome = newOutcome();
  const stop = new AbortController();
  const stream = decide(outcome, early, context, (ready) =>
    eager(judgeAndStream(model, ready, outcome, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal)),
  );
  return {
    context,
    outcome,
    stream,
    started,
    async cancel() {
      stop.abort();
      await stream?.return();
    },
  };
}

/**
 * Starts a generator at once (here: sends the model request) rather than on its first
 * `next()`, and hands out what it yields from the start.
 */
function eager<T>(generator: AsyncGenerator<T, void>): AsyncGenerator<T, void> {
  const first = generator.next();
  first.catch(() => {}); // seen by whoever reads it; a cancelled reply is never read
  let begun = false;
  const wrapped = (async function* () {
    begun = true;
    try {
      for (let step = await first; !step.done; step = await generator.next()) yield step.value;
    } finally {
      await generator.return();
    }
  })();
  // Returning before the first read must still end the inner generator.
  const ret = wrapped.return.bind(wrapped);
  wrapped.return = async (value) => {
    if (!begun) {
      await first.catch(() => undefined);
      await generator.return();
    }
    return ret(value);
  };
  return wrapped;
}

/**
 * Answers a stored visitor message. Yields the text released to the visitor, sentence by
 * sentence; returns the stored reply or escalation offer (null when the visitor stopped it
 * before anything was said). When a reply to this message is already being written, waits
 * for that one instead of asking the model twice. `begun`: the context was gathered and
 * the model asked before the message was written (acceptAndReply).
 */
export async function* replyToMessage(
  em: EntityManager,
  deps: ReplyDeps,
  session: VisitorSession,
  message: Message,
  signal?: AbortSignal,
  begun?: BegunReply,
): AsyncGenerator<string, Message | null> {
  const running = deps.replies.get(message.id);
  if (running) {
    await begun?.cancel();
    return await running;
  }
  const settle = deps.replies.begin(message.id);
  let claim: Awaited<ReturnType<RepliesInFlight['claim']>>;
  try {
    // Another process may be writing this reply (a resend that reached a second server).
    claim = await deps.replies.claim(message.id, () => findReply(em, message), { fresh: !!begun, signal });
  } catch (error) {
    settle(null);
    await begun?.cancel();
    throw error;
  }
  if ('elsewhere' in claim) {
    settle(claim.elsewhere);
    await begun?.cancel();
    return claim.elsewhere;
  }
  const started = begun?.started ?? performance.now();
  const outcome = begun?.outcome ?? newOutcome();
  let finished = false;
  let reply: Message | null = null;
  try {
    let context: ReplyContext | null;
    let stream: AsyncGenerator<string, void> | null;
    if (begun) {
      ({ context, stream } = begun);
    } else {
      const early = decideEarly(message.body, session.locale);
      context = early.decided ? null : await buildReplyContext(em, session, message, { linkHosts: deps.linkHosts });
      if (context) message.promptContext = context.promptContext;
      stream = decide(outcome, early, context, (ready) => judgeAndStream(deps.model, ready, outcome, signal));
    }
    if (stream) yield* stream;
    outcome.excerpt = context ? withExcerpt(outcome, context) : null;
    finished = true;
  } finally {
    // Also when the visitor goes away mid-stream (the consumer stops iterating): what was
    // already said is stored, marked as interrupted.
    if (!finished) {
      await begun?.stream?.return();
      outcome.failure ??= new ModelUnavailableError('aborted', 'The visitor left.');
    }
    try {
      reply = await storeReply(em, deps, session, message, outcome, Math.round(performance.now() - started), begun ? undefined : (message.promptContext ?? undefined));
    } finally {
      settle(reply);
      // After the reply is stored: a process waiting for it finds it once the lease is gone.
      await claim.lease?.release().catch(() => undefined);
    }
  }
  return reply;
}

/** What the rules and small talk say before any context is gathered. */
interface EarlyDecision {
  /** A person is needed: the rule that fired and the language it read. */
  trigger: EscalationTrigger | null;
  smallTalk: SmallTalk | null;
  /** Nothing more is needed to answer: a rule's offer, or a kind small-talk reply. */
  decided: boolean;
}

function decideEarly(text: string, locale: string | null): EarlyDecision {
  const trigger = detectEscalation(text, { locale });
  const smallTalk = trigger ? null : detectSmallTalk(text, { locale });
  return { trigger, smallTalk, decided: !!trigger || !!smallTalk?.reply };
}

/**
 * Step 3, applied: a rule's offer; a greeting, thanks or goodbye answered kindly in the
 * visitor's language (no knowledge base, no model, no offer); an honest "I don't know" when
 * nothing supports an answer; else the model's stream, from `ask`.
 */
function decide(
  outcome: ReplyOutcome,
  early: EarlyDecision,
  context: ReplyContext | null,
  ask: (context: ReplyContext) => AsyncGenerator<string, void>,
): AsyncGenerator<string, void> | null {
  if (early.trigger) {
    outcome.offer = early.trigger.reason;
    outcome.rule = { id: early.trigger.rule, language: early.trigger.language };
    return null;
  }
  const kindReply = early.smallTalk?.reply;
  if (kindReply) {
    outcome.canned = true;
    return (async function* () {
      outcome.text = kindReply;
      yield kindReply;
    })();
  }
  if (!context) return null;
  // An acknowledgement ("ok") still goes to the model, but never earns an "I don't know".
  outcome.offer = !early.smallTalk && nothingSupports(context) ? 'ai_uncertain' : null;
  return outcome.offer ? null : ask(context);
}

/**
 * Step 3. The rules, before any model: a message that needs a person (escalation/detect.ts)
 * gets that offer; when the site has a knowledge base and nothing in it matches (and the
 * visitor is neither verified nor making small talk), an honest "I don't know" with an
 * offer. Null: the model may try.
 */
export function decideByRules(
  text: string,
  context: Pick<ReplyContext, 'passages' | 'customer'>,
  locale?: string | null,
): EscalationReason | null {
  const rule = detectEscalation(text, { locale });
  if (rule) return rule.reason;
  return nothingSupports(context) && !isSmallTalk(text, locale) ? 'ai_uncertain' : null;
}

/** The site has a knowledge base, nothing in it matches, and no verified customer's data either. */
function nothingSupports(context: Pick<ReplyContext, 'passages' | 'customer'>): boolean {
  return context.passages?.length === 0 && !context.customer;
}

/** Greetings, thanks, goodbyes and acknowledgements need no knowledge base to answer. */
export function isSmallTalk(text: string, locale?: string | null): boolean {
  return detectSmallTalk(text, { locale }) !== null;
}

/**
 * Step 4. One model call: the model's judgement and its answer in one structured reply
 * (judgement.ts), read as it streams. The answer is cut into sentences; each passes the gate
 * before it may leave, and is released as soon as the judgement says the assistant may
 * answer — the judgement fields come first, so in practice nothing waits. A sentence the
 * gate refuses stops the model, and so does a judgement that a person is needed. Records
 * what happens in `outcome` as it goes, so what was said is known even when the visitor
 * leaves mid-stream.
 */
export async function* judgeAndStream(
  model: LanguageModel,
  context: ReplyContext,
  outcome: ReplyOutcome,
  signal?: AbortSignal,
): AsyncGenerator<string, void> {
  const stop = new AbortController();
  const modelSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const reply = new ReplyReader();
  const gate = new GatedSentences(context, outcome, () => stop.abort());
  let recorded = false;
  /** The verdict so far; the first time it is known it goes into the outcome. */
  const verdict = (): 'pending' | Judgement['verdict'] => {
    const judgement = reply.verdict;
    if (!judgement) return 'pending';
    if (!recorded) {
      recorded = true;
      outcome.confidence = judgement.confidence;
      if (judgement.verdict === 'escalate') {
        outcome.offer = judgement.reason;
        stop.abort(); // no need to hear the rest
      }
    }
    return judgement.verdict;
  };
  /** Passes the answer's new text through the gate; false once a sentence was refused. */
  const admit = (sentences: string[]): boolean => sentences.every((sentence) => gate.admit(sentence) !== null);

  let failure: unknown = null;
  try {
    let writing = false;
    for await (const piece of model.streamChat({ messages: context.messages, format: REPLY_FORMAT_SCHEMA, signal: modelSignal })) {
      if (!writing) {
        writing = true;
        gate.prepare(); // while the model writes its first sentence
      }
      const text = reply.push(piece);
      if (verdict() === 'escalate') break;
      if (!admit(gate.split(text))) break;
      if (verdict() === 'answer') yield* gate.release();
    }
    if (!outcome.suppressed && !outcome.offer) {
      const rest = reply.end();
      if (verdict() !== 'escalate' && admit(gate.split(rest))) gate.admitRest();
    }
  } catch (error) {
    failure = error;
  }
  const final = verdict();
  if (failure && !outcome.suppressed && final !== 'escalate') outcome.failure = asModelFailure(failure);
  if (final === 'answer') {
    yield* gate.release();
    gate.finish();
  } else if (final === 'escalate') {
    outcome.suppressed = null; // nothing was said: the judgement's offer stands on its own
  }
}

/** The reply's JSON schema, as the model interface takes it. */
const REPLY_FORMAT_SCHEMA = REPLY_FORMAT as unknown as Record<string, unknown>;

/**
 * The reply's sentences on their way through the gate: cut from the model's output,
 * checked one by one (a refused one is recorded in the outcome and stops the model), and
 * held until they may be released.
 */
class GatedSentences {
  private readonly buffer = new SentenceBuffer();
  private readonly gate: ReplyGate;
  private readonly held: string[] = [];
  /** The text admitted so far, released or not: what a refused sentence followed. */
  private admitted = '';

  constructor(
    context: ReplyContext,
    private readonly outcome: ReplyOutcome,
    private readonly stopModel: () => void,
  ) {
    this.gate = new ReplyGate(context);
  }

  split(piece: string): string[] {
    return this.buffer.push(piece);
  }

  prepare(): void {
    this.gate.prepare();
  }

  /** Checks one sentence and holds what may be said of it; null when the gate refused it. */
  admit(sentence: string): string | null {
    const checked = this.gate.admit(sentence);
    if (!checked.safe) {
      this.outcome.suppressed = { text: this.admitted + sentence, rule: checked.rule, reason: checked.reason, wholeReply: false };
      this.stopModel();
      return null;
    }
    this.admitted += checked.text;
    if (checked.text) this.held.push(checked.text);
    return checked.text;
  }

  /** The model has finished: what is left in the buffer is the last sentence. */
  admitRest(): void {
    const rest = this.outcome.suppressed ? null : this.buffer.flush();
    if (rest) this.admit(rest);
  }

  /** Releases the held sentences to the visitor. */
  *release(): Generator<string> {
    for (const text of this.held.splice(0)) {
      this.outcome.text += text;
      yield text;
    }
  }

  /** The whole reply is checked once more, and its citations worked out. */
  finish(): void {
    const { outcome } = this;
    if (!outcome.suppressed && outcome.text) {
      const whole = this.gate.finish(outcome.text);
      if (!whole.safe) outcome.suppressed = { text: outcome.text, rule: whole.rule, reason: whole.reason, wholeReply: true };
    }
    if (!outcome.text.trim() && !outcome.suppressed && !outcome.failure) {
      outcome.failure = new ModelUnavailableError('error', 'The model returned an empty answer.');
    }
    outcome.citations = this.gate.citations(outcome.text);
  }
}

/**
 * Goes through a reply's work once at start-up — the reads that gather a context, the
 * safety rules (whose tables take a few hundred milliseconds to build), the reply reader —
 * so that the first visitor after a start does not wait for it. Stores nothing.
 */
export async function warmUpReplies(em: EntityManager): Promise<void> {
  const question = 'How long does delivery take, and can I return an item?';
  const [passages, lessons] = await Promise.all([
    searchPassages(em, question, { audience: 'widget', limit: PASSAGES_PER_REPLY }),
    relevantLessons(em, question),
  ]);
  const prompt = buildPrompt({ siteName: 'example.com', history: [], message: question, knowledge: passages, lessons });
  // Like a real reply's context (context.ts): the rules' first run over long texts is the slow one.
  const safety: SafetyContext = {
    groundingTexts: [...passages.map((p) => `${p.title}\n${p.heading}\n${p.text}`), 'Delivery takes 3 working days and costs €4.90.'],
    secrets: [systemPrompt('example.com'), lessonsSection(['Offer the returns form for items bought on sale.'])],
    allowedContacts: [],
    allowedLinkDomains: ['example.com'],
  };
  const gate = new ReplyGate({ messages: prompt.messages, passages, customer: null, safety, promptContext: { block: prompt.context, historyFrom: null, verifiedEmail: null } });
  const reply = [
    'Thanks for asking! ',
    'Delivery usually takes 3 working days [1] and costs €4.90. ',
    'Your order A-1001 has shipped, and you can return items within 30 days. ',
    'See https://example.com/help or write to support@example.com for more. ',
  ];
  for (const sentence of reply) {
    gate.admit(sentence);
    // Every rule, not only up to the first that objects.
    for (const rule of safetyRules) rule.check(sentence, safety);
  }
  gate.finish(reply.join(''));
  gate.citations(reply.join(''));
  const reader = new ReplyReader();
  reader.push('{"can_answer": true, "confidence": 90, "needs_human": false, "reason": "none", "answer": "Hi \\u00e9.');
  reader.end();
}

/**
 * Step 5. When the model failed and said nothing, the best passage still helps, clearly
 * labelled as an article excerpt.
 */
export function withExcerpt(outcome: ReplyOutcome, context: Pick<ReplyContext, 'passages'>): ReplyOutcome['excerpt'] {
  if (outcome.failure && outcome.failure.failure !== 'aborted' && !outcome.text.trim()) return context.passages?.[0] ?? null;
  return null;
}
