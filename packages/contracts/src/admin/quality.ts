import { z } from 'zod';
import { sessionIdSchema } from '../messages.js';
import { chatQualitySchema, chatSummarySchema } from './chats.js';
import { pageFields, pageOf } from './paging.js';

/*
 * Quality monitoring in the console: the review queue of chats that scored under 70 % or
 * got a thumbs down, and marking one reviewed.
 */

export const reviewQueueInputSchema = z.object(pageFields()).default({ limit: 25 });
export type ReviewQueueInput = z.input<typeof reviewQueueInputSchema>;

/** A chat in the queue: what Live Chat shows, with its evaluation always present. */
export const reviewQueueItemSchema = chatSummarySchema.extend({
  quality: chatQualitySchema,
  /** The reply the queue is about: the latest one rated down, else the latest AI reply. */
  flaggedReply: z
    .object({
      id: z.number().int().positive(),
      /** Shortened to 300 characters. */
      body: z.string(),
      rating: z.enum(['up', 'down']).nullable(),
      ratingReason: z.string().nullable(),
      ratingComment: z.string().nullable(),
    })
    .nullable(),
});

export const reviewQueueOutputSchema = pageOf(reviewQueueItemSchema);

export const markReviewedInputSchema = z.object({ sessionId: sessionIdSchema });
