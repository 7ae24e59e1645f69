import { EntitySchema, type Opt } from '@mikro-orm/sqlite';
import type { EscalationReason, MessageAuthor, MessageKind, OfferStatus, Rating, RatingReason } from '@ticket0/contracts';
import { Ticket } from './ticket.js';

export const MESSAGE_AUTHORS = ['visitor', 'ai', 'system', 'operator', 'customer'] as const;
export const MESSAGE_KINDS = ['text', 'escalation_offer', 'escalation_confirmation', 'suppressed'] as const;

/** Why a message is what it is: which rules fired, or why the model could not answer. */
export interface SafetyVerdict {
  rules?: string[];
  modelFailure?: string;
  note?: string;
}

/**
 * On a visitor message: the context its reply was written with, as the prompt showed it.
 * Later turns replay it word for word, so a model server can reuse its cached prompt.
 */
export interface PromptContext {
  /** The context block (passages, lessons, account) the visitor turn carried. */
  block: string;
  /** The first message of the history window that prompt held (a message id), or null. */
  historyFrom: number | null;
  /** The address the session had verified then; a block for another one is not replayed. */
  verifiedEmail: string | null;
}

/** One message on a ticket. Sent messages are never rewritten. */
export class Message {
  id!: number;
  ticket!: Ticket;
  author!: MessageAuthor;
  kind: Opt<MessageKind> = 'text';
  body!: string;
  /** Chosen by the widget; unique per ticket so a resend never stores a duplicate. */
  clientMessageId: string | null = null;
  /** For a reply: the visitor message it answers. */
  replyTo: Message | null = null;
  rating: Rating | null = null;
  /** Why the visitor rated a reply down, and their own words. */
  ratingReason: RatingReason | null = null;
  ratingComment: string | null = null;
  ratedAt: Date | null = null;
  citations: Opt<number[]> = [];
  safetyVerdict: SafetyVerdict | null = null;
  model: string | null = null;
  latencyMs: number | null = null;
  interrupted: Opt<boolean> = false;
  /** On an escalation offer or confirmation: why a human is needed. */
  escalationReason: EscalationReason | null = null;
  /** On a rule-made escalation offer: the id of the rule that fired. */
  escalationRule: string | null = null;
  /** On a rule-made escalation offer: the language the visitor's message was read in ("fr"). */
  escalationLanguage: string | null = null;
  /** On an escalation offer: what the visitor did with it. */
  offerStatus: OfferStatus | null = null;
  /** The model's judged confidence (0–100) before it answered, when it was asked. */
  confidence: number | null = null;
  /** Lazy: only the reply pipeline reads it. */
  promptContext: PromptContext | null = null;
  createdAt: Opt<Date> = new Date();
}

export const MessageSchema = new EntitySchema<Message>({
  class: Message,
  tableName: 'message',
  uniques: [{ properties: ['ticket', 'clientMessageId'] }],
  indexes: [{ properties: ['ticket', 'id'] }, { properties: ['replyTo'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    ticket: { kind: 'm:1', entity: () => Ticket, deleteRule: 'cascade' },
    author: { enum: true, items: () => [...MESSAGE_AUTHORS] },
    kind: { enum: true, items: () => [...MESSAGE_KINDS] },
    body: { type: 'text' },
    clientMessageId: { type: 'string', length: 64, nullable: true },
    replyTo: { kind: 'm:1', entity: () => Message, nullable: true, deleteRule: 'set null' },
    rating: { enum: true, items: () => ['up', 'down'], nullable: true },
    ratingReason: { enum: true, items: () => ['wrong', 'unhelpful', 'rude', 'other'], nullable: true },
    ratingComment: { type: 'text', nullable: true },
    ratedAt: { type: 'Date', nullable: true },
    citations: { type: 'json' },
    safetyVerdict: { type: 'json', nullable: true },
    model: { type: 'string', length: 100, nullable: true },
    latencyMs: { type: 'integer', nullable: true },
    interrupted: { type: 'boolean' },
    escalationReason: { type: 'string', length: 40, nullable: true },
    escalationRule: { type: 'string', length: 80, nullable: true },
    escalationLanguage: { type: 'string', length: 8, nullable: true },
    offerStatus: { enum: true, items: () => ['pending', 'accepted', 'declined'], nullable: true },
    confidence: { type: 'integer', nullable: true },
    promptContext: { type: 'json', nullable: true, lazy: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
