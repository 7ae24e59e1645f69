// The server's tests on both databases: `npm test` (extra arguments go to vitest).
//
// 1. On SQLite, as the product runs by default.
// 2. On PostgreSQL: against TEST_DATABASE_URL when set (a server where the tests may create
//    and drop databases), otherwise on a throw-away cluster that scripts/with-postgres.sh
//    starts and removes, when PostgreSQL's server binaries are installed. Without them the
//    run says so and stops at SQLite, except on CI (CI=true), where that is a failure.
//
// Each run writes its own vitest JSON report (test-results/vitest.json and
// vitest-postgresql.json); scripts/test-summary.mjs at the root adds them up.
/* global process, console, URL */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const withPostgres = fileURLToPath(new URL('../../../scripts/with-postgres.sh', import.meta.url));
const vitest = ['npx', 'vitest', 'run', ...args];

function run(command, env) {
  const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env });
  return result.status ?? 1;
}

function postgresInstalled() {
  if (process.env.POSTGRES_BIN) return true;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian) && readdirSync(debian).some((version) => existsSync(`${debian}/${version}/bin/initdb`))) return true;
  return spawnSync('sh', ['-c', 'command -v initdb && command -v pg_ctl'], { stdio: 'ignore' }).status === 0;
}

const { TEST_DATABASE_URL, ...withoutPostgres } = process.env;
// A report from an earlier PostgreSQL run must not be counted with this one.
rmSync(fileURLToPath(new URL('../test-results/vitest-postgresql.json', import.meta.url)), { force: true });

console.log('\n== server tests on SQLite\n');
const sqlite = run(vitest, withoutPostgres);

let postgres = 0;
if (TEST_DATABASE_URL) {
  console.log('\n== server tests on PostgreSQL (TEST_DATABASE_URL)\n');
  postgres = run(vitest, process.env);
} else if (postgresInstalled()) {
  console.log('\n== server tests on PostgreSQL (a throw-away cluster)\n');
  postgres = run([withPostgres, ...vitest], process.env);
} else {
  console.log(
    '\nPostgreSQL is not installed, so the server tests ran on SQLite only. Install it (Debian: apt-get install postgresql) or set TEST_DATABASE_URL to run them on PostgreSQL too.',
  );
  if (process.env.CI === 'true') postgres = 1;
}

process.exit(sqlite || postgres ? 1 : 0);
