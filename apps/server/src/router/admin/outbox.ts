import { outboxEmailSchema, outboxIdInputSchema, outboxListInputSchema, outboxListOutputSchema } from '@ticket0/contracts';
import type { OutboxEmail } from '../../db/entities/index.js';
import { DomainError } from '../../lib/errors.js';
import { listOutbox, retryOutboxEmail } from '../../mail/outbox.js';
import { pick } from '../mappers.js';
import { adminProcedure, router } from '../trpc.js';

function toOutboxView(mail: OutboxEmail) {
  return {
    ...pick(mail, ['id', 'to', 'subject', 'text', 'status', 'attempts', 'lastError', 'nextAttemptAt', 'sentAt', 'createdAt']),
    ticketId: mail.ticket?.id ?? null,
  };
}

/** Every mail the server sends, with its delivery status. */
export const outboxRouter = router({
  list: adminProcedure
    .input(outboxListInputSchema)
    .output(outboxListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listOutbox(ctx.em, input);
      return { items: items.map(toOutboxView), nextCursor, smtpConfigured: ctx.services.outbox.configured };
    }),

  /** Queues a failed mail again. */
  retry: adminProcedure
    .input(outboxIdInputSchema)
    .output(outboxEmailSchema)
    .mutation(async ({ ctx, input }) => {
      const mail = await retryOutboxEmail(ctx.em, ctx.services, input.id);
      if (!mail) throw new DomainError('NOT_FOUND', 'This mail is no longer in the outbox.');
      ctx.services.outbox.wake();
      return toOutboxView(mail);
    }),
});
