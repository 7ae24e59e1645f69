import {
  blockedSenderIdInputSchema,
  blockedSenderInputSchema,
  blockedSenderSchema,
  mailAttachmentContentSchema,
  mailAttachmentInputSchema,
  mailOriginalInputSchema,
  mailOriginalSchema,
} from '@ticket0/contracts';
import { z } from 'zod';
import type { MailAttachment } from '../../db/entities/index.js';
import {
  attachmentContent,
  blockSender,
  listBlockedSenders,
  originalMail,
  unblockSender,
} from '../../domain/inbound/mailbox-console.js';
import { pick } from '../mappers.js';
import { adminProcedure, operatorProcedure, router } from '../trpc.js';

export function toAttachmentView(attachment: MailAttachment) {
  return pick(attachment, ['id', 'filename', 'contentType', 'size', 'kept']);
}

/** Customer mail behind ticket messages (operators), and the sender block list (admins). */
export const mailRouter = router({
  original: operatorProcedure
    .input(mailOriginalInputSchema)
    .output(mailOriginalSchema)
    .query(async ({ ctx, input }) => {
      const { email, attachments } = await originalMail(ctx.em, input.messageId);
      return {
        from: email.fromAddress,
        subject: email.subject,
        text: email.text,
        receivedAt: email.createdAt,
        attachments: attachments.map(toAttachmentView),
      };
    }),

  /** Operators only: attachments are never served to visitors. */
  attachment: operatorProcedure
    .input(mailAttachmentInputSchema)
    .output(mailAttachmentContentSchema)
    .query(async ({ ctx, input }) => {
      const attachment = await attachmentContent(ctx.em, input.id);
      return { ...pick(attachment, ['filename', 'contentType', 'size']), base64: attachment.content.toString('base64') };
    }),

  blockedSenders: adminProcedure.output(z.array(blockedSenderSchema)).query(async ({ ctx }) =>
    (await listBlockedSenders(ctx.em)).map((b) => pick(b, ['id', 'pattern', 'createdAt'])),
  ),

  block: adminProcedure
    .input(blockedSenderInputSchema)
    .output(blockedSenderSchema)
    .mutation(async ({ ctx, input }) => pick(await blockSender(ctx.em, ctx.services, input.pattern), ['id', 'pattern', 'createdAt'])),

  unblock: adminProcedure
    .input(blockedSenderIdInputSchema)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await unblockSender(ctx.em, input.id);
      return { ok: true as const };
    }),
});
