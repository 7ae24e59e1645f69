import { LockMode, type EntityData, type EntityName, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sqlite';
import { dialectOf } from './dialect.js';

/**
 * Claims up to `limit` rows that match `due`, for this process alone, by writing `lease`
 * on them — typically their due time pushed forward by the lease's length. Whoever claimed a
 * row does the work and writes its outcome; a process that dies mid-job leaves the row due
 * again once the lease is over, so the work is retried, never lost, and never done by two
 * processes at once. Returns the claimed ids.
 *
 * PostgreSQL: `select … for update skip locked` in a short transaction, so processes polling
 * at the same moment take different rows instead of waiting for each other. Elsewhere (SQLite,
 * one process): a conditional `update … where <still due>` per row; a row someone else
 * claimed first no longer matches and is skipped. The condition is kept on PostgreSQL too.
 */
export async function claimDue<T extends { id: number | string }>(
  em: EntityManager,
  entity: EntityName<T>,
  due: FilterQuery<T>,
  lease: EntityData<T>,
  options: { limit: number; orderBy: QueryOrderMap<T> },
): Promise<Array<T['id']>> {
  const where = due as FilterQuery<T> & object;
  if (dialectOf(em) === 'postgresql') {
    return em.fork().transactional(async (tx) => {
      const rows = await tx.find(entity, where, {
        lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
        limit: options.limit,
        orderBy: options.orderBy,
        fields: ['id'] as never,
      });
      const ids = rows.map((row) => row.id);
      if (ids.length) await tx.nativeUpdate(entity, { $and: [where, { id: { $in: ids } }] } as FilterQuery<T>, lease);
      return ids;
    });
  }
  const fork = em.fork();
  const rows = await fork.find(entity, where, { limit: options.limit, orderBy: options.orderBy, fields: ['id'] as never });
  const claimed: Array<T['id']> = [];
  for (const { id } of rows) {
    if ((await fork.nativeUpdate(entity, { $and: [where, { id }] } as FilterQuery<T>, lease)) === 1) claimed.push(id);
  }
  return claimed;
}
