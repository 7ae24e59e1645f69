// Imports knowledge-base articles into the configured database (DATABASE_PATH).
//
//   npm run import:kb -- <folder of .md files | file.md | articles.json>
//
// Prints what was created, updated, left unchanged and rejected (with the reason).
// Exit codes: 0 everything imported; 1 some files or entries were rejected (the others
// ARE imported — fix the rejected ones and run again: re-importing is idempotent, articles
// are matched by slug); 2 bad usage, bad configuration or the database failed (nothing
// imported). Front matter and JSON format: see src/domain/knowledge-import.ts.
import { resolve } from 'node:path';
import { initORM } from '../src/db/orm.js';
import { importKnowledgeBase } from '../src/domain/knowledge-import.js';
import { ConfigError, loadEnv } from '../src/env.js';

const USAGE = `Usage: npm run import:kb -- <folder of .md files | file.md | articles.json>

Markdown front matter: title, slug (optional), published (default true), visibility (public | internal, default public).
JSON: [{ "title", "body", "published"?, "visibility"?, "slug"? }, …].
Exit code 1 when anything was rejected (the rest is still imported), 2 on bad usage.`;

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
    const report = await importKnowledgeBase(orm.em.fork(), target);
    const database = env.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(env.DATABASE_PATH);
    console.log(`Imported ${target}\n    into ${database}\n`);
    const line = (label: string, slugs: string[]) =>
      console.log(`  ${label.padEnd(10)} ${String(slugs.length).padStart(4)}${slugs.length ? `  ${slugs.join(', ')}` : ''}`);
    line('created', report.created);
    line('updated', report.updated);
    line('unchanged', report.unchanged);
    console.log(`  ${'rejected'.padEnd(10)} ${String(report.rejected.length).padStart(4)}`);
    for (const { source, reason } of report.rejected) console.log(`    ✗ ${source}: ${reason}`);
    if (report.rejected.length) {
      console.log('\nSome articles were rejected (exit code 1); the others were imported.');
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
