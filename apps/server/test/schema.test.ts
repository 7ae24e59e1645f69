import { ReferenceKind } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { initORM } from '../src/db/orm.js';

describe('database migrations', () => {
  it('create every table and column the entities use, and no column they do not know', async () => {
    const orm = await initORM({ dbName: ':memory:' });
    try {
      const connection = orm.em.getConnection();
      for (const meta of Object.values(orm.getMetadata().getAll())) {
        if (meta.embeddable || meta.virtual) continue;
        const expected = Object.values(meta.properties)
          .filter((prop) => prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner))
          .flatMap((prop) => prop.fieldNames)
          .sort();
        const columns = (await connection.execute<Array<{ name: string }>>(`pragma table_info(\`${meta.tableName}\`)`))
          .map((column) => column.name)
          .sort();
        expect(columns, meta.tableName).toEqual(expected);
      }
    } finally {
      await orm.close(true);
    }
  });

  it('can run twice on the same database without doing anything the second time', async () => {
    const orm = await initORM({ dbName: ':memory:' });
    try {
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect(await orm.getMigrator().up()).toEqual([]);
    } finally {
      await orm.close(true);
    }
  });
});
