import { z } from 'zod';
import { multiLineText } from './text.js';
import { escalationReasonSchema } from './escalation.js';

/** The longest message a visitor may send, in characters. */
export const MAX_MESSAGE_LENGTH = 4000;

/** Public id of a chat session, as issued by `chat.start`. */
export const sessionIdSchema = z
  .string()
  .regex(/^cs_[A-Za-z0-9_-]{22}$/, 'This chat session id is not valid.');

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
    .max(MAX_MESSAGE_LENGTH, `Messages can be at most ${MAX_MESSAGE_LENGTH.toLocaleString('en')} characters.`)
    .trim()
    .min(1, 'Write a message before sending.'),
);

/** A BCP 47 language tag such as `en` or `pt-BR`. */
export const localeSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'The locale must be a language tag such as "en" or "pt-BR".');

export const messageAuthorSchema = z.enum(['visitor', 'ai', 'system', 'operator', 'customer']);
export type MessageAuthor = z.infer<typeof messageAuthorSchema>;

export const messageKindSchema = z.enum([
  'text',
  'escalation_offer',
  'escalation_confirmation',
  'suppressed',
]);
export type MessageKind = z.infer<typeof messageKindSchema>;

export const offerStatusSchema = z.enum(['pending', 'accepted', 'declined']);
export type OfferStatus = z.infer<typeof offerStatusSchema>;

export const ratingSchema = z.enum(['up', 'down']);
export type Rating = z.infer<typeof ratingSchema>;

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
  comment: multiLineText(z.string().trim().max(1000, 'Keep the comment under 1,000 characters.')).optional(),
});
export type RateMessageInput = z.input<typeof rateMessageInputSchema>;

/** A knowledge-base article a reply is grounded in, shown under the reply as a link. */
export const citationSchema = z.object({
  articleId: z.number().int().positive(),
  title: z.string(),
  /** The public article page, `/kb/<slug>` on the chat server. */
  url: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

/** A message as the visitor's widget sees it. */
export const chatMessageSchema = z.object({
  id: z.number().int().positive(),
  author: messageAuthorSchema,
  kind: messageKindSchema,
  body: z.string(),
  createdAt: z.date(),
  clientMessageId: z.string().nullable(),
  /** For an AI reply: the visitor message it answers. */
  replyToId: z.number().int().positive().nullable(),
  rating: ratingSchema.nullable(),
  /** True when the reply was cut short (the visitor stopped it or the model failed mid-way). */
  interrupted: z.boolean(),
  /** On an escalation offer or confirmation: why a human is needed. */
  escalationReason: escalationReasonSchema.nullable(),
  /** On an escalation offer: pending until the visitor accepts or declines it. */
  offerStatus: offerStatusSchema.nullable(),
  /** Articles the reply is grounded in (empty when none). */
  citations: z.array(citationSchema),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

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

export const escalationResultSchema = z.object({
  /** The offer, now accepted. */
  offer: chatMessageSchema,
  /** The in-chat confirmation naming the address support will write to. */
  confirmation: chatMessageSchema,
  /** The follow-up email ticket's number, for the visitor's reference. */
  ticketId: z.number().int().positive(),
});
export type EscalationResult = z.infer<typeof escalationResultSchema>;
