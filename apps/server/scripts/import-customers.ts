// Imports customers into the configured database (DATABASE_PATH).
//
//   npm run import:customers -- customers.json | customers.csv
//
// Rows are matched by externalId, then by email: new ones are created, known ones updated.
// Prints what was created, updated, left unchanged and rejected (with the reason).
// Exit codes: 0 everything imported; 1 some rows were rejected (the others ARE imported —
// fix the rejected ones and run again: re-importing is idempotent); 2 bad usage, bad
// configuration, an unreadable file or a database failure (nothing imported).
// File formats: see src/domain/customer-import.ts.
import { resolve } from 'node:path';
import { initORM } from '../src/db/orm.js';
import { systemClock } from '../src/domain/clock.js';
import { CustomerFileError, importCustomersFile, type ImportedCustomer } from '../src/domain/customer-import.js';
import { ConfigError, loadEnv } from '../src/env.js';

const USAGE = `Usage: npm run import:customers -- <customers.json | customers.csv>

JSON: [{ "email", "name"?, "externalId"?, "metadata"?: { "plan": "Pro", … } }, …]  (metadata values are text)
CSV:  a header row with email, name, externalId; every other column becomes a metadata field.
Rows match stored customers by externalId, then by email.
Exit code 1 when any row was rejected (the rest is still imported), 2 on bad usage or an unreadable file.`;

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    console.error(USAGE);
    return 2;
  }
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  // npm runs workspace scripts inside the workspace; paths are meant from where it was typed.
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  const orm = await initORM({ dbName: env.DATABASE_PATH });
  try {
    let report;
    try {
      report = await importCustomersFile(orm.em.fork(), systemClock, target);
    } catch (error) {
      if (error instanceof CustomerFileError) {
        console.error(`Nothing was imported. ${error.message}`);
        return 2;
      }
      throw error;
    }
    const database = env.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(env.DATABASE_PATH);
    console.log(`Imported ${target}\n    into ${database}\n`);
    const line = (label: string, rows: ImportedCustomer[]) =>
      console.log(`  ${label.padEnd(10)} ${String(rows.length).padStart(5)}${rows.length && rows.length <= 20 ? `  ${rows.map((row) => row.email).join(', ')}` : ''}`);
    line('created', report.created);
    line('updated', report.updated);
    line('unchanged', report.unchanged);
    console.log(`  ${'rejected'.padEnd(10)} ${String(report.rejected.length).padStart(5)}`);
    for (const { source, reason } of report.rejected) console.log(`    ✗ ${source}: ${reason}`);
    if (report.linkedTickets) console.log(`\n  ${report.linkedTickets} email ticket(s) linked to their customer.`);
    if (report.rejected.length) {
      console.log('\nSome rows were rejected (exit code 1); the others were imported.');
      return 1;
    }
    return 0;
  } finally {
    await orm.close(true);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Import failed, nothing was imported: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
