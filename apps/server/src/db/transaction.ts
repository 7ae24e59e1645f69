import type { EntityManager } from '@mikro-orm/sqlite';

/**
 * Runs `work` in a transaction of `em`, or in the caller's when there is one already: its
 * flushes then commit together or not at all (a change and the event reporting it).
 */
export async function inOneTransaction<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  if (em.isInTransaction()) return work();
  await em.begin();
  try {
    const result = await work();
    await em.commit();
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}
