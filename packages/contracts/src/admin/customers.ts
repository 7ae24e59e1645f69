import { z } from 'zod';
import { singleLineText } from '../text.js';
import { sessionIdSchema } from '../messages.js';
import { pageFields, pageOf } from './paging.js';
import { ticketStatusSchema } from './tickets.js';

/*
 * The console's customer records: the people the business knows (imported with
 * `npm run import:customers`), their email tickets, and the chats verified as them.
 */

/** Extra facts about a customer, imported from the shop's own systems: string values only. */
export const customerMetadataSchema = z
  .record(
    z
      .string()
      .trim()
      .min(1, 'Metadata keys cannot be empty.')
      .max(100, 'Metadata keys can be at most 100 characters.'),
    z
      .string({ error: 'Metadata values must be text.' })
      .max(1000, 'Metadata values can be at most 1,000 characters.'),
  )
  .refine(
    (value) => Object.keys(value).length <= 50,
    'A customer can have at most 50 metadata fields.',
  );
export type CustomerMetadata = z.infer<typeof customerMetadataSchema>;

/** A customer as the console shows it. */
export const customerSchema = z.object({
  id: z.number().int().positive(),
  email: z.string(),
  name: z.string().nullable(),
  externalId: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CustomerView = z.infer<typeof customerSchema>;

export const customerListInputSchema = z
  .object({
    /** Part of an email address, name or externalId; empty lists everyone. */
    query: singleLineText(
      z.string().trim().max(200, 'Search for at most 200 characters.'),
    ).optional(),
    ...pageFields(),
  })
  .default({ limit: 25 });
export type CustomerListInput = z.input<typeof customerListInputSchema>;

export const customerListOutputSchema = pageOf(customerSchema);

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

const exportRows = z.array(z.record(z.string(), z.unknown()));

/** Everything held about one customer, as the console downloads it (JSON). */
export const customerExportSchema = z.object({
  exportedAt: z.date(),
  customer: z.record(z.string(), z.unknown()),
  chats: exportRows,
  tickets: exportRows,
  feedback: exportRows,
  verifications: exportRows,
  mail: exportRows,
  audit: exportRows,
});
export type CustomerExport = z.infer<typeof customerExportSchema>;

/** What an erase removed. */
export const customerEraseOutputSchema = z.object({
  chats: z.number().int().nonnegative(),
  tickets: z.number().int().nonnegative(),
});
