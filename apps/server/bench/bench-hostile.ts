/**
 * What hostile request bodies cost the server: how long its event loop stalls and how much
 * memory it keeps.
 *
 * Starts the built server (`npm run build` first) on a temporary database, then sends
 * waves of malformed requests in parallel — transformer metadata that used to recurse,
 * deeply nested JSON, oversized bodies, 1,000-item batches — while a probe asks `/healthz`
 * every 10 ms. Prints, per wave, the server's longest event-loop stall (measured inside it
 * with perf_hooks, through a preloaded module), the slowest `/healthz` answer (what a
 * visitor would feel, load generator included), the status codes the wave got, and the
 * server's RSS before, at peak and 5 s after. Asserts nothing.
 *
 *   npm run bench:hostile
 *   npm run bench:hostile -- --parallel 40
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltServer } from '../e2e/support/server.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const PARALLEL = option('parallel', 120);
const SETTLE_MS = option('settle-ms', 5000);

interface Wave {
  name: string;
  request: () => { path: string; init: RequestInit };
}

const json = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});

const WAVES: Wave[] = [
  {
    name: 'transformer metadata "zzz" (chat.start)',
    request: () => ({ path: '/trpc/chat.start', init: json('{"json":{"a":"x"},"meta":{"values":"zzz"}}') }),
  },
  {
    name: 'metadata tree 2,000 levels deep',
    request: () => ({
      path: '/trpc/chat.start',
      init: json(`{"json":{},"meta":{"values":${'{"a":'.repeat(2000)}["undefined"]${'}'.repeat(2000)}}}`),
    }),
  },
  {
    name: 'typed-array metadata (chat.start)',
    request: () => ({
      path: '/trpc/chat.start',
      init: json('{"json":{"locale":100000000},"meta":{"values":{"locale":[["typed-array","Float64Array"]]}}}'),
    }),
  },
  {
    name: 'JSON 30,000 levels deep (chat.start)',
    request: () => ({ path: '/trpc/chat.start', init: json(`{"json":${'['.repeat(30_000)}${']'.repeat(30_000)}}`) }),
  },
  {
    name: '1 MB body (chat.start)',
    request: () => ({ path: '/trpc/chat.start', init: json(`{"json":{"locale":"${'a'.repeat(1_000_000)}"}}`) }),
  },
  {
    name: 'batch of 1,000 health queries (GET)',
    request: () => ({ path: `/trpc/${Array(1000).fill('health').join(',')}?batch=1`, init: { method: 'GET' } }),
  },
];

/** The server's resident memory; NaN once the process is gone. */
function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Preloaded into the server: on SIGUSR2 it prints its longest event-loop delay since the last one. */
const MONITOR = `
import { monitorEventLoopDelay } from 'node:perf_hooks';
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let cpu = process.cpuUsage();
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  console.log('cpu-ms=' + ((used.user + used.system) / 1000).toFixed(0) + ' event-loop-max-ms=' + (delay.max / 1e6).toFixed(1));
  delay.reset();
});
`;

/**
 * Asks the server for its longest event-loop stall and the CPU time it used since the last
 * question. (A stall also counts time the machine gave the process no CPU at all.)
 */
async function eventLoop(server: Awaited<ReturnType<typeof startBuiltServer>>): Promise<{ stallMs: number; cpuMs: number }> {
  const seen = server.output().split('event-loop-max-ms=').length;
  try {
    process.kill(server.pid(), 'SIGUSR2');
  } catch {
    return { stallMs: Number.NaN, cpuMs: Number.NaN }; // the server is gone
  }
  for (let i = 0; i < 200; i++) {
    const parts = server.output().split('cpu-ms=');
    if (parts.length > seen) {
      const [cpu, stall] = parts.at(-1)!.split(' event-loop-max-ms=');
      return { stallMs: Number.parseFloat(stall!), cpuMs: Number.parseFloat(cpu!) };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { stallMs: Number.NaN, cpuMs: Number.NaN };
}

async function main(): Promise<void> {
  const monitor = join(mkdtempSync(join(tmpdir(), 'bench-hostile-')), 'monitor.mjs');
  writeFileSync(monitor, MONITOR);
  const server = await startBuiltServer({ nodeArgs: ['--max-semi-space-size=8', '--import', monitor] });
  const { url } = server;
  console.log(`server ${url}, ${PARALLEL} requests per wave in parallel\n`);
  try {
    // Warm up: the first requests pay for lazy compilation.
    for (let i = 0; i < 20; i++) await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const rows: string[][] = [];
    for (const wave of WAVES) {
      const before = rssMb(server.pid());
      let peak = before;
      let slowest = 0;
      await eventLoop(server);
      let probing = true;
      const probe = (async () => {
        while (probing) {
          const started = performance.now();
          try {
            await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
          } catch {
            // counted as slow below
          }
          slowest = Math.max(slowest, performance.now() - started);
          peak = Math.max(peak, rssMb(server.pid()));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const started = performance.now();
      const statuses = await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          const { path, init } = wave.request();
          try {
            const response = await fetch(`${url}${path}`, init);
            await response.arrayBuffer();
            return String(response.status);
          } catch {
            return 'reset';
          }
        }),
      );
      const took = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 200));
      probing = false;
      await probe;
      const { stallMs, cpuMs } = await eventLoop(server);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const after = rssMb(server.pid());
      const counts = new Map<string, number>();
      for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
      rows.push([
        wave.name,
        `${took.toFixed(0)} ms`,
        `${stallMs.toFixed(0)} ms`,
        `${cpuMs.toFixed(0)} ms`,
        `${slowest.toFixed(0)} ms`,
        `${before.toFixed(0)} / ${peak.toFixed(0)} / ${after.toFixed(0)} MB`,
        [...counts].map(([status, n]) => `${n}×${status}`).join(' '),
      ]);
      console.log(rows.at(-1)!.join(' | '));
      if (Number.isNaN(after)) {
        console.log(`the server died:\n${server.output().slice(-2000)}`);
        break;
      }
    }
    console.log('\n| wave | all answered in | longest event-loop stall | server CPU | slowest /healthz | RSS before / peak / after | statuses |');
    console.log('|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } finally {
    await server.dispose();
  }
}

await main();
