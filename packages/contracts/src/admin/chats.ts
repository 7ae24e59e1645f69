import { z } from 'zod';
import { messageAuthorSchema, messageKindSchema, sessionIdSchema } from '../messages.js';
import { operatorMessageSchema } from './messages.js';
import { pageFields, pageOf } from './paging.js';
import { ticketStatusSchema } from './tickets.js';

/* Live Chat: every widget conversation with its quality findings, and one chat's history. */

/**
 * Live Chat's filters. The quality ones (`low_quality`: scored under 70 %, `hallucination`,
 * `circular`, `in_review`) read the chat's latest evaluation; `negative_feedback` reads the
 * replies rated down right now.
 */
export const chatFilterSchema = z.enum([
  'all',
  'escalated',
  'verified',
  'negative_feedback',
  'low_quality',
  'hallucination',
  'circular',
  'in_review',
]);
export type ChatFilter = z.infer<typeof chatFilterSchema>;

/** A chat's latest quality evaluation (see the server's quality monitoring). */
export const chatQualitySchema = z.object({
  /** Composite score, 0–100: the badge on Live Chat. */
  score: z.number().int().min(0).max(100),
  accuracy: z.number().int().min(0).max(100),
  completeness: z.number().int().min(0).max(100),
  resolution: z.number().int().min(0).max(100),
  hallucination: z.boolean(),
  circular: z.boolean(),
  questionType: z.string().nullable(),
  /** Replies rated down when the chat was judged (Live Chat's own count is live). */
  negativeFeedback: z.number().int().min(0),
  method: z.enum(['model', 'heuristic']),
  /** Waiting in the review queue. */
  inReview: z.boolean(),
  reviewedAt: z.date().nullable(),
  evaluatedAt: z.date(),
});
export type ChatQuality = z.infer<typeof chatQualitySchema>;

/** The quality flags a chat can carry, as Live Chat lists them. */
export const qualityFlagSchema = z.enum(['low_quality', 'hallucination', 'circular', 'in_review']);
export type QualityFlag = z.infer<typeof qualityFlagSchema>;

export const chatListInputSchema = z
  .object({
    filter: chatFilterSchema.default('all'),
    ...pageFields(),
  })
  .default({ filter: 'all', limit: 25 });
export type ChatListInput = z.input<typeof chatListInputSchema>;

const lastMessageSchema = z.object({
  author: messageAuthorSchema,
  kind: messageKindSchema,
  /** Shortened to 200 characters. */
  body: z.string(),
  createdAt: z.date(),
});

export const chatSummarySchema = z.object({
  sessionId: sessionIdSchema,
  ticketId: z.number().int().positive(),
  subject: z.string(),
  origin: z.string().nullable(),
  startedAt: z.date(),
  lastActivityAt: z.date(),
  lastMessage: lastMessageSchema.nullable(),
  messageCount: z.number().int().min(0),
  verifiedEmail: z.string().nullable(),
  escalated: z.boolean(),
  escalationReason: z.string().nullable(),
  /** The email ticket this chat spawned, if any. */
  linkedTicketId: z.number().int().positive().nullable(),
  negativeFeedbackCount: z.number().int().min(0),
  /** Quality findings from the latest evaluation; empty until the chat is judged. */
  qualityFlags: z.array(qualityFlagSchema),
  /** The latest evaluation; null until the chat is judged. */
  quality: chatQualitySchema.nullable(),
  /** Messages the signed-in operator has not seen. */
  unread: z.boolean().default(false),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

export const chatListOutputSchema = pageOf(chatSummarySchema);
export type ChatListOutput = z.infer<typeof chatListOutputSchema>;

export const chatGetInputSchema = z.object({ sessionId: sessionIdSchema });

const linkedTicketSchema = z.object({
  id: z.number().int().positive(),
  subject: z.string(),
  status: ticketStatusSchema,
});

export const chatDetailSchema = chatSummarySchema.extend({
  locale: z.string().nullable(),
  verifiedAt: z.date().nullable(),
  /** The customer record with the verified email address, when there is one. */
  verifiedCustomerId: z.number().int().positive().nullable(),
  linkedTicket: linkedTicketSchema.nullable(),
  messages: z.array(operatorMessageSchema),
});
export type ChatDetail = z.infer<typeof chatDetailSchema>;
