import {
  chatMessageSchema,
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
import { rateReply } from '../domain/feedback.js';
import { emailTranscript } from '../domain/transcript.js';
import { publicProcedure, router, visitorProcedure } from '../trpc.js';
import { toChatMessage, toChatMessages } from './mappers.js';

export const chatRouter = router({
  /** How the widget presents itself (brand, accent colour, greeting, AI label), as set in the console. */
  config: publicProcedure.output(widgetAppearanceSchema).query(({ ctx }) => ctx.services.widgetConfig.get(ctx.em)),

  /** Opens a chat session. The visitor token is in this answer only; keep it. */
  start: publicProcedure
    .input(startSessionInputSchema)
    .output(startSessionOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const { session, visitorToken } = await ctx.services.chat.startSession(ctx.em, {
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
    const { chat, shutdownSignal } = ctx.services;
    const { message, reply } = await chat.acceptMessage(
      ctx.em,
      { session: ctx.session, clientAddress: ctx.clientAddress },
      input,
    );
    yield { type: 'accepted', message: toChatMessage(message) } satisfies SendMessageEvent;

    let stored = reply;
    if (!stored) {
      const stop = AbortSignal.any([shutdownSignal, ...(signal ? [signal] : [])]);
      const stream = chat.streamReply(ctx.em, ctx.session, message, stop);
      try {
        for (;;) {
          const next = await stream.next();
          if (next.done) {
            stored = next.value;
            break;
          }
          yield { type: 'delta', text: next.value } satisfies SendMessageEvent;
        }
      } finally {
        // The visitor went away between two sentences: let the reply store what it said.
        await stream.return(null);
      }
    }
    if (stored) {
      const [done] = await toChatMessages(ctx.em, ctx.services.env.PUBLIC_URL, [stored]);
      yield { type: 'done', message: done! } satisfies SendMessageEvent;
    }
  }),

  /** Thumbs up or down on one of the assistant's replies; changeable, idempotent. */
  rate: visitorProcedure
    .input(rateMessageInputSchema)
    .output(chatMessageSchema)
    .mutation(async ({ ctx, input }) => {
      // With its citations, or the widget would drop the reply's sources once it is rated.
      const rated = await rateReply(ctx.em, ctx.services, ctx.session, input);
      const [message] = await toChatMessages(ctx.em, ctx.services.env.PUBLIC_URL, [rated]);
      return message!;
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
      const messages = await ctx.services.chat.history(ctx.em, ctx.session, input?.afterId);
      return { sessionId: ctx.session.id, messages: await toChatMessages(ctx.em, ctx.services.env.PUBLIC_URL, messages) };
    }),
});
