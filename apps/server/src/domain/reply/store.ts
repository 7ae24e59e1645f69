import type { EntityManager } from '@mikro-orm/sqlite';
import type { EscalationReason } from '@ticket0/contracts';
import type { Message, PromptContext } from '../../db/entities/index.js';
import { json, transaction, type Statements } from '../../db/sql.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import type { LanguageModel, ModelUnavailableError } from '../../llm/model.js';
import { announceMessage, messageOf, touchSession, type MessageFields } from '../chat/messages.js';
import type { VisitorSession } from '../chat/sessions.js';
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
 * Stores how the assistant answered, in one transaction (every row in one insert, then the
 * session's schedule): the reply text (marked interrupted when cut short),
 * or an escalation offer — the rules', the judge's, `ai_unavailable` when the model said
 * nothing (with the best article excerpt when there is one), or `unsafe_output` when the
 * safety rules held text back. Held-back text is kept for operators as a `suppressed`
 * message and never sent. Nothing is stored when the visitor stopped before anything was
 * said. Returns what the visitor sees last: the offer, else the reply. `promptContext`: the
 * context a visitor message stored earlier was answered with only now (a resend after a
 * crash), stored with the reply.
 */
export async function storeReply(
  em: EntityManager,
  deps: StoreDeps,
  session: VisitorSession,
  visitorMessage: Pick<Message, 'id'>,
  outcome: ReplyOutcome,
  latencyMs: number,
  promptContext?: PromptContext,
): Promise<Message | null> {
  const { failure, confidence, suppressed } = outcome;
  if (failure && failure.failure !== 'aborted') {
    deps.log.warn('model unavailable', { failure: failure.failure, detail: failure.message, session: session.id });
  }
  // Text already released stays a reply, unless the whole-reply check held it back.
  const text = suppressed?.wholeReply ? '' : outcome.text.trim();
  if (!text && !outcome.offer && !suppressed && failure?.failure === 'aborted') return null;
  const now = deps.clock.now();
  const model = deps.model.name;
  const base = { ticketId: session.ticket.id, author: 'ai' as const, replyToId: visitorMessage.id, latencyMs, confidence, createdAt: now };

  // In the order things happened: what was said, what was held back, the offer.
  const rows: MessageFields[] = [];
  if (text) {
    rows.push({
      ...base,
      id: 0,
      body: text,
      model: outcome.canned ? null : model,
      citations: outcome.citations,
      interrupted: failure !== null || (suppressed !== null && !suppressed.wholeReply),
    });
  }
  if (suppressed) {
    rows.push({
      ...base,
      id: 0,
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
    rows.push({
      ...base,
      id: 0,
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
  await transaction(em, async (sql) => {
    await insertReplies(sql, rows);
    if (promptContext) await sql.run('update message set prompt_context = ? where id = ?', [json(promptContext), visitorMessage.id]);
    await touchSession(sql, session, now);
  });
  // What the visitor sees last: the offer, else the reply (never the held-back text).
  const reply = messageOf(rows.findLast((row) => row.kind !== 'suppressed')!);
  announceMessage(deps.events, session, reply);
  return reply;
}

/** One statement for every row; each row gets its id (ids follow the order of the values). */
async function insertReplies(sql: Statements, rows: MessageFields[]): Promise<void> {
  const inserted = await sql.all<{ id: number }>(
    `insert into message (ticket_id, author, kind, body, reply_to_id, citations, safety_verdict, model, latency_ms, interrupted,
       escalation_reason, escalation_rule, escalation_language, offer_status, confidence, created_at)
     values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} returning id`,
    rows.flatMap((row) => [
      row.ticketId,
      row.author,
      row.kind ?? 'text',
      row.body,
      row.replyToId ?? null,
      json(row.citations ?? []),
      row.safetyVerdict ? json(row.safetyVerdict) : null,
      row.model ?? null,
      row.latencyMs ?? null,
      row.interrupted ?? false,
      row.escalationReason ?? null,
      row.escalationRule ?? null,
      row.escalationLanguage ?? null,
      row.offerStatus ?? null,
      row.confidence ?? null,
      row.createdAt,
    ]),
  );
  // `returning` lists the rows in no promised order; the ids were given in the values' order.
  const ids = inserted.map((row) => Number(row.id)).sort((a, b) => a - b);
  rows.forEach((row, i) => (row.id = ids[i]!));
}
