import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knex } from '@mikro-orm/postgresql';
import { inject } from 'vitest';
import type { Dialect } from '../../src/db/dialect.js';
import { initORM, type InitORMOptions, type ORM } from '../../src/db/orm.js';

/**
 * The database every test runs on: SQLite (`:memory:`) by default; PostgreSQL when
 * TEST_DATABASE_URL names a server (`scripts/with-postgres.sh` starts a throw-away one).
 * On PostgreSQL each test database is a new database copied from a migrated template
 * (global-setup.ts), so every test starts as empty as `:memory:` does. The copy for the next
 * test is made while the current one runs, and used ones are dropped in the background, so a
 * test waits for neither.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const testDialect: Dialect = TEST_DATABASE_URL ? 'postgresql' : 'sqlite';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template of this run (global-setup.ts); its name starts every copy's name. */
    ticket0TemplateDatabase: string;
  }
}

/** The prefix of every database the tests create; global-setup.ts adds one per run. */
export const TEST_DATABASE_PREFIX = 'ticket0_test_';

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
  const name = options.empty ? await createDatabase('template0') : await takeCopy();
  const url = databaseUrl(name);
  return {
    // A copy of the template is migrated already: skip the migrator's look at it.
    options: { databaseUrl: url, migrate: options.empty === true },
    // An empty DATABASE_PATH counts as unset; the URL decides.
    env: { DATABASE_URL: url },
    drop: async () => dropLater(name),
  };
}

let spare: Promise<string> | undefined;
const dropping = new Set<Promise<unknown>>();

/** A copy of the template for this test; the next test's copy starts at once, while this one runs. */
async function takeCopy(): Promise<string> {
  const next = spare ?? createDatabase(inject('ticket0TemplateDatabase'));
  spare = createDatabase(inject('ticket0TemplateDatabase'));
  // Awaited by the next test or by releaseTestDatabases; never an unhandled rejection meanwhile.
  spare.catch(() => {});
  return next;
}

async function createDatabase(template: string): Promise<string> {
  const name = `${inject('ticket0TemplateDatabase')}_${process.pid}_${randomBytes(4).toString('hex')}`;
  // FILE_COPY (PostgreSQL 15+) copies the few megabytes of files at once, which is about
  // twice as fast as the default WAL_LOG copy block by block.
  const strategy = (await serverVersion()) >= 150_000 ? ' strategy file_copy' : '';
  await admin((db) => db.raw(`create database ?? template ??${strategy}`, [name, template]));
  return name;
}

function dropLater(name: string): void {
  const done = admin((db) => db.raw('drop database if exists ?? with (force)', [name])).catch(() => {});
  dropping.add(done);
  void done.finally(() => dropping.delete(done));
}

let version: Promise<number> | undefined;
function serverVersion(): Promise<number> {
  version ??= admin(async (db) => Number((await db.raw('show server_version_num')).rows[0].server_version_num));
  return version;
}

/**
 * After a test file (setup.ts): drops the unused spare copy, waits for the drops still under
 * way and closes the admin connection. Databases a crashed worker left behind go with the
 * run (global-setup.ts).
 */
export async function releaseTestDatabases(): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const unused = spare;
  spare = undefined;
  const name = await unused?.catch(() => undefined);
  if (name) dropLater(name);
  await Promise.all([...dropping]);
  await closeAdmin();
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
 * of one file, since connecting costs as much as a CREATE DATABASE.
 */
export async function admin<T>(work: (db: ReturnType<typeof knex>) => Promise<T>): Promise<T> {
  adminConnection ??= knex({ client: 'pg', connection: TEST_DATABASE_URL!, pool: { min: 0, max: 1, idleTimeoutMillis: 1000 } });
  return work(adminConnection);
}

/** Closes the connection admin() opened. */
export async function closeAdmin(): Promise<void> {
  await adminConnection?.destroy();
  adminConnection = undefined;
}
