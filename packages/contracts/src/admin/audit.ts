import { z } from 'zod';
import { pageFields, pageOf } from './paging.js';

/* The privacy audit trail: exports, erasures, deleted chats and refused signed identities. */

export const auditActionSchema = z.enum([
  'customer_exported',
  'customer_erased',
  'conversation_deleted',
  'retention_deleted',
  'identity_refused',
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int().positive(),
  action: auditActionSchema,
  /** Who did it: an operator's name and email; null for a visitor or the server itself. */
  operator: z.object({ name: z.string(), email: z.string() }).nullable(),
  /** Whom it concerned; null once that customer was erased. */
  subject: z.string().nullable(),
  detail: z.string().nullable(),
  createdAt: z.date(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditListInputSchema = z
  .object({ action: auditActionSchema.optional(), ...pageFields(50) })
  .default({ limit: 50 });
export type AuditListInput = z.input<typeof auditListInputSchema>;

export const auditListOutputSchema = pageOf(auditEntrySchema);
