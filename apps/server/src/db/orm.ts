import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/sqlite';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { BoundPostgreSqlDriver } from './bound-postgresql.js';
import { BoundSqliteDriver } from './bound-sqlite.js';
import { dialectOf } from './dialect.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

/**
 * The ORM, on either database. Typed as the SQLite one: both drivers share MikroORM's SQL
 * layer (the same EntityManager API over knex), and the domain is written against that API,
 * not against anything SQLite-only. Raw SQL that differs asks `dialectOf(em)`.
 */
export type ORM = MikroORM;

export interface InitORMOptions extends Partial<Options> {
  /** SQLite file, or `:memory:`: DATABASE_PATH, whose default lives in app/env.ts (ignored when `databaseUrl` is set). */
  dbName?: string;
  /** `postgres://user:password@host:5432/database`: PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/** Any value: the same on every process of one installation, so they migrate one at a time. */
const MIGRATION_LOCK = 7_301_160_002;

/**
 * The one way to open the database, used by the server, the scripts and the tests alike.
 * Runs pending migrations at once, so a fresh file, `:memory:` or an empty PostgreSQL
 * database is ready to use.
 */
export async function initORM({ migrate = true, databaseUrl, ...overrides }: InitORMOptions = {}): Promise<ORM> {
  const orm = databaseUrl ? await openPostgreSql(databaseUrl, overrides) : await openSqlite(overrides);
  if (migrate) await runMigrations(orm);
  return orm;
}

/** The options initORM needs from the configuration: PostgreSQL when DATABASE_URL is set. */
export function databaseOptions(env: { DATABASE_URL?: string | undefined; DATABASE_PATH: string }): InitORMOptions {
  return env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dbName: env.DATABASE_PATH };
}

/** Where the data is, for banners and reports: the SQLite file's full path, or the URL without its password. */
export function describeDatabase(env: { DATABASE_URL?: string | undefined; DATABASE_PATH: string }): string {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    if (url.password) url.password = '***';
    return url.toString();
  }
  return env.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(env.DATABASE_PATH);
}

const common = {
  entities,
  extensions: [Migrator],
  migrations: {
    migrationsList: migrations,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    silent: true,
  },
  // Full-text tables (FTS5 on SQLite, tsvector on PostgreSQL) are raw SQL in migrations,
  // invisible to the entities.
  schemaGenerator: { skipTables: [/_fts($|_)/] },
  // The entities are explicit schemas; there is nothing to discover from files.
  discovery: { warnWhenNoEntities: true },
  // Never on: query logs would hold visitor text and emails.
  debug: false,
  allowGlobalContext: false,
} satisfies Partial<Options>;

async function openSqlite(overrides: Partial<Options>): Promise<ORM> {
  const dbName = overrides.dbName ?? './data/ticket0.sqlite';
  if (dbName !== ':memory:') mkdirSync(dirname(dbName), { recursive: true });

  const orm = await MikroORM.init({
    ...common,
    dbName,
    // Values travel as bound parameters, never inside the SQL text (see bound-sqlite.ts).
    driver: BoundSqliteDriver,
    // A failed statement's error names the SQL with its placeholders, not the values in it.
    driverOptions: { compileSqlOnError: false },
    pool: { min: 1, max: 1 },
    ...overrides,
  });

  const connection = orm.em.getConnection();
  if (dbName !== ':memory:') {
    // WAL lets readers (the console, history) proceed while a reply is being stored.
    await connection.execute('pragma journal_mode = wal');
    await connection.execute('pragma synchronous = normal');
  }
  await connection.execute('pragma foreign_keys = on');
  // Deleted rows are overwritten, not just unlinked: an erased customer's words must not
  // stay readable in free pages of the file.
  await connection.execute('pragma secure_delete = on');
  await connection.execute('pragma busy_timeout = 5000');
  return orm;
}

async function openPostgreSql(databaseUrl: string, overrides: Partial<Options>): Promise<ORM> {
  const orm = await PostgreSqlMikroORM.init({
    ...common,
    clientUrl: databaseUrl,
    // Values travel as bound parameters here too (see bound-postgresql.ts).
    driver: BoundPostgreSqlDriver,
    // Several requests (and, with several processes, several servers) write at once; each
    // process keeps a few connections, not one per request.
    pool: { min: 0, max: 10 },
    // A failed statement's error names the SQL with its placeholders, not the values in it.
    driverOptions: { connection: { application_name: 'ticket0' }, compileSqlOnError: false },
    ...(overrides as object),
  });
  // Same SQL layer, different driver: see the ORM type above.
  return orm as unknown as ORM;
}

/**
 * Applies pending migrations. On PostgreSQL several processes may boot at once: each waits
 * for an advisory lock, held for the whole run by a transaction on its own connection, so
 * one migrates and the others then find nothing left to do. The lock goes with the
 * connection if the process dies.
 */
async function runMigrations(orm: ORM): Promise<void> {
  if (dialectOf(orm.em) !== 'postgresql') return migrateSqlite(orm);
  const knex = orm.em.getConnection().getKnex();
  await knex.transaction(async (lock) => {
    await lock.raw('select pg_advisory_xact_lock(?::bigint)', [MIGRATION_LOCK]);
    await orm.getMigrator().up();
  });
}

/**
 * SQLite has no advisory locks, and MikroORM creates its migrations table before its
 * transaction begins. When another process on the same file (an import started while the
 * server boots) migrates at the same moment, one transaction wins and the other fails on a
 * table that now exists or a file that is busy: then wait, and once nothing is pending the
 * database is ready.
 */
async function migrateSqlite(orm: ORM): Promise<void> {
  const migrator = orm.getMigrator();
  for (let attempt = 1; ; attempt++) {
    try {
      await migrator.up();
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      const pending = await migrator.getPendingMigrations().catch(() => null);
      if (pending?.length === 0) return;
    }
  }
}
