import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { initORM } from '../../src/db/orm.js';
import { admin, closeAdmin, databaseUrl, TEST_DATABASE_PREFIX, TEST_DATABASE_URL } from './database.js';

/**
 * On PostgreSQL: migrates one template database per run, which every test's database is
 * then copied from (see database.ts). Its name is this run's own, so two runs on one server
 * do not meet; at the end it goes, with any copy a crashed worker left. Nothing to do on SQLite.
 */
export async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!TEST_DATABASE_URL) return undefined;
  const template = `${TEST_DATABASE_PREFIX}${randomBytes(4).toString('hex')}`;
  await admin((db) => db.raw('create database ??', [template]));
  await closeAdmin();
  const orm = await initORM({ databaseUrl: databaseUrl(template) });
  await orm.close(true);
  project.provide('ticket0TemplateDatabase', template);
  return async () => {
    const rows = await admin(async (db) => (await db.raw('select datname from pg_database where starts_with(datname, ?)', [template])).rows as Array<{ datname: string }>);
    for (const { datname } of rows) await admin((db) => db.raw('drop database if exists ?? with (force)', [datname]));
    await closeAdmin();
  };
}
