import {
  chatMessageSchema,
  confirmEscalationInputSchema,
  escalationOfferInputSchema,
  escalationResultSchema,
} from '@ticket0/contracts';
import { confirmEscalation, declineEscalation, requestHuman } from '../domain/escalation/escalation.js';
import { chatSessionProcedure, router } from './trpc.js';
import { toChatMessage } from './mappers.js';

export const escalationRouter = router({
  /** "Talk to a human": an offer the visitor then confirms, like the assistant's own. */
  request: chatSessionProcedure.output(chatMessageSchema).mutation(async ({ ctx }) => {
    return toChatMessage(await requestHuman(ctx.em, ctx.services, ctx.session));
  }),

  /** "Yes, contact me": creates (once) the follow-up email ticket for the support team. */
  confirm: chatSessionProcedure
    .input(confirmEscalationInputSchema)
    .output(escalationResultSchema)
    .mutation(async ({ ctx, input }) => {
      const result = await confirmEscalation(ctx.em, ctx.services, ctx.session, input);
      return {
        offer: toChatMessage(result.offer),
        confirmation: toChatMessage(result.confirmation),
        ticketId: result.ticket.id,
      };
    }),

  /** "No thanks": the chat goes on with the assistant. */
  decline: chatSessionProcedure
    .input(escalationOfferInputSchema)
    .output(chatMessageSchema)
    .mutation(async ({ ctx, input }) => toChatMessage(await declineEscalation(ctx.em, ctx.session, input.offerId))),
});
