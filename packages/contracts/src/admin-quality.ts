import { z } from 'zod';
import { chatQualitySchema, chatSummarySchema, cursorSchema } from './admin.js';
import { sessionIdSchema } from './chat.js';

/*
 * Quality monitoring in the console: the review queue of chats that scored under 70 % or
 * got a thumbs down, and marking one reviewed.
 */

export const reviewQueueInputSchema = z
  .object({
    cursor: cursorSchema.optional(),
    limit: z.number().int().min(1).max(100).default(25),
  })
  .default({ limit: 25 });
export type ReviewQueueInput = z.input<typeof reviewQueueInputSchema>;

/** A chat in the queue: what Live Chat shows, with its evaluation always present. */
export const reviewQueueItemSchema = chatSummarySchema.extend({ quality: chatQualitySchema });

export const reviewQueueOutputSchema = z.object({
  items: z.array(reviewQueueItemSchema),
  nextCursor: z.string().nullable(),
});

export const markReviewedInputSchema = z.object({ sessionId: sessionIdSchema });
