import type { EntityManager } from '@mikro-orm/sqlite';
import { KnowledgeArticle, Message, type ChatSession, type PromptContext } from '../../db/entities/index.js';
import type { ChatTurn } from '../../llm/model.js';
import { siteNameOf } from '../chat/site.js';
import { customerContextBlock, customerContextFor, type CustomerContext } from '../verification/customer-context.js';
import { searchPassages, type PassageHit } from '../knowledge/search.js';
import { relevantLessons } from '../quality/lessons.js';
import { buildPrompt, DEFAULT_MAX_HISTORY_MESSAGES, lessonsIn, lessonsSection, systemPrompt, type ConversationEntry } from './prompt.js';
import type { SafetyContext } from './safety/safety.js';

/** Everything one reply is built from, and what its output is checked against. */
export interface ReplyContext {
  /** The turns sent to the model. */
  messages: ChatTurn[];
  /**
   * The knowledge-base passages the prompt shows, numbered from 1 in this order; null when
   * the site has no public knowledge base at all.
   */
  passages: PassageHit[] | null;
  customer: CustomerContext | null;
  /** What the reply may draw on, and what it must never echo. */
  safety: SafetyContext;
  /** What the visitor message must store so that later turns can replay this one. */
  promptContext: PromptContext;
}

export interface ReplyContextOptions {
  /** Hosts replies may link to (the site, the chat server, allowed origins). */
  linkHosts: string[];
  /** Lessons to use instead of the approved ones relevant to the message (tests). */
  lessons?: string[];
  /** Internal notes that must never reach a visitor. */
  internalNotes?: string[];
}

/** Knowledge-base passages put in front of the model for one message. */
export const PASSAGES_PER_REPLY = 5;

async function hasPublicKnowledge(em: EntityManager): Promise<boolean> {
  return (await em.count(KnowledgeArticle, { published: true, visibility: 'public' })) > 0;
}

/**
 * Gathers the reply's context: recent history, the top knowledge-base passages (published
 * and public only), the verified customer's data (only for a verified session — decided by
 * server state, never by what the visitor writes) and lessons; and from the same material,
 * what the safety check lets the reply say. The visitor message need not be stored yet (no
 * id): then every stored message is history. Only reads.
 */
export async function buildReplyContext(
  em: EntityManager,
  session: ChatSession,
  visitorMessage: { id?: number; body: string },
  options: ReplyContextOptions,
): Promise<ReplyContext> {
  const history = await em.find(
    Message,
    { ticket: session.ticket, ...(visitorMessage.id ? { id: { $lt: visitorMessage.id } } : {}) },
    { orderBy: { id: 'desc' }, limit: DEFAULT_MAX_HISTORY_MESSAGES, populate: ['promptContext'] },
  );
  let passages: PassageHit[] | null = await searchPassages(em, visitorMessage.body, { audience: 'widget', limit: PASSAGES_PER_REPLY });
  // No match: tell "nothing supports an answer" apart from "this site has no knowledge base".
  if (passages.length === 0 && !(await hasPublicKnowledge(em))) passages = null;
  const customer = await customerContextFor(em, session);
  const lessons = options.lessons ?? (await relevantLessons(em, visitorMessage.body));
  const siteName = siteNameOf(session.origin);
  history.reverse();
  const verifiedEmail = customer?.email ?? null;
  const previous = history.findLast((m) => m.author === 'visitor' && m.promptContext)?.promptContext ?? null;
  const prompt = buildPrompt({
    siteName,
    history: history.map((m) => toEntry(m, verifiedEmail)),
    historyFrom: previous?.historyFrom ?? null,
    message: visitorMessage.body,
    knowledge: passages,
    lessons,
    customerContext: customer,
  });
  const messages = prompt.messages;

  const customerBlock = customer ? customerContextBlock(customer) : null;
  const safety: SafetyContext = {
    // Earlier turns' blocks are in the prompt too: what they showed may be used, and their
    // lessons must not be repeated.
    groundingTexts: [
      ...(passages ?? []).map((p) => `${p.title}\n${p.heading}\n${p.text}`),
      ...(customerBlock ? [customerBlock] : []),
      ...prompt.replayed,
    ],
    secrets: [systemPrompt(siteName), lessonsSection(lessons), ...prompt.replayed.flatMap(lessonsIn), ...(options.internalNotes ?? [])].filter(Boolean),
    allowedContacts: customer ? [customer.email] : [],
    allowedLinkDomains: [...new Set([siteName, ...options.linkHosts].filter((host) => host && host !== 'this website'))],
  };
  // Stored with the message so later turns replay this one word for word.
  const promptContext = { block: prompt.context, historyFrom: prompt.historyFrom, verifiedEmail };
  return { messages, passages, customer, safety, promptContext };
}

/**
 * A stored message as the prompt replays it. A visitor turn keeps its context block, unless
 * the block holds the data of an address the session no longer has verified.
 */
function toEntry(message: Message, verifiedEmail: string | null): ConversationEntry {
  const stored = message.author === 'visitor' ? message.promptContext : null;
  const replay = stored && (stored.verifiedEmail === null || stored.verifiedEmail === verifiedEmail);
  return { id: message.id, author: message.author, kind: message.kind, body: message.body, context: replay ? stored.block : null };
}
