import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knex } from '@mikro-orm/postgresql';
import type { Dialect } from '../../src/db/dialect.js';
import { initORM, type InitORMOptions, type ORM } from '../../src/db/orm.js';

/**
 * The database every test runs on: SQLite (`:memory:`) by default; PostgreSQL when
 * TEST_DATABASE_URL names a server (`scripts/with-postgres.sh` starts a throw-away one).
 * On PostgreSQL each test database is a new database copied from a migrated template
 * (global-setup.ts), so every test starts as empty as `:memory:` does, in about 30 ms.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const testDialect: Dialect = TEST_DATABASE_URL ? 'postgresql' : 'sqlite';

/** The migrated database the tests' databases are copied from (created by global-setup.ts). */
export const TEMPLATE_DATABASE = 'ticket0_test_template';

export interface TestDatabase {
  /** What initORM needs to open it. */
  options: InitORMOptions;
  /** The same database as server configuration, for another process (DATABASE_URL or DATABASE_PATH). */
  env: Record<string, string>;
  /** Removes it (the PostgreSQL database, or the SQLite file's folder). */
  drop(): Promise<void>;
}

/**
 * A new database for one test. SQLite: `:memory:`, or with `file` a file in a new temporary
 * folder (for another process, or a restart on the same data). PostgreSQL: a new database,
 * migrated already, or with `empty` a database with no tables at all (to test migrations).
 */
export async function createTestDatabase(options: { file?: boolean; empty?: boolean } = {}): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    if (!options.file) return { options: { dbName: ':memory:' }, env: { DATABASE_PATH: ':memory:', DATABASE_URL: '' }, drop: async () => {} };
    const dir = mkdtempSync(join(tmpdir(), 'ticket0-test-db-'));
    const dbName = join(dir, 'ticket0.sqlite');
    return {
      options: { dbName },
      env: { DATABASE_PATH: dbName, DATABASE_URL: '' },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `ticket0_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((db) => db.raw(`create database ?? template ??`, [name, options.empty ? 'template0' : TEMPLATE_DATABASE]));
  const url = databaseUrl(name);
  return {
    options: { databaseUrl: url },
    // An empty DATABASE_PATH counts as unset; the URL decides.
    env: { DATABASE_URL: url },
    drop: () => admin((db) => db.raw('drop database if exists ?? with (force)', [name])),
  };
}

const opened = new WeakMap<ORM, TestDatabase>();

/** A fresh, migrated database for one test, opened. Close it with closeTestORM. */
export async function openTestORM(): Promise<ORM> {
  const database = await createTestDatabase();
  const orm = await initORM(database.options);
  opened.set(orm, database);
  return orm;
}

/** Closes what openTestORM opened and removes its database. */
export async function closeTestORM(orm: ORM): Promise<void> {
  await orm.close(true);
  await opened.get(orm)?.drop();
}

/** TEST_DATABASE_URL with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

let adminConnection: ReturnType<typeof knex> | undefined;

/**
 * Runs `work` on a connection to TEST_DATABASE_URL's own database (CREATE and DROP DATABASE
 * need one outside the database they create or drop). One connection, reused by the tests
 * of one file and closed once idle, since connecting costs as much as a CREATE DATABASE.
 */
export async function admin<T>(work: (db: ReturnType<typeof knex>) => Promise<T>): Promise<T> {
  adminConnection ??= knex({ client: 'pg', connection: TEST_DATABASE_URL!, pool: { min: 0, max: 1, idleTimeoutMillis: 1000 } });
  return work(adminConnection);
}

/** Closes the connection admin() opened (global setup, which outlives no test). */
export async function closeAdmin(): Promise<void> {
  await adminConnection?.destroy();
  adminConnection = undefined;
}
