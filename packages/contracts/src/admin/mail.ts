import { z } from 'zod';

/* Mail read from the support mailbox: the original of a customer's reply, its attachments, the block list. */

export const mailAttachmentSchema = z.object({
  id: z.number().int().positive(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  /** False when it was over the size limit: only its name and size were kept. */
  kept: z.boolean(),
});
export type MailAttachmentView = z.infer<typeof mailAttachmentSchema>;

export const mailOriginalInputSchema = z.object({ messageId: z.number().int().positive() });

/** The mail a ticket message came from, whole (quoted history and signature included). */
export const mailOriginalSchema = z.object({
  from: z.string(),
  subject: z.string(),
  text: z.string(),
  receivedAt: z.date(),
  attachments: z.array(mailAttachmentSchema),
});

export const mailAttachmentInputSchema = z.object({ id: z.number().int().positive() });

export const mailAttachmentContentSchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  /** The file, base64-encoded. */
  base64: z.string(),
});

export const blockedSenderSchema = z.object({ id: z.number().int().positive(), pattern: z.string(), createdAt: z.date() });
export const blockedSenderInputSchema = z.object({
  pattern: z.string().trim().min(3, 'Enter an address or @domain.').max(320),
});
export const blockedSenderIdInputSchema = z.object({ id: z.number().int().positive() });
