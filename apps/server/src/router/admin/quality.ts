import { chatQualitySchema, markReviewedInputSchema, reviewQueueInputSchema, reviewQueueOutputSchema } from '@ticket0/contracts';
import { listReviewQueue, markReviewed } from '../../domain/quality/review-queue.js';
import { operatorProcedure, router } from '../trpc.js';
import { toChatQuality, toChatSummary } from './mappers.js';

/** Quality monitoring: the review queue of chats that went badly. */
export const qualityRouter = router({
  /** Chats waiting for review (under 70 %, or a thumbs down), most recently judged first. */
  reviewQueue: operatorProcedure
    .input(reviewQueueInputSchema)
    .output(reviewQueueOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listReviewQueue(ctx.em, input);
      return {
        items: items.map((row) => ({
          ...toChatSummary(row),
          quality: toChatQuality(row.evaluation),
          flaggedReply: row.flaggedReply
            ? {
                id: row.flaggedReply.id,
                body: row.flaggedReply.body.length > 300 ? `${row.flaggedReply.body.slice(0, 299)}…` : row.flaggedReply.body,
                rating: row.flaggedReply.rating,
                ratingReason: row.flaggedReply.ratingReason,
                ratingComment: row.flaggedReply.ratingComment,
              }
            : null,
        })),
        nextCursor,
      };
    }),

  /** An operator has looked at the chat: it leaves the queue. */
  markReviewed: operatorProcedure
    .input(markReviewedInputSchema)
    .output(chatQualitySchema)
    .mutation(async ({ ctx, input }) => {
      return toChatQuality(await markReviewed(ctx.em, ctx.services, input.sessionId));
    }),
});
