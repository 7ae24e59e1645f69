import { chatDetailSchema, chatGetInputSchema, chatListInputSchema, chatListOutputSchema } from '@ticket0/contracts';
import { getChatSession, listChatSessions } from '../../domain/live-chat.js';
import { operatorProcedure, router } from '../../trpc.js';
import { toChatSummary, toOperatorMessage } from './mappers.js';

/** Live Chat: the widget's conversations, read-only for operators. */
export const chatsRouter = router({
  list: operatorProcedure
    .input(chatListInputSchema)
    .output(chatListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listChatSessions(ctx.em, input);
      return { items: items.map(toChatSummary), nextCursor };
    }),

  get: operatorProcedure
    .input(chatGetInputSchema)
    .output(chatDetailSchema)
    .query(async ({ ctx, input }) => {
      const chat = await getChatSession(ctx.em, input.sessionId);
      const linked = chat.linkedTicket;
      return {
        ...toChatSummary(chat),
        locale: chat.session.locale,
        verifiedAt: chat.session.verifiedAt,
        linkedTicket: linked ? { id: linked.id, subject: linked.subject, status: linked.status } : null,
        messages: chat.messages.map((message) => toOperatorMessage(message)),
      };
    }),
});
