import { z } from 'zod';
import { multiLineText } from './text.js';
import { chatMessageSchema, ratingSchema, sessionIdSchema } from './messages.js';

/* The widget's chat: a session, the visitor's messages with their streamed replies, ratings. */

/** The longest message a visitor may send, in characters. */
export const MAX_MESSAGE_LENGTH = 4000;

/** The secret the widget holds for its session; the server stores only its hash. */
export const visitorTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This chat session token is not valid.');

/**
 * Chosen by the widget for each message it sends; sending again with the same id returns
 * the stored result instead of creating a second message.
 */
export const clientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'The message id must be 8–64 letters, digits, "-" or "_".');

export const messageTextSchema = multiLineText(
  z
    .string()
    .max(
      MAX_MESSAGE_LENGTH,
      `Messages can be at most ${MAX_MESSAGE_LENGTH.toLocaleString('en')} characters.`,
    )
    .trim()
    .min(1, 'Write a message before sending.'),
);

/** A BCP 47 language tag such as `en` or `pt-BR`. */
export const localeSchema = z
  .string()
  .regex(
    /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/,
    'The locale must be a language tag such as "en" or "pt-BR".',
  );

/** Why a visitor rated a reply down. */
export const ratingReasonSchema = z.enum(['wrong', 'unhelpful', 'rude', 'other']);
export type RatingReason = z.infer<typeof ratingReasonSchema>;

/**
 * A visitor's thumbs up or down on one reply; `rating: null` takes it back. Sending the
 * same rating again changes nothing.
 */
export const rateMessageInputSchema = z.object({
  messageId: z.number().int().positive(),
  rating: ratingSchema.nullable(),
  reason: ratingReasonSchema.optional(),
  comment: multiLineText(
    z.string().trim().max(1000, 'Keep the comment under 1,000 characters.'),
  ).optional(),
});
export type RateMessageInput = z.input<typeof rateMessageInputSchema>;

export const startSessionInputSchema = z
  .object({
    locale: localeSchema.optional(),
  })
  .optional();
export type StartSessionInput = z.infer<typeof startSessionInputSchema>;

export const startSessionOutputSchema = z.object({
  sessionId: sessionIdSchema,
  visitorToken: visitorTokenSchema,
});
export type StartSessionOutput = z.infer<typeof startSessionOutputSchema>;

export const sendMessageInputSchema = z.object({
  clientMessageId: clientMessageIdSchema,
  text: messageTextSchema,
});
export type SendMessageInput = z.input<typeof sendMessageInputSchema>;

/**
 * What `chat.send` streams, in order: `accepted` once the visitor message is stored, any
 * number of `delta` pieces of the reply (each a whole sentence that passed the checks),
 * then `done` with the stored reply.
 */
export const sendMessageEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accepted'), message: chatMessageSchema }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('done'), message: chatMessageSchema }),
]);
export type SendMessageEvent = z.infer<typeof sendMessageEventSchema>;

export const historyInputSchema = z
  .object({
    /** Only messages with a larger id: used to resync after a dropped connection. */
    afterId: z.number().int().nonnegative().optional(),
  })
  .optional();
export type HistoryInput = z.infer<typeof historyInputSchema>;

export const historyOutputSchema = z.object({
  sessionId: sessionIdSchema,
  messages: z.array(chatMessageSchema),
});
export type HistoryOutput = z.infer<typeof historyOutputSchema>;

/** `chat.emailTranscript`: where the conversation went. */
export const transcriptResultSchema = z.object({ email: z.string() });
export type TranscriptResult = z.infer<typeof transcriptResultSchema>;

/** One of the visitor's chats, as the widget lists them. */
export const conversationSummarySchema = z.object({
  sessionId: sessionIdSchema,
  subject: z.string(),
  /** The last message's first words; null when the chat has none yet. */
  preview: z.string().nullable(),
  lastActivityAt: z.date(),
  /** The chat this browser holds now. */
  current: z.boolean(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

/** Recent chats: a verified customer's from every device; otherwise only this browser's. */
export const conversationsOutputSchema = z.object({ conversations: z.array(conversationSummarySchema) });
export type ConversationsOutput = z.infer<typeof conversationsOutputSchema>;

export const continueConversationInputSchema = z.object({ sessionId: sessionIdSchema });
export type ContinueConversationInput = z.input<typeof continueConversationInputSchema>;

export const deleteConversationOutputSchema = z.object({ deleted: z.literal(true) });
