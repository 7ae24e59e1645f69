import { z } from 'zod';
import { multiLineText, singleLineText } from '../text.js';
import { sessionIdSchema } from '../messages.js';
import { operatorMessageSchema } from './messages.js';
import { pageFields, pageOf } from './paging.js';

/* Email tickets: the queue, one ticket with its messages, replies, status and assignment. */

export const ticketStatusSchema = z.enum(['open', 'pending', 'snoozed', 'resolved', 'closed']);
export type TicketStatusValue = z.infer<typeof ticketStatusSchema>;

export const ticketPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type TicketPriorityValue = z.infer<typeof ticketPrioritySchema>;

/** `queue`: the operator's own tickets and the unassigned ones anybody may take. */
export const ticketViewSchema = z.enum(['queue', 'mine', 'unassigned', 'all']);
export type TicketView = z.infer<typeof ticketViewSchema>;

/** An email address a ticket's mail goes to. */
export const requesterEmailSchema = singleLineText(
  z
    .string()
    .trim()
    .toLowerCase()
    .max(320, 'That email address is too long.')
    .regex(
      /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/,
      'Enter an email address such as customer@example.com.',
    ),
);

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'Tags are 1–40 letters, digits, "-" or "_".');

export const ticketListInputSchema = z
  .object({
    view: ticketViewSchema.default('all'),
    status: ticketStatusSchema.optional(),
    ...pageFields(),
  })
  .default({ view: 'all', limit: 25 });
export type TicketListInput = z.input<typeof ticketListInputSchema>;

const operatorRefSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  email: z.string(),
});

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
  /** Something on it the signed-in operator has not seen (false where not worked out). */
  unread: z.boolean().default(false),
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

export const ticketListOutputSchema = pageOf(ticketSummarySchema);
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
  subject: singleLineText(
    z
      .string()
      .trim()
      .min(1, 'Give the ticket a subject.')
      .max(300, 'Subjects can be at most 300 characters.'),
  ),
  summary: multiLineText(z.string().trim().max(4000)).optional(),
  /** Follow up on this chat: the ticket links to it and it to the ticket. */
  chatSessionId: sessionIdSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  tags: z.array(tagSchema).max(20).optional(),
});
export type TicketCreateInput = z.input<typeof ticketCreateInputSchema>;

export const ticketReplyInputSchema = z.object({
  id: z.number().int().positive(),
  body: multiLineText(
    z
      .string()
      .trim()
      .min(1, 'Write a reply before sending.')
      .max(20_000, 'Replies can be at most 20,000 characters.'),
  ),
});
export type TicketReplyInput = z.input<typeof ticketReplyInputSchema>;

export const ticketStatusInputSchema = z.object({
  id: z.number().int().positive(),
  status: ticketStatusSchema,
});
export const ticketAssignInputSchema = z.object({
  id: z.number().int().positive(),
  /** null leaves the ticket unassigned. */
  operatorId: z.number().int().positive().nullable(),
});
