import type { EntityManager } from '@mikro-orm/sqlite';
import type { EscalationReason } from '@ticket0/contracts';
import type { ChatSession, Message } from '../../db/entities/index.js';
import { ModelUnavailableError, type LanguageModel } from '../../llm/model.js';
import { detectEscalation } from '../escalation/detect.js';
import { detectSmallTalk } from '../escalation/small-talk.js';
import { buildReplyContext, type ReplyContext } from './context.js';
import { ReplyGate } from './gate.js';
import type { RepliesInFlight } from './in-flight.js';
import { asModelFailure, startJudgement, type JudgementResult } from './judgement.js';
import { SentenceBuffer } from './sentences.js';
import { newOutcome, storeReply, type ReplyOutcome, type StoreDeps } from './store.js';

/*
 * The reply pipeline: what happens to a visitor's message, in order.
 *
 *   1. store the message         acceptMessage (chat/messages.ts), before this runs, so a
 *                                failure here never loses it
 *   2. gather the context        buildReplyContext: history, knowledge-base passages, the
 *                                verified customer's data, lessons (context.ts)
 *   3. the rules decide first    decideByRules: a person is needed, or nothing in the
 *                                knowledge base supports an answer → an offer, no model asked
 *   4. judge, and stream         judgeAndStream: the model's judgement runs beside the
 *                                reply; each sentence passes the gate (safety rules) and
 *                                is released once the judgement says the assistant may answer
 *   5. fall back                 withExcerpt: no model, no words → the best passage
 *   6. store the result          storeReply: the reply, what was held back, or an offer (store.ts)
 */

export interface ReplyDeps extends StoreDeps {
  model: LanguageModel;
  replies: RepliesInFlight;
  /** Hosts replies may link to besides the site itself (the chat server, allowed origins). */
  linkHosts: string[];
}

/**
 * Answers a stored visitor message. Yields the text released to the visitor, sentence by
 * sentence; returns the stored reply or escalation offer (null when the visitor stopped it
 * before anything was said). When a reply to this message is already being written, waits
 * for that one instead of asking the model twice.
 */
export async function* replyToMessage(
  em: EntityManager,
  deps: ReplyDeps,
  session: ChatSession,
  message: Message,
  signal?: AbortSignal,
): AsyncGenerator<string, Message | null> {
  const running = deps.replies.get(message.id);
  if (running) return await running;
  const settle = deps.replies.begin(message.id);
  const started = performance.now();
  const outcome = newOutcome();
  let finished = false;
  let reply: Message | null = null;
  try {
    const read = { locale: session.locale };
    const trigger = detectEscalation(message.body, read);
    const smallTalk = trigger ? null : detectSmallTalk(message.body, read);
    if (trigger) {
      outcome.offer = trigger.reason;
      outcome.rule = { id: trigger.rule, language: trigger.language };
    } else if (smallTalk?.reply) {
      // A greeting, thanks or goodbye: a kind reply in the visitor's language, with no
      // knowledge-base lookup, no model and no offer.
      outcome.text = smallTalk.reply;
      outcome.canned = true;
      yield smallTalk.reply;
    } else {
      const context = await buildReplyContext(em, session, message, { linkHosts: deps.linkHosts });
      // An acknowledgement ("ok") still goes to the model, but never earns an "I don't know".
      outcome.offer = !smallTalk && nothingSupports(context) ? 'ai_uncertain' : null;
      if (!outcome.offer) yield* judgeAndStream(deps.model, context, outcome, signal);
      outcome.excerpt = withExcerpt(outcome, context);
    }
    finished = true;
  } finally {
    // Also when the visitor goes away mid-stream (the consumer stops iterating): what was
    // already said is stored, marked as interrupted.
    if (!finished) outcome.failure ??= new ModelUnavailableError('aborted', 'The visitor left.');
    try {
      reply = await storeReply(em, deps, session, message, outcome, Math.round(performance.now() - started));
    } finally {
      settle(reply);
    }
  }
  return reply;
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
 * Step 4. The model's judgement and its reply, as two calls side by side. The reply is cut
 * into sentences; each passes the gate before it may leave, and waits until the judgement
 * says the assistant may answer. A sentence the gate refuses stops the model, and so does
 * a judgement that a person is needed or a judgement that failed. Records what happens in
 * `outcome` as it goes, so what was said is known even when the visitor leaves mid-stream.
 */
export async function* judgeAndStream(
  model: LanguageModel,
  context: ReplyContext,
  outcome: ReplyOutcome,
  signal?: AbortSignal,
): AsyncGenerator<string, void> {
  const stop = new AbortController();
  const modelSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const judgement = startJudgement(model, context.messages, modelSignal, (result) => {
    recordJudgement(outcome, result);
    if (result.verdict !== 'answer') stop.abort();
  });
  const gate = new GatedSentences(context, outcome, () => stop.abort());
  try {
    stream: for await (const piece of model.streamChat({ messages: context.messages, signal: modelSignal })) {
      for (const sentence of gate.split(piece)) {
        const admitted = gate.admit(sentence);
        if (admitted === null) break stream;
        if (!admitted || judgement.verdict === 'pending') continue;
        if (judgement.verdict !== 'answer') break stream;
        yield* gate.release();
      }
    }
    gate.admitRest();
  } catch (error) {
    if (!outcome.suppressed && judgement.verdict !== 'failed' && judgement.verdict !== 'escalate') {
      outcome.failure = asModelFailure(error);
    }
  }
  await judgement.done;
  if (judgement.verdict === 'answer') {
    yield* gate.release();
    gate.finish();
  } else if (judgement.verdict === 'escalate') {
    outcome.suppressed = null; // nothing was said: the judge's offer stands on its own
  }
}

function recordJudgement(outcome: ReplyOutcome, result: JudgementResult): void {
  if (result.verdict === 'failed') {
    outcome.failure = result.failure;
    return;
  }
  outcome.confidence = result.confidence;
  if (result.verdict === 'escalate') outcome.offer = result.reason;
}

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
 * Step 5. When the model failed and said nothing, the best passage still helps, clearly
 * labelled as an article excerpt.
 */
export function withExcerpt(outcome: ReplyOutcome, context: Pick<ReplyContext, 'passages'>): ReplyOutcome['excerpt'] {
  if (outcome.failure && outcome.failure.failure !== 'aborted' && !outcome.text.trim()) return context.passages?.[0] ?? null;
  return null;
}
