import { z } from 'zod';
import { multiLineText, singleLineText } from './text.js';
import { messageAuthorSchema, messageKindSchema, offerStatusSchema, ratingSchema, sessionIdSchema } from './chat.js';
import { escalationReasonSchema, type EscalationReason } from './escalation.js';

/*
 * The operator console's API: sign-in, Live Chat, tickets, team, settings and outbox.
 * Everything here travels between the server and apps/admin only.
 */

// ---------------------------------------------------------------------------------------
// Vocabulary

export const operatorRoleSchema = z.enum(['member', 'admin', 'owner']);
export type OperatorRole = z.infer<typeof operatorRoleSchema>;

export const availabilitySchema = z.enum(['available', 'away']);
export type Availability = z.infer<typeof availabilitySchema>;

export const ticketStatusSchema = z.enum(['open', 'pending', 'snoozed', 'resolved', 'closed']);
export type TicketStatusValue = z.infer<typeof ticketStatusSchema>;

export const ticketPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type TicketPriorityValue = z.infer<typeof ticketPrioritySchema>;

/** Reason codes: the fixed list lives in escalation.ts; the console keys settings on it. */
const reasonCodeSchema = escalationReasonSchema;
export type ReasonCode = EscalationReason;

/**
 * An operator's email address. Deliberately lenient (`owner@localhost` is fine on a
 * self-hosted box); stored lower-case.
 */
export const operatorEmailSchema = singleLineText(
  z
    .string()
    .trim()
    .toLowerCase()
    .max(320, 'That email address is too long.')
    .regex(/^[^\s@]+@[^\s@]+$/, 'Enter an email address such as ana@example.com.'),
);

export const passwordSchema = z
  .string()
  .min(12, 'Passwords must be at least 12 characters.')
  .max(200, 'Passwords can be at most 200 characters.');

/** An email address a ticket's mail goes to. */
export const requesterEmailSchema = singleLineText(
  z
    .string()
    .trim()
    .toLowerCase()
    .max(320, 'That email address is too long.')
    .regex(/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/, 'Enter an email address such as customer@example.com.'),
);

const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'Tags are 1–40 letters, digits, "-" or "_".');

/** An opaque position in a list; pass `nextCursor` back to get the next page. */
export const cursorSchema = z.string().max(100).regex(/^\d+:\d+$/, 'This page cursor is not valid.');
const pageSizeSchema = z.number().int().min(1).max(100).default(25);

// ---------------------------------------------------------------------------------------
// Operators and sign-in

export const operatorSchema = z.object({
  id: z.number().int().positive(),
  email: z.string(),
  name: z.string(),
  role: operatorRoleSchema,
  availability: availabilitySchema,
  /** Most open + pending tickets auto-assignment gives this operator; 0 = never. */
  capacity: z.number().int().min(0),
  joinedAt: z.date(),
});
export type OperatorView = z.infer<typeof operatorSchema>;

export const signInInputSchema = z.object({
  email: operatorEmailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
});
export type SignInInput = z.input<typeof signInInputSchema>;

export const sessionOutputSchema = z.object({ operator: operatorSchema }).nullable();
export type SessionOutput = z.infer<typeof sessionOutputSchema>;

export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(200),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;

// ---------------------------------------------------------------------------------------
// Live Chat

/**
 * Live Chat's filters. The quality ones (`low_quality`: scored under 70 %, `hallucination`,
 * `circular`, `in_review`) read the chat's latest evaluation; `negative_feedback` reads the
 * replies rated down right now.
 */
export const chatFilterSchema = z.enum([
  'all',
  'escalated',
  'verified',
  'negative_feedback',
  'low_quality',
  'hallucination',
  'circular',
  'in_review',
]);
export type ChatFilter = z.infer<typeof chatFilterSchema>;

/** A chat's latest quality evaluation (see domain/quality.ts). */
export const chatQualitySchema = z.object({
  /** Composite score, 0–100: the badge on Live Chat. */
  score: z.number().int().min(0).max(100),
  accuracy: z.number().int().min(0).max(100),
  completeness: z.number().int().min(0).max(100),
  resolution: z.number().int().min(0).max(100),
  hallucination: z.boolean(),
  circular: z.boolean(),
  questionType: z.string().nullable(),
  /** Replies rated down when the chat was judged (Live Chat's own count is live). */
  negativeFeedback: z.number().int().min(0),
  method: z.enum(['model', 'heuristic']),
  /** Waiting in the review queue. */
  inReview: z.boolean(),
  reviewedAt: z.date().nullable(),
  evaluatedAt: z.date(),
});
export type ChatQuality = z.infer<typeof chatQualitySchema>;

/** The quality flags a chat can carry, as Live Chat lists them. */
export const qualityFlagSchema = z.enum(['low_quality', 'hallucination', 'circular', 'in_review']);
export type QualityFlag = z.infer<typeof qualityFlagSchema>;

export const chatListInputSchema = z
  .object({
    filter: chatFilterSchema.default('all'),
    cursor: cursorSchema.optional(),
    limit: pageSizeSchema,
  })
  .default({ filter: 'all', limit: 25 });
export type ChatListInput = z.input<typeof chatListInputSchema>;

const lastMessageSchema = z.object({
  author: messageAuthorSchema,
  kind: messageKindSchema,
  /** Shortened to 200 characters. */
  body: z.string(),
  createdAt: z.date(),
});

export const chatSummarySchema = z.object({
  sessionId: sessionIdSchema,
  ticketId: z.number().int().positive(),
  subject: z.string(),
  origin: z.string().nullable(),
  startedAt: z.date(),
  lastActivityAt: z.date(),
  lastMessage: lastMessageSchema.nullable(),
  messageCount: z.number().int().min(0),
  verifiedEmail: z.string().nullable(),
  escalated: z.boolean(),
  escalationReason: z.string().nullable(),
  /** The email ticket this chat spawned, if any. */
  linkedTicketId: z.number().int().positive().nullable(),
  negativeFeedbackCount: z.number().int().min(0),
  /** Quality findings from the latest evaluation; empty until the chat is judged. */
  qualityFlags: z.array(qualityFlagSchema),
  /** The latest evaluation; null until the chat is judged. */
  quality: chatQualitySchema.nullable(),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

export const chatListOutputSchema = z.object({
  items: z.array(chatSummarySchema),
  nextCursor: z.string().nullable(),
});
export type ChatListOutput = z.infer<typeof chatListOutputSchema>;

export const chatGetInputSchema = z.object({ sessionId: sessionIdSchema });

/** A message as an operator sees it: everything the visitor saw, plus why. */
export const operatorMessageSchema = z.object({
  id: z.number().int().positive(),
  author: messageAuthorSchema,
  kind: messageKindSchema,
  body: z.string(),
  createdAt: z.date(),
  rating: ratingSchema.nullable(),
  interrupted: z.boolean(),
  model: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  citations: z.array(z.number().int()),
  /** For operator replies on email tickets: who wrote it and what happened to the mail. */
  sentBy: z.string().nullable(),
  delivery: z.enum(['queued', 'sent', 'failed']).nullable(),
  /** On an escalation offer or confirmation: why a human is needed. */
  escalationReason: z.string().nullable(),
  /** On an escalation offer: what the visitor did with it. */
  offerStatus: offerStatusSchema.nullable(),
  /**
   * Why the message is what it is: for a `suppressed` message the safety rules that held it
   * back (never sent) and why; for an offer, the model failure behind it.
   */
  safety: z
    .object({
      rules: z.array(z.string()),
      note: z.string().nullable(),
      modelFailure: z.string().nullable(),
    })
    .nullable(),
  /** Lessons drawn from flags on this reply (an AI reply's corrections). */
  lessons: z.array(
    z.object({
      id: z.number().int().positive(),
      status: z.enum(['pending', 'approved', 'disabled']),
      text: z.string(),
    }),
  ),
});
export type OperatorMessage = z.infer<typeof operatorMessageSchema>;

const linkedTicketSchema = z.object({
  id: z.number().int().positive(),
  subject: z.string(),
  status: ticketStatusSchema,
});

export const chatDetailSchema = chatSummarySchema.extend({
  locale: z.string().nullable(),
  verifiedAt: z.date().nullable(),
  /** The customer record with the verified email address, when there is one. */
  verifiedCustomerId: z.number().int().positive().nullable(),
  linkedTicket: linkedTicketSchema.nullable(),
  messages: z.array(operatorMessageSchema),
});
export type ChatDetail = z.infer<typeof chatDetailSchema>;

// ---------------------------------------------------------------------------------------
// Tickets

export const ticketViewSchema = z.enum(['mine', 'unassigned', 'all']);
export type TicketView = z.infer<typeof ticketViewSchema>;

export const ticketListInputSchema = z
  .object({
    view: ticketViewSchema.default('all'),
    status: ticketStatusSchema.optional(),
    cursor: cursorSchema.optional(),
    limit: pageSizeSchema,
  })
  .default({ view: 'all', limit: 25 });
export type TicketListInput = z.input<typeof ticketListInputSchema>;

const operatorRefSchema = z.object({ id: z.number().int().positive(), name: z.string(), email: z.string() });

export const ticketSummarySchema = z.object({
  id: z.number().int().positive(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  tags: z.array(z.string()),
  requesterEmail: z.string().nullable(),
  assignee: operatorRefSchema.nullable(),
  escalationReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

export const ticketListOutputSchema = z.object({
  items: z.array(ticketSummarySchema),
  nextCursor: z.string().nullable(),
});
export type TicketListOutput = z.infer<typeof ticketListOutputSchema>;

export const ticketIdInputSchema = z.object({ id: z.number().int().positive() });

export const ticketDetailSchema = ticketSummarySchema.extend({
  aiSummary: z.string().nullable(),
  /** The chat this ticket came from, when it came from one. */
  chatSessionId: sessionIdSchema.nullable(),
  messages: z.array(operatorMessageSchema),
});
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

export const ticketCreateInputSchema = z.object({
  requesterEmail: requesterEmailSchema,
  subject: singleLineText(z.string().trim().min(1, 'Give the ticket a subject.').max(300, 'Subjects can be at most 300 characters.')),
  summary: multiLineText(z.string().trim().max(4000)).optional(),
  /** Follow up on this chat: the ticket links to it and it to the ticket. */
  chatSessionId: sessionIdSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  tags: z.array(tagSchema).max(20).optional(),
});
export type TicketCreateInput = z.input<typeof ticketCreateInputSchema>;

export const ticketReplyInputSchema = z.object({
  id: z.number().int().positive(),
  body: multiLineText(z.string().trim().min(1, 'Write a reply before sending.').max(20_000, 'Replies can be at most 20,000 characters.')),
});
export type TicketReplyInput = z.input<typeof ticketReplyInputSchema>;

export const ticketStatusInputSchema = z.object({ id: z.number().int().positive(), status: ticketStatusSchema });
export const ticketAssignInputSchema = z.object({
  id: z.number().int().positive(),
  /** null leaves the ticket unassigned. */
  operatorId: z.number().int().positive().nullable(),
});

// ---------------------------------------------------------------------------------------
// Team

export const teamMemberSchema = operatorSchema.extend({
  /** Open + pending tickets assigned right now. */
  openTickets: z.number().int().min(0),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const operatorNameSchema = singleLineText(z.string().trim().min(1, 'Enter a name.').max(100, 'Names can be at most 100 characters.'));
const capacitySchema = z.number().int().min(0, 'Capacity cannot be negative.').max(1000);

export const operatorCreateInputSchema = z.object({
  email: operatorEmailSchema,
  name: operatorNameSchema,
  role: operatorRoleSchema.default('member'),
  capacity: capacitySchema.default(5),
  /** Leave out to have a strong one generated and shown once. */
  password: passwordSchema.optional(),
});
export type OperatorCreateInput = z.input<typeof operatorCreateInputSchema>;

export const operatorCreateOutputSchema = z.object({
  operator: operatorSchema,
  /** Only when the server generated it; shown once, never stored in the clear. */
  generatedPassword: z.string().nullable(),
});

export const operatorUpdateInputSchema = z.object({
  id: z.number().int().positive(),
  name: operatorNameSchema.optional(),
  role: operatorRoleSchema.optional(),
  availability: availabilitySchema.optional(),
  capacity: capacitySchema.optional(),
});
export type OperatorUpdateInput = z.input<typeof operatorUpdateInputSchema>;

export const availabilityInputSchema = z.object({ availability: availabilitySchema });

// ---------------------------------------------------------------------------------------
// Settings

export const reasonRuleSchema = z.object({
  tags: z.array(tagSchema).max(10),
  priority: ticketPrioritySchema,
});
export type ReasonRule = z.infer<typeof reasonRuleSchema>;

export const reasonMapSchema = z.record(reasonCodeSchema, reasonRuleSchema);
export type ReasonMap = Record<ReasonCode, ReasonRule>;

/** An origin such as `https://shop.example.com` (scheme, host, port; no path). */
export const originSchema = z
  .string()
  .trim()
  .max(255)
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null') return url.origin;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin such as https://shop.example.com` });
    return z.NEVER;
  });

export const settingsSchema = z.object({
  autoAssign: z.boolean(),
  reasonMap: reasonMapSchema,
  /** Sites allowed to embed the widget, besides those in ALLOWED_ORIGINS. */
  allowedOrigins: z.array(z.string()),
  /** From ALLOWED_ORIGINS and PUBLIC_URL: always allowed, changed only by redeploying. */
  configuredOrigins: z.array(z.string()),
  updatedAt: z.date().nullable(),
});
export type SettingsView = z.infer<typeof settingsSchema>;

export const settingsUpdateInputSchema = z.object({
  autoAssign: z.boolean().optional(),
  reasonMap: z.partialRecord(reasonCodeSchema, reasonRuleSchema).optional(),
  allowedOrigins: z.array(originSchema).max(100).optional(),
});
export type SettingsUpdateInput = z.input<typeof settingsUpdateInputSchema>;

// ---------------------------------------------------------------------------------------
// Outbox

export const outboxStatusSchema = z.enum(['queued', 'sent', 'failed']);
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

export const outboxListInputSchema = z
  .object({
    status: outboxStatusSchema.optional(),
    cursor: cursorSchema.optional(),
    limit: pageSizeSchema,
  })
  .default({ limit: 25 });
export type OutboxListInput = z.input<typeof outboxListInputSchema>;

export const outboxEmailSchema = z.object({
  id: z.number().int().positive(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: outboxStatusSchema,
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  sentAt: z.date().nullable(),
  ticketId: z.number().int().positive().nullable(),
  createdAt: z.date(),
});
export type OutboxEmailView = z.infer<typeof outboxEmailSchema>;

export const outboxListOutputSchema = z.object({
  items: z.array(outboxEmailSchema),
  nextCursor: z.string().nullable(),
  /** False when SMTP_URL is unset: mail waits here and is written to the log. */
  smtpConfigured: z.boolean(),
});

export const outboxIdInputSchema = z.object({ id: z.number().int().positive() });

// ---------------------------------------------------------------------------------------
// Live updates

/** Pushed to open consoles; ids only, the console loads what it shows. */
export const liveEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    sessionId: z.string().nullable(),
    ticketId: z.number().int(),
    messageId: z.number().int(),
  }),
  z.object({ type: z.literal('ticket'), ticketId: z.number().int() }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
