import { ReferenceKind } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { dialectOf } from '../src/db/dialect.js';
import { migrations } from '../src/db/migrations/index.js';
import { initORM, type ORM } from '../src/db/orm.js';
import { createTestDatabase } from './support/database.js';

/** The columns the database really has, as its own catalogue lists them. */
async function columnsOf(orm: ORM, table: string): Promise<string[]> {
  const connection = orm.em.getConnection();
  const rows =
    dialectOf(orm.em) === 'postgresql'
      ? await connection.execute<Array<{ name: string }>>(
          'select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ?',
          [table],
        )
      : await connection.execute<Array<{ name: string }>>(`pragma table_info(\`${table}\`)`);
  return rows.map((column) => column.name).sort();
}

describe('database migrations', () => {
  it('create every table and column the entities use, and no column they do not know', async () => {
    const database = await createTestDatabase({ empty: true });
    const orm = await initORM(database.options);
    try {
      for (const meta of Object.values(orm.getMetadata().getAll())) {
        if (meta.embeddable || meta.virtual) continue;
        const expected = Object.values(meta.properties)
          .filter((prop) => prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner))
          .flatMap((prop) => prop.fieldNames)
          .sort();
        expect(await columnsOf(orm, meta.tableName), meta.tableName).toEqual(expected);
      }
    } finally {
      await orm.close(true);
      await database.drop();
    }
  });

  it('can run twice on the same database without doing anything the second time', async () => {
    const database = await createTestDatabase({ empty: true });
    const orm = await initORM(database.options);
    try {
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect(await orm.getMigrator().up()).toEqual([]);
    } finally {
      await orm.close(true);
      await database.drop();
    }
  });

  it('migrates once when several servers boot on one empty database at the same time', async () => {
    const database = await createTestDatabase({ empty: true, file: true });
    const servers: ORM[] = [];
    try {
      const booted = await Promise.allSettled([1, 2, 3].map(() => initORM(database.options)));
      for (const result of booted) if (result.status === 'fulfilled') servers.push(result.value);
      expect(booted.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const applied = await servers[0]!.em.getConnection().execute<Array<{ name: string }>>(
        'select name from mikro_orm_migrations order by id',
      );
      // Each migration recorded exactly once: none ran twice, none was skipped.
      expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    } finally {
      for (const orm of servers) await orm.close(true);
      await database.drop();
    }
  });
});
