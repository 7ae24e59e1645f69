import type { Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sqlite';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/** The two databases the server runs on: one SQLite file, or PostgreSQL for several processes. */
export type Dialect = 'sqlite' | 'postgresql';

/**
 * Which database an EntityManager, driver or ORM talks to. The entities and most queries are
 * the same on both; raw SQL that is not (full-text search, sequences, case-insensitive
 * matching) asks this first.
 */
export function dialectOf(source: { getPlatform(): Platform }): Dialect {
  return source.getPlatform() instanceof PostgreSqlPlatform ? 'postgresql' : 'sqlite';
}

/**
 * A filter for "contains `text`, ignoring case". SQLite's LIKE already ignores the case of
 * ASCII letters; PostgreSQL's LIKE does not, so it gets ILIKE (which also folds non-ASCII
 * letters).
 */
export function containsIgnoringCase(
  source: { getPlatform(): Platform },
  text: string,
): { $like: string } | { $ilike: string } {
  const pattern = `%${text}%`;
  return dialectOf(source) === 'postgresql' ? { $ilike: pattern } : { $like: pattern };
}

/**
 * Inside a transaction: waits until no other transaction holds the same `key`, on any
 * process sharing the database, and holds it until this transaction ends. PostgreSQL only
 * (a transaction-level advisory lock); SQLite has one writer at a time already.
 */
export async function lockForTransaction(em: EntityManager, key: number): Promise<void> {
  if (dialectOf(em) !== 'postgresql') return;
  await em.getConnection().execute('select pg_advisory_xact_lock(?::bigint)', [key], 'all', em.getTransactionContext());
}
