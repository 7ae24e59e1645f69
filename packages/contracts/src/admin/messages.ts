import { z } from 'zod';
import {
  messageAuthorSchema,
  messageKindSchema,
  offerStatusSchema,
  ratingSchema,
} from '../messages.js';
import { mailAttachmentSchema } from './mail.js';

/** A message as an operator sees it, in a chat or a ticket: everything the visitor saw, plus why. */
export const operatorMessageSchema = z.object({
  id: z.number().int().positive(),
  author: messageAuthorSchema,
  kind: messageKindSchema,
  body: z.string(),
  createdAt: z.date(),
  rating: ratingSchema.nullable(),
  interrupted: z.boolean(),
  model: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  citations: z.array(z.number().int()),
  /** The articles an AI reply cited, whatever their visibility now (operators see internal ones too). */
  citedArticles: z.array(z.object({ id: z.number().int().positive(), title: z.string() })),
  /** An AI reply's judged confidence, 0–100, when the model was asked. */
  confidence: z.number().int().nullable(),
  /** Why the visitor rated a reply down, and their own words. */
  ratingReason: z.string().nullable(),
  ratingComment: z.string().nullable(),
  /** For operator replies on email tickets: who wrote it and what happened to the mail. */
  sentBy: z.string().nullable(),
  delivery: z.enum(['queued', 'sent', 'failed']).nullable(),
  /** On a customer's mail: its attachments (downloadable by operators); absent elsewhere. */
  attachments: z.array(mailAttachmentSchema).optional(),
  /** On an escalation offer or confirmation: why a human is needed. */
  escalationReason: z.string().nullable(),
  /** On an escalation offer: what the visitor did with it. */
  offerStatus: offerStatusSchema.nullable(),
  /** On an offer made by an escalation rule: which rule fired, what it recognises, and in which language. */
  escalationRule: z
    .object({
      id: z.string(),
      description: z.string().nullable(),
      language: z.string().nullable(),
      languageName: z.string().nullable(),
    })
    .nullable(),
  /**
   * Why the message is what it is: for a `suppressed` message the safety rules that held it
   * back (never sent) and why; for an offer, the model failure behind it.
   */
  safety: z
    .object({
      rules: z.array(z.string()),
      note: z.string().nullable(),
      modelFailure: z.string().nullable(),
    })
    .nullable(),
  /** Lessons drawn from flags on this reply (an AI reply's corrections). */
  lessons: z.array(
    z.object({
      id: z.number().int().positive(),
      status: z.enum(['pending', 'approved', 'disabled']),
      text: z.string(),
    }),
  ),
});
export type OperatorMessage = z.infer<typeof operatorMessageSchema>;
