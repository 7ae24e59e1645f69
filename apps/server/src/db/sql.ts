import type { EntityManager, Knex } from '@mikro-orm/sqlite';
import { cachesOf, type Caches } from '../lib/cache.js';

/*
 * The statements a chat message runs, written out once and run through MikroORM's own
 * connection. MikroORM's find, flush and query builder spend 0.5–2 ms of CPU per statement
 * building SQL, tracking entities and hydrating rows; a handful of them per message made the
 * ORM most of the server's work. Here the SQL is a constant and the connection runs it:
 * MikroORM's platform still formats every value for the database at hand (a Date becomes
 * SQLite's epoch milliseconds or a PostgreSQL timestamp), its exception converter still
 * names the errors (UniqueConstraintViolationException), and its logger still sees every
 * statement. About 0.1 ms each.
 *
 * The SQL must run unchanged on SQLite and PostgreSQL: lower-case unquoted names, `?`
 * placeholders, `returning` (SQLite ≥ 3.35), no dialect functions. Rows come back as the
 * driver gives them; read dates, booleans and JSON with the helpers below.
 */

type Row = Record<string, unknown>;

/** Runs statements on one connection, inside a transaction or not. */
export interface Statements {
  /** Every row. */
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, if any. */
  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** A statement whose result is not needed (`returning` with `one` when it is). */
  run(sql: string, params?: readonly unknown[]): Promise<void>;
}

/** Statements on `em`'s connection, inside its transaction when it has one. */
export function statements(em: EntityManager, trx: Knex.Transaction | undefined = em.getTransactionContext()): Statements {
  const connection = em.getConnection();
  const driver = em.getDriver();
  const execute = async <T>(sql: string, params: readonly unknown[], method: 'all' | 'get' | 'run'): Promise<T> => {
    try {
      return await connection.execute<T & object>(sql, params as unknown[], method, trx);
    } catch (error) {
      throw driver.convertException(error as Error);
    }
  };
  return {
    all: <T>(sql: string, params: readonly unknown[] = []) => execute<T[]>(sql, params, 'all'),
    one: <T>(sql: string, params: readonly unknown[] = []) => execute<T | undefined>(sql, params, 'get'),
    run: async (sql: string, params: readonly unknown[] = []) => {
      await execute(sql, params, 'run');
    },
  };
}

/**
 * Runs `work` in one transaction (a savepoint inside `em`'s own, if it has one): committed
 * when it returns, rolled back when it throws.
 */
export async function transaction<T>(em: EntityManager, work: (sql: Statements) => Promise<T>): Promise<T> {
  const connection = em.getConnection();
  const outer = em.getTransactionContext<Knex.Transaction>();
  const trx = await connection.begin(outer ? { ctx: outer } : {});
  let result: T;
  try {
    result = await work(statements(em, trx));
  } catch (error) {
    await connection.rollback(trx);
    throw error;
  }
  await connection.commit(trx);
  return result;
}

/** The caches of the database `em` works on (see lib/cache.ts). */
export function databaseCaches(em: Pick<EntityManager, 'getDriver'>): Caches {
  return cachesOf(em.getDriver());
}

/** A date column: SQLite gives epoch milliseconds, PostgreSQL a Date (or its text). */
export function readDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text);
}

export function readDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : readDate(value);
}

/** A boolean column: SQLite gives 0 or 1. */
export function readBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

/** A JSON column: SQLite gives its text, PostgreSQL the parsed value. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A JSON value as a statement parameter (the column's type is the database's business). */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
