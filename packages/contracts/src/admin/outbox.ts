import { z } from 'zod';
import { pageFields, pageOf } from './paging.js';

/* The outbox: every mail the server sends, with its delivery status. */

export const outboxStatusSchema = z.enum(['queued', 'sent', 'failed']);
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

export const outboxListInputSchema = z
  .object({
    status: outboxStatusSchema.optional(),
    ...pageFields(),
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

export const outboxListOutputSchema = pageOf(outboxEmailSchema).extend({
  /** False when SMTP_URL is unset: mail waits here and is written to the log. */
  smtpConfigured: z.boolean(),
});

export const outboxIdInputSchema = z.object({ id: z.number().int().positive() });
