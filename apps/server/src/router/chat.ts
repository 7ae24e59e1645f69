import {
  chatMessageSchema,
  continueConversationInputSchema,
  conversationsOutputSchema,
  deleteConversationOutputSchema,
  historyInputSchema,
  rateMessageInputSchema,
  historyOutputSchema,
  sendMessageInputSchema,
  startSessionInputSchema,
  startSessionOutputSchema,
  transcriptResultSchema,
  widgetAppearanceSchema,
  type SendMessageEvent,
} from '@ticket0/contracts';
import { rateReply } from '../domain/chat/feedback.js';
import { chatHistory } from '../domain/chat/messages.js';
import { emailTranscript } from '../domain/chat/transcript.js';
import { startSession } from '../domain/chat/sessions.js';
import { continueConversation, listConversations } from '../domain/chat/continuity.js';
import { deleteOwnConversation } from '../domain/privacy/erase.js';
import { citationsOf } from '../domain/knowledge/articles.js';
import { acceptAndReply } from '../domain/reply/pipeline.js';
import type { Message } from '../db/entities/index.js';
import { publicProcedure, router, visitorProcedure } from './trpc.js';
import { toChatMessage } from './mappers.js';

export const chatRouter = router({
  /** How the widget presents itself (brand, accent colour, greeting, AI label), as set in the console. */
  config: publicProcedure.output(widgetAppearanceSchema).query(({ ctx }) => ctx.services.widgetConfig.get(ctx.em)),

  /** Opens a chat session. The visitor token is in this answer only; keep it. */
  start: publicProcedure
    .input(startSessionInputSchema)
    .output(startSessionOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const { session, visitorToken } = await startSession(ctx.em, ctx.services, {
        origin: ctx.origin,
        locale: input?.locale,
        clientAddress: ctx.clientAddress,
      });
      return { sessionId: session.id, visitorToken };
    }),

  /**
   * Stores the visitor's message, then streams the reply in the same response:
   * `accepted`, the reply's sentences as `delta`s, then `done` with the stored reply.
   * Sending again with the same clientMessageId never stores a second message.
   */
  send: visitorProcedure.input(sendMessageInputSchema).mutation(async function* ({ ctx, input, signal }) {
    const stop = AbortSignal.any([ctx.services.shutdownSignal, ...(signal ? [signal] : [])]);
    const visitor = { session: ctx.session, clientAddress: ctx.clientAddress };
    const stream = acceptAndReply(ctx.em, ctx.services, visitor, input, stop);
    let stored: Message | null = null;
    try {
      for (;;) {
        const next = await stream.next();
        if (next.done) {
          stored = next.value;
          break;
        }
        const event = next.value;
        yield (event.type === 'accepted' ? { type: 'accepted', message: toChatMessage(event.message) } : event) satisfies SendMessageEvent;
      }
    } finally {
      // The visitor went away between two sentences: let the reply store what it said.
      await stream.return(null);
    }
    if (stored) {
      const citations = await citationsOf(ctx.em, ctx.services.publicUrl, [stored]);
      yield { type: 'done', message: toChatMessage(stored, citations) } satisfies SendMessageEvent;
    }
  }),

  /** Thumbs up or down on one of the assistant's replies; changeable, idempotent. */
  rate: visitorProcedure
    .input(rateMessageInputSchema)
    .output(chatMessageSchema)
    .mutation(async ({ ctx, input }) => {
      // With its citations, or the widget would drop the reply's sources once it is rated.
      const rated = await rateReply(ctx.em, ctx.services, ctx.session, input);
      const citations = await citationsOf(ctx.em, ctx.services.publicUrl, [rated]);
      return toChatMessage(rated, citations);
    }),

  /** Mails the conversation to the chat's verified address (one mail a minute at most). */
  emailTranscript: visitorProcedure
    .output(transcriptResultSchema)
    .mutation(({ ctx }) => emailTranscript(ctx.em, ctx.services, ctx.session)),

  /** The chat so far, for a widget that reloads or reconnects. */
  history: visitorProcedure
    .input(historyInputSchema)
    .output(historyOutputSchema)
    .query(async ({ ctx, input }) => {
      const messages = await chatHistory(ctx.em, ctx.session, input?.afterId);
      const citations = await citationsOf(ctx.em, ctx.services.publicUrl, messages);
      return { sessionId: ctx.session.id, messages: messages.map((message) => toChatMessage(message, citations)) };
    }),

  /** Recent chats: a verified customer's from any device, otherwise only this one. */
  conversations: visitorProcedure
    .output(conversationsOutputSchema)
    .query(async ({ ctx }) => ({ conversations: await listConversations(ctx.em, ctx.session) })),

  /**
   * Continues another chat verified as the same address: this device gets its own key to it
   * (keep it, as after `start`). NOT_FOUND for a chat that is not the customer's.
   */
  continue: visitorProcedure
    .input(continueConversationInputSchema)
    .output(startSessionOutputSchema)
    .mutation(({ ctx, input }) => continueConversation(ctx.em, ctx.services, ctx.session, input)),

  /** Deletes this chat and every message in it, for good. The credential stops working. */
  deleteConversation: visitorProcedure.output(deleteConversationOutputSchema).mutation(async ({ ctx }) => {
    await deleteOwnConversation(ctx.em, ctx.services, ctx.session);
    return { deleted: true as const };
  }),
});
