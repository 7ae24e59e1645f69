import type { EntityManager } from '@mikro-orm/sqlite';
import { AuditEntry, type AuditAction, type Operator } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor, page } from '../../lib/pagination.js';

/*
 * The privacy audit trail: exports, erasures, deleted conversations and refused identities.
 * An entry never holds message text or a token; once its customer is erased it keeps only
 * the action, who did it and when.
 */

export interface AuditInput {
  action: AuditAction;
  operator?: Operator | null;
  customerId?: number | null;
  subject?: string | null;
  detail?: string | null;
}

/** Adds an entry to the unit of work; the caller's flush writes it with what it records. */
export function recordAudit(em: EntityManager, deps: { clock: Clock }, input: AuditInput): AuditEntry {
  return em.create(AuditEntry, {
    action: input.action,
    operator: input.operator ?? null,
    customerId: input.customerId ?? null,
    subject: input.subject ?? null,
    detail: input.detail ?? null,
    createdAt: deps.clock.now(),
  });
}

/** Newest first, keyset-paged. */
export async function listAudit(
  em: EntityManager,
  input: { action?: AuditAction | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const cursor = decodeCursor(input.cursor);
  const rows = await em.find(
    AuditEntry,
    {
      ...(input.action ? { action: input.action } : {}),
      ...(cursor ? { $or: [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, id: { $lt: cursor.id } }] } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: input.limit + 1, populate: ['operator'] },
  );
  return page(rows, input.limit, (row) => encodeCursor(row.createdAt, row.id));
}

/** After an erase: the customer's earlier entries forget whom they were about. */
export async function forgetAuditSubject(em: EntityManager, customerId: number): Promise<void> {
  await em.nativeUpdate(AuditEntry, { customerId }, { customerId: null, subject: null, detail: null });
}
