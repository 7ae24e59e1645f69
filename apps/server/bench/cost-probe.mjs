// Loaded into a benchmarked process with `node --import`, before its own code: counts the
// SQL statements it sends to SQLite and, on SIGUSR2, writes that count and the process's
// own CPU time to the file named by BENCH_PROBE_FILE. Every statement either server runs
// (MikroORM through knex, or sqlite3 directly) goes through one of the sqlite3 Database
// methods wrapped here, so both sides of the benchmark are counted alike.
/* global process */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  // The same module instance the process itself loads (CommonJS cache, resolved from here).
  const { Database } = createRequire(import.meta.url)('sqlite3');
  let statements = 0;
  for (const method of ['run', 'all', 'get', 'each', 'exec', 'prepare']) {
    const original = Database.prototype[method];
    Database.prototype[method] = function (...args) {
      statements++;
      return original.apply(this, args);
    };
  }
  let seq = 0;
  process.on('SIGUSR2', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ seq: ++seq, statements, cpuMs: (user + system) / 1000 }));
  });
}
