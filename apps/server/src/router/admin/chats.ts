import { chatDetailSchema, chatGetInputSchema, chatListInputSchema, chatListOutputSchema } from '@ticket0/contracts';
import { lessonsOfReplies } from '../../domain/quality/lessons.js';
import { getChatSession, listChatSessions } from '../../domain/chat/chat-list.js';
import { unreadAmong } from '../../domain/inbox/unread.js';
import { citedTitles } from '../../domain/knowledge/articles.js';
import { operatorProcedure, router } from '../trpc.js';
import { toChatSummary, toOperatorMessage } from './mappers.js';

/** Live Chat: the widget's conversations, read-only for operators. */
export const chatsRouter = router({
  list: operatorProcedure
    .input(chatListInputSchema)
    .output(chatListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listChatSessions(ctx.em, input);
      const unread = await unreadAmong(ctx.em, ctx.services, ctx.operator, items.map((row) => row.session.ticket));
      return { items: items.map((row) => toChatSummary(row, unread.has(row.session.ticket.id))), nextCursor };
    }),

  get: operatorProcedure
    .input(chatGetInputSchema)
    .output(chatDetailSchema)
    .query(async ({ ctx, input }) => {
      const chat = await getChatSession(ctx.em, input.sessionId);
      const lessons = await lessonsOfReplies(
        ctx.em,
        chat.messages.filter((m) => m.author === 'ai').map((m) => m.id),
      );
      const titles = await citedTitles(ctx.em, chat.messages);
      const linked = chat.linkedTicket;
      return {
        ...toChatSummary(chat),
        locale: chat.session.locale,
        verifiedAt: chat.session.verifiedAt,
        verifiedCustomerId: chat.verifiedCustomer?.id ?? null,
        linkedTicket: linked ? { id: linked.id, subject: linked.subject, status: linked.status } : null,
        messages: chat.messages.map((message) => toOperatorMessage(message, null, lessons.get(message.id), titles)),
      };
    }),
});
