import type { EntityManager } from '@mikro-orm/sqlite';
import type { Message, PromptContext } from '../../db/entities/index.js';
import { readJson, statements } from '../../db/sql.js';
import type { ChatTurn } from '../../llm/model.js';
import type { VisitorSession } from '../chat/sessions.js';
import { siteNameOf } from '../chat/site.js';
import { customerContextBlock, customerContextFor, type CustomerContext } from '../verification/customer-context.js';
import { hasPublicKnowledge } from '../knowledge/articles.js';
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
  /** The history already holds a visitor message with the clientMessageId asked about: a resend. */
  sentBefore?: boolean;
}

export interface ReplyContextOptions {
  /** Hosts replies may link to (the site, the chat server, allowed origins). */
  linkHosts: string[];
  /** Lessons to use instead of the approved ones relevant to the message (tests). */
  lessons?: string[];
  /** Internal notes that must never reach a visitor. */
  internalNotes?: string[];
  /** The new message's clientMessageId, looked for in the history (see `sentBefore`). */
  clientMessageId?: string;
}

/** Knowledge-base passages put in front of the model for one message. */
export const PASSAGES_PER_REPLY = 5;

/**
 * Gathers the reply's context: recent history, the top knowledge-base passages (published
 * and public only), the verified customer's data (only for a verified session — decided by
 * server state, never by what the visitor writes) and lessons; and from the same material,
 * what the safety check lets the reply say. The visitor message need not be stored yet (no
 * id): then every stored message is history. Only reads.
 */
export async function buildReplyContext(
  em: EntityManager,
  session: Pick<VisitorSession, 'ticket' | 'origin' | 'verifiedEmail' | 'verifiedAt'>,
  visitorMessage: { id?: number; body: string },
  options: ReplyContextOptions,
): Promise<ReplyContext> {
  const history = await readHistory(em, session.ticket.id, visitorMessage.id);
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
  const sentBefore = options.clientMessageId !== undefined && history.some((m) => m.author === 'visitor' && m.clientMessageId === options.clientMessageId);
  return { messages, passages, customer, safety, promptContext, sentBefore };
}

/** A stored message as the prompt needs it. */
type HistoryMessage = Pick<Message, 'id' | 'author' | 'kind' | 'body' | 'clientMessageId' | 'promptContext'>;

/** The latest messages before `beforeId` (all of them when it is not stored yet), newest first: one select. */
async function readHistory(em: EntityManager, ticketId: number, beforeId: number | undefined): Promise<HistoryMessage[]> {
  // Two constant statements rather than a sentinel id (PostgreSQL's integer ids refuse one out of range).
  const rows = await statements(em).all<Record<string, unknown>>(
    beforeId === undefined
      ? 'select id, author, kind, body, client_message_id, prompt_context from message where ticket_id = ? order by id desc limit ?'
      : 'select id, author, kind, body, client_message_id, prompt_context from message where ticket_id = ? and id < ? order by id desc limit ?',
    beforeId === undefined ? [ticketId, DEFAULT_MAX_HISTORY_MESSAGES] : [ticketId, beforeId, DEFAULT_MAX_HISTORY_MESSAGES],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    author: row.author as Message['author'],
    kind: row.kind as Message['kind'],
    body: String(row.body),
    clientMessageId: (row.client_message_id as string | null) ?? null,
    promptContext: row.prompt_context === null || row.prompt_context === undefined ? null : readJson<PromptContext>(row.prompt_context),
  }));
}

/**
 * A stored message as the prompt replays it. A visitor turn keeps its context block, unless
 * the block holds the data of an address the session no longer has verified.
 */
function toEntry(message: HistoryMessage, verifiedEmail: string | null): ConversationEntry {
  const stored = message.author === 'visitor' ? message.promptContext : null;
  const replay = stored && (stored.verifiedEmail === null || stored.verifiedEmail === verifiedEmail);
  return { id: message.id, author: message.author, kind: message.kind, body: message.body, context: replay ? stored.block : null };
}
