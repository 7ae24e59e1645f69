import { inboxCountsSchema, markReadInputSchema, searchInputSchema, searchResultsSchema } from '@ticket0/contracts';
import { z } from 'zod';
import { searchInbox } from '../../domain/inbox/search.js';
import { markRead, unreadCounts } from '../../domain/inbox/unread.js';
import { operatorProcedure, router } from '../trpc.js';

/** The operator's inbox: what is unread for them, marking it read, and one search over everything. */
export const inboxRouter = router({
  counts: operatorProcedure
    .output(inboxCountsSchema)
    .query(({ ctx }) => unreadCounts(ctx.em, ctx.services, ctx.operator)),

  markRead: operatorProcedure
    .input(markReadInputSchema)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await markRead(ctx.em, ctx.services, ctx.operator, input);
      return { ok: true as const };
    }),

  search: operatorProcedure
    .input(searchInputSchema)
    .output(searchResultsSchema)
    .query(({ ctx, input }) => searchInbox(ctx.em, input.query)),
});
