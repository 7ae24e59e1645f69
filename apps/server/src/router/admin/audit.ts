import { auditListInputSchema, auditListOutputSchema } from '@ticket0/contracts';
import { listAudit } from '../../domain/privacy/audit.js';
import { adminProcedure, router } from '../trpc.js';

/** The privacy audit trail: exports, erasures, deleted chats, refused identities. Admins only. */
export const auditRouter = router({
  list: adminProcedure
    .input(auditListInputSchema)
    .output(auditListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listAudit(ctx.em, input);
      return {
        items: items.map((entry) => ({
          id: entry.id,
          action: entry.action,
          operator: entry.operator ? { name: entry.operator.name, email: entry.operator.email } : null,
          subject: entry.subject,
          detail: entry.detail,
          createdAt: entry.createdAt,
        })),
        nextCursor,
      };
    }),
});
