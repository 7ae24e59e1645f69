import { z } from 'zod';
import { singleLineText } from './text.js';
import { cursorSchema, ticketStatusSchema } from './admin.js';
import { sessionIdSchema } from './chat.js';
import { customerSchema } from './verification.js';

/*
 * The console's customer records: the people the business knows (imported with
 * `npm run import:customers`), their email tickets, and the chats verified as them.
 */

export const customerListInputSchema = z
  .object({
    /** Part of an email address, name or externalId; empty lists everyone. */
    query: singleLineText(z.string().trim().max(200, 'Search for at most 200 characters.')).optional(),
    cursor: cursorSchema.optional(),
    limit: z.number().int().min(1).max(100).default(25),
  })
  .default({ limit: 25 });
export type CustomerListInput = z.input<typeof customerListInputSchema>;

export const customerListOutputSchema = z.object({
  items: z.array(customerSchema),
  nextCursor: z.string().nullable(),
});

export const customerIdInputSchema = z.object({ id: z.number().int().positive() });

export const customerDetailSchema = customerSchema.extend({
  /** Their email tickets, most recently changed first. */
  tickets: z.array(
    z.object({
      id: z.number().int().positive(),
      subject: z.string(),
      status: ticketStatusSchema,
      updatedAt: z.date(),
    }),
  ),
  /** Widget chats whose visitor proved this email address, most recent first. */
  chats: z.array(
    z.object({
      sessionId: sessionIdSchema,
      subject: z.string(),
      verifiedAt: z.date().nullable(),
      lastActivityAt: z.date(),
    }),
  ),
});
export type CustomerDetail = z.infer<typeof customerDetailSchema>;
