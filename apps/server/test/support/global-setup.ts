import { initORM } from '../../src/db/orm.js';
import { admin, closeAdmin, databaseUrl, TEMPLATE_DATABASE, TEST_DATABASE_URL } from './database.js';

/**
 * On PostgreSQL: migrates one template database once per run, which every test's database
 * is then copied from (see database.ts). Nothing to do on SQLite.
 */
export async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!TEST_DATABASE_URL) return undefined;
  const drop = () => admin((db) => db.raw('drop database if exists ?? with (force)', [TEMPLATE_DATABASE]));
  await drop();
  await admin((db) => db.raw('create database ??', [TEMPLATE_DATABASE]));
  await closeAdmin();
  const orm = await initORM({ databaseUrl: databaseUrl(TEMPLATE_DATABASE) });
  await orm.close(true);
  return async () => {
    await drop();
    await closeAdmin();
  };
}
