import type { EntityManager } from '@mikro-orm/sqlite';
import type { EscalationReason } from '@ticket0/contracts';
import { Message, type ChatSession } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import type { LanguageModel, ModelUnavailableError } from '../../llm/model.js';
import { announceMessage, touchSession } from '../chat/messages.js';
import { excerptOfferText, offerText } from '../escalation/offers.js';
import type { PassageHit } from '../knowledge/search.js';

/** How the assistant answered one message, filled in step by step; what storeReply stores. */
export interface ReplyOutcome {
  /** What was released to the visitor so far (citation markers removed). */
  text: string;
  failure: ModelUnavailableError | null;
  /** Set when a human is needed instead of a reply. */
  offer: EscalationReason | null;
  /** The escalation rule behind the offer, when a rule made it, and the language it read. */
  rule: { id: string; language: string } | null;
  confidence: number | null;
  /** Knowledge-base article ids the reply cites. */
  citations: number[];
  /** Text a safety rule held back; `wholeReply` when only the final whole check caught it. */
  suppressed: { text: string; rule: string; reason: string; wholeReply: boolean } | null;
  /** The best passage, shown when the model could not answer. */
  excerpt: PassageHit | null;
  /** The text is a fixed small-talk reply, not the model's. */
  canned: boolean;
}

export function newOutcome(): ReplyOutcome {
  return { text: '', failure: null, offer: null, rule: null, confidence: null, citations: [], suppressed: null, excerpt: null, canned: false };
}

export interface StoreDeps {
  clock: Clock;
  events: EventBus;
  log: Logger;
  model: Pick<LanguageModel, 'name'>;
}

/**
 * Stores how the assistant answered: the reply text (marked interrupted when cut short),
 * or an escalation offer — the rules', the judge's, `ai_unavailable` when the model said
 * nothing (with the best article excerpt when there is one), or `unsafe_output` when the
 * safety rules held text back. Held-back text is kept for operators as a `suppressed`
 * message and never sent. Nothing is stored when the visitor stopped before anything was
 * said. Returns what the visitor sees last: the offer, else the reply.
 */
export async function storeReply(
  em: EntityManager,
  deps: StoreDeps,
  session: ChatSession,
  visitorMessage: Message,
  outcome: ReplyOutcome,
  latencyMs: number,
): Promise<Message | null> {
  const { failure, confidence, suppressed } = outcome;
  if (failure && failure.failure !== 'aborted') {
    deps.log.warn('model unavailable', { failure: failure.failure, detail: failure.message, session: session.id });
  }
  // Text already released stays a reply, unless the whole-reply check held it back.
  const text = suppressed?.wholeReply ? '' : outcome.text.trim();
  if (!text && !outcome.offer && !suppressed && failure?.failure === 'aborted') return null;
  const now = deps.clock.now();
  const base = { ticket: session.ticket, author: 'ai' as const, replyTo: visitorMessage, latencyMs, confidence, createdAt: now };
  const model = deps.model.name;

  // In the order things happened: what was said, what was held back, the offer.
  let reply: Message | null = null;
  if (text) {
    reply = em.create(Message, {
      ...base,
      body: text,
      model: outcome.canned ? null : model,
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
    deps.log.warn('reply held back by the safety rules', { rule: suppressed.rule, session: session.id });
  }
  const offer: EscalationReason | null = suppressed ? 'unsafe_output' : text ? null : (outcome.offer ?? 'ai_unavailable');
  if (offer) {
    const excerpt = offer === 'ai_unavailable' ? outcome.excerpt : null;
    reply = em.create(Message, {
      ...base,
      kind: 'escalation_offer',
      body: excerpt ? excerptOfferText(excerpt, session.locale) : offerText(offer, session.locale),
      escalationReason: offer,
      // Which rule made the offer, and the language the message was read in (for the console).
      escalationRule: outcome.rule && offer === outcome.offer ? outcome.rule.id : null,
      escalationLanguage: outcome.rule && offer === outcome.offer ? outcome.rule.language : null,
      offerStatus: 'pending',
      citations: excerpt ? [excerpt.articleId] : [],
      model: outcome.offer || suppressed ? model : null,
      safetyVerdict: failure && !suppressed ? { modelFailure: failure.failure } : null,
    });
  }
  touchSession(session, now);
  await em.flush();
  announceMessage(deps.events, session, reply!);
  return reply;
}
