import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { BoundSqliteDriver } from './bound-sqlite.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

export type ORM = MikroORM;

export interface InitORMOptions extends Partial<Options> {
  /** SQLite file, or `:memory:`: DATABASE_PATH, whose default lives in app/env.ts. */
  dbName: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/**
 * The one way to open the database, used by the server, the scripts and the tests alike.
 * Runs pending migrations at once, so a fresh file or `:memory:` is ready to use.
 */
export async function initORM({ migrate = true, ...overrides }: InitORMOptions): Promise<ORM> {
  const { dbName } = overrides;
  if (dbName !== ':memory:') mkdirSync(dirname(dbName), { recursive: true });

  const orm = await MikroORM.init({
    entities,
    // Values travel as bound parameters, never inside the SQL text (see bound-sqlite.ts).
    driver: BoundSqliteDriver,
    // A failed statement's error names the SQL with its placeholders, not the values in it.
    driverOptions: { compileSqlOnError: false },
    extensions: [Migrator],
    migrations: {
      migrationsList: migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // Full-text (FTS5) tables are raw SQL in migrations, invisible to the entities.
    schemaGenerator: { skipTables: [/_fts($|_)/] },
    // The entities are explicit schemas; there is nothing to discover from files.
    discovery: { warnWhenNoEntities: true },
    // Never on: query logs would hold visitor text and emails.
    debug: false,
    allowGlobalContext: false,
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

  if (migrate) await orm.getMigrator().up();
  return orm;
}
