import { z } from 'zod';

/*
 * The words every part of the API shares: a chat session's id and a message as the widget
 * sees it (its author, kind, rating, escalation reason and the articles it cites).
 */

/** Public id of a chat session, as issued by `chat.start`. */
export const sessionIdSchema = z
  .string()
  .regex(/^cs_[A-Za-z0-9_-]{22}$/, 'This chat session id is not valid.');

export const messageAuthorSchema = z.enum(['visitor', 'ai', 'system', 'operator', 'customer']);
export type MessageAuthor = z.infer<typeof messageAuthorSchema>;

export const messageKindSchema = z.enum([
  'text',
  'escalation_offer',
  'escalation_confirmation',
  'suppressed',
]);
export type MessageKind = z.infer<typeof messageKindSchema>;

export const offerStatusSchema = z.enum(['pending', 'accepted', 'declined']);
export type OfferStatus = z.infer<typeof offerStatusSchema>;

export const ratingSchema = z.enum(['up', 'down']);
export type Rating = z.infer<typeof ratingSchema>;

/** Why a chat needs a human. A fixed list: tags, priority and reports key on it. */
export const escalationReasonSchema = z.enum([
  'human_requested',
  'ai_uncertain',
  'ai_unavailable',
  'financial_dispute',
  'legal_compliance',
  'data_privacy',
  'distress_urgent',
  'unsafe_output',
]);
export type EscalationReason = z.infer<typeof escalationReasonSchema>;
export const ESCALATION_REASONS = escalationReasonSchema.options;

/** A knowledge-base article a reply is grounded in, shown under the reply as a link. */
export const citationSchema = z.object({
  articleId: z.number().int().positive(),
  title: z.string(),
  /** The public article page, `/kb/<slug>` on the chat server. */
  url: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

/** A message as the visitor's widget sees it. */
export const chatMessageSchema = z.object({
  id: z.number().int().positive(),
  author: messageAuthorSchema,
  kind: messageKindSchema,
  body: z.string(),
  createdAt: z.date(),
  clientMessageId: z.string().nullable(),
  /** For an AI reply: the visitor message it answers. */
  replyToId: z.number().int().positive().nullable(),
  rating: ratingSchema.nullable(),
  /** True when the reply was cut short (the visitor stopped it or the model failed mid-way). */
  interrupted: z.boolean(),
  /** On an escalation offer or confirmation: why a human is needed. */
  escalationReason: escalationReasonSchema.nullable(),
  /** On an escalation offer: pending until the visitor accepts or declines it. */
  offerStatus: offerStatusSchema.nullable(),
  /** Articles the reply is grounded in (empty when none). */
  citations: z.array(citationSchema),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;
