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
export const reviewQueueItemSchema = chatSummarySchema.extend({ quality: chatQualitySchema });

export const reviewQueueOutputSchema = pageOf(reviewQueueItemSchema);

export const markReviewedInputSchema = z.object({ sessionId: sessionIdSchema });
