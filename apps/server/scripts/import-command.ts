// What both import commands share: arguments, configuration, the database, the report and
// the exit codes. 0: everything imported; 1: some entries rejected (the others ARE
// imported; re-importing is idempotent); 2: bad usage, bad configuration, an unreadable
// file or a database failure (nothing imported).
import { resolve } from 'node:path';
import type { EntityManager } from '@mikro-orm/sqlite';
import { databaseOptions, describeDatabase, initORM } from '../src/db/orm.js';
import { loadEnvOrExit } from '../src/app/env.js';

export interface ImportReport<T> {
  created: T[];
  updated: T[];
  unchanged: T[];
  rejected: Array<{ source: string; reason: string }>;
}

export interface ImportCommand<T, R extends ImportReport<T>> {
  usage: string;
  /** Plural noun for the closing line, e.g. "articles". */
  entries: string;
  importFile(em: EntityManager, target: string): Promise<R>;
  /** How one imported entry is named in the report. */
  name(entry: T): string;
  /** At most this many names are listed per line (the count is always shown). */
  maxNames?: number;
  /** Turns an error about the file itself into a sentence (nothing imported), or null. */
  fileError?(error: unknown): string | null;
  /** Lines added after the counts. */
  notes?(report: R): string[];
}

export function runImportCommand<T, R extends ImportReport<T>>(command: ImportCommand<T, R>): void {
  main(command).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`Import failed, nothing was imported: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}

async function main<T, R extends ImportReport<T>>(command: ImportCommand<T, R>): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    console.error(command.usage);
    return 2;
  }
  const env = loadEnvOrExit(2);
  // npm runs workspace scripts inside the workspace; paths are meant from where it was typed.
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  const orm = await initORM(databaseOptions(env));
  try {
    let report: R;
    try {
      report = await command.importFile(orm.em.fork(), target);
    } catch (error) {
      const sentence = command.fileError?.(error);
      if (!sentence) throw error;
      console.error(`Nothing was imported. ${sentence}`);
      return 2;
    }
    console.log(`Imported ${target}\n    into ${describeDatabase(env)}\n`);
    const maxNames = command.maxNames ?? Infinity;
    const line = (label: string, entries: T[]) =>
      console.log(
        `  ${label.padEnd(10)} ${String(entries.length).padStart(5)}${entries.length && entries.length <= maxNames ? `  ${entries.map(command.name).join(', ')}` : ''}`,
      );
    line('created', report.created);
    line('updated', report.updated);
    line('unchanged', report.unchanged);
    console.log(`  ${'rejected'.padEnd(10)} ${String(report.rejected.length).padStart(5)}`);
    for (const { source, reason } of report.rejected) console.log(`    ✗ ${source}: ${reason}`);
    for (const note of command.notes?.(report) ?? []) console.log(`\n  ${note}`);
    if (report.rejected.length) {
      console.log(`\nSome ${command.entries} were rejected (exit code 1); the others were imported.`);
      return 1;
    }
    return 0;
  } finally {
    await orm.close(true);
  }
}
