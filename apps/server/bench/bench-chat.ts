/**
 * What a chat message costs the server, against a bare baseline in the same run.
 *
 * Starts the built server (file-backed SQLite in a temp dir, WAL) with a fake model that
 * answers at once, and a baseline (`node:http` + `sqlite3` storing the visitor message and a
 * canned reply). The same load generator drives both over real HTTP — the real tRPC client
 * for the server — with 1 visitor, then 64 concurrent visitors, each starting a session and
 * sending messages for a fixed time. Then measures the server's memory with 1,000 idle
 * sessions and after 10,000 messages. Prints figures and ratios; asserts nothing. Also
 * prints, per message of one conversation, the model calls made, the prompt characters
 * sent and how much of each prompt repeats the previous turn's (measureModelCalls).
 *
 *   npm run bench:chat                 # 10 s per phase
 *   npm run bench:chat -- --seconds 30
 *   npm run bench:chat -- --postgres [url] --servers 2
 *       # also on PostgreSQL (url, or TEST_DATABASE_URL / DATABASE_URL; a scratch database is
 *       # created there and dropped): one process, then 2 processes sharing it
 *   scripts/with-postgres.sh npm run bench:chat -- --postgres --servers 2   # on a throw-away cluster
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { knex } from '@mikro-orm/postgresql';
import { freePort, startBuiltServer, type BuiltServer } from '../e2e/support/server.js';
import { visitorClient } from '../e2e/support/visitor.js';
import { FakeOllama } from '../test/support/fake-ollama.js';
import { costPerMessage, ownCpuMs, probeLaunch, readCost, type CostReading, type MessageCost } from './server-cost.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const SECONDS = option('seconds', 10);
const CONCURRENT = option('visitors', 64);
const IDLE_SESSIONS = option('idle-sessions', 1000);
const MESSAGES = option('messages', 10_000);
const IDLE_SECONDS = option('idle-seconds', 30);
/** `--cpu-prof DIR`: write a V8 CPU profile of the server (open it in Chrome DevTools). */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=8'];
const CPU_PROF_DIR = args.includes('--cpu-prof') ? (args[args.indexOf('--cpu-prof') + 1] ?? '.') : null;
const POSTGRES = args.includes('--postgres');
const SERVERS = option('servers', 2);

interface Visitor {
  send(text: string): Promise<void>;
}
interface Target {
  name: string;
  newVisitor(): Promise<Visitor>;
  /** The target process's CPU time and SQL statements so far (cost-probe.mjs). */
  readCost(): Promise<CostReading>;
}

/** Our server, through the real tRPC client (the send streams over httpBatchStreamLink). */
function chatServerTarget(url: string, readCost: Target['readCost']): Target {
  return {
    name: 'Ticket0 Chat',
    readCost,
    async newVisitor() {
      const visitor = visitorClient(url);
      await visitor.start();
      const { api } = visitor;
      const sessionId = visitor.sessionId();
      let n = 0;
      return {
        async send(text) {
          let done = false;
          for await (const event of await api.chat.send.mutate({ clientMessageId: `bench-${sessionId.slice(3, 13)}-${n++}`, text })) {
            if (event.type === 'done') done = true;
          }
          if (!done) throw new Error('the stream ended without a reply');
        },
      };
    },
  };
}

/** The baseline, through fetch with the same request shape. */
function baselineTarget(url: string, readCost: Target['readCost']): Target {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    name: 'baseline (node:http + sqlite3)',
    readCost,
    async newVisitor() {
      const { sessionId } = (await post('/start', {})) as { sessionId: string };
      let n = 0;
      return {
        async send(text) {
          await post('/send', { sessionId, clientMessageId: `bench-${n++}`, text });
        },
      };
    },
  };
}

interface PhaseResult {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
  cost: MessageCost;
}

/** `visitors` visitors each start a session, then send one message after another until time is up. */
async function drive(target: Target, visitors: number, seconds: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  let errors = 0;
  const people = await Promise.all(Array.from({ length: visitors }, () => target.newVisitor()));
  const costAtStart = { ...(await target.readCost()), driverCpuMs: ownCpuMs() };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    people.map(async (visitor, i) => {
      let k = 0;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await visitor.send(`Question ${k++} from visitor ${i}: when will my parcel arrive?`);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds_ = (performance.now() - started) / 1000;
  const driverCpuMs = ownCpuMs();
  const cost = costPerMessage(costAtStart, { ...(await target.readCost()), driverCpuMs }, latencies.length + errors);
  return { requests: latencies.length, errors, seconds: seconds_, latencies, cost };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(result: PhaseResult) {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return { rps: result.requests / result.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors: result.errors, requests: result.requests, ...result.cost };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function startBaseline(): Promise<{ url: string; child: ChildProcess; dir: string; probeFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ticket0-baseline-'));
  const port = await freePort();
  const probe = probeLaunch(dir, 'baseline');
  const child = spawn(process.execPath, [...probe.nodeArgs, fileURLToPath(new URL('./baseline-server.mjs', import.meta.url)), String(port), join(dir, 'baseline.sqlite')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...probe.env },
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, dir, probeFile: probe.file };
}

async function measure(target: Target) {
  await drive(target, 4, Math.min(2, SECONDS)); // warm-up: JIT, connections, SQLite pages
  const single = summary(await drive(target, 1, SECONDS));
  const concurrent = summary(await drive(target, CONCURRENT, SECONDS));
  return { single, concurrent };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

// ---------------------------------------------------------------------------------------
// The model calls per message: how many, how many prompt characters they send, and the
// share of each prompt that repeats the previous turn's prompt from its first character
// (what a model server's prompt cache can reuse instead of evaluating again). One visitor,
// one conversation, questions the demo knowledge base answers; read from the fake model's
// request log. "new chars": what is left for the model server to evaluate.

const CONVERSATION = [
  'How long does delivery take?',
  'Can I return an item I bought on sale?',
  'How do I track my order?',
  'Which payment methods do you accept?',
  'Do you deliver to Norway?',
  'How do gift cards work?',
];

/** A prompt as a chat template lays it out: turn after turn, in order. */
function rendered(messages: Array<{ role: string; content: string }>): string {
  return messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('');
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

async function measureModelCalls(url: string, ollama: FakeOllama): Promise<void> {
  const visitor = await chatServerTarget(url, () => Promise.resolve({ cpuMs: 0, statements: 0 })).newVisitor();
  let previous: string[] = [];
  const rows = [['message', 'model calls', 'prompt chars', 'repeats previous prompt', 'new chars']];
  const totals = { calls: 0, chars: 0, reused: 0, laterChars: 0 };
  for (const [i, question] of CONVERSATION.entries()) {
    const before = ollama.log.length;
    await visitor.send(question);
    const prompts = ollama.log.slice(before).map((request) => rendered(request.messages));
    const chars = prompts.reduce((sum, prompt) => sum + prompt.length, 0);
    // Each call against the same call of the previous message (a judgement against the
    // previous judgement, a reply against the previous reply).
    const reused = prompts.reduce((sum, prompt, k) => sum + (previous[k] ? commonPrefix(previous[k]!, prompt) : 0), 0);
    rows.push([String(i + 1), String(prompts.length), String(chars), i === 0 ? '—' : `${fmt((100 * reused) / chars, 0)} %`, String(chars - reused)]);
    totals.calls += prompts.length;
    totals.chars += chars;
    if (i > 0) {
      totals.reused += reused;
      totals.laterChars += chars;
    }
    previous = prompts;
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  console.log('\nModel calls per message (one conversation of the demo shop, fake model):');
  for (const row of rows) console.log('  ' + row.map((cell, col) => cell.padStart(widths[col]!)).join('  '));
  console.log(
    `  per message: ${fmt(totals.calls / CONVERSATION.length, 1)} model calls, ${fmt(totals.chars / CONVERSATION.length, 0)} prompt characters; ` +
      `from the second message on, ${fmt((100 * totals.reused) / totals.laterChars, 0)} % of the prompt repeats the previous turn's ` +
      `(${fmt((totals.laterChars - totals.reused) / (CONVERSATION.length - 1), 0)} new characters per message for the model to read)`,
  );
}

// ---------------------------------------------------------------------------------------
// What a message costs inside each server process (CPU time, SQL statements), per phase.

type Measured = Awaited<ReturnType<typeof measure>>;

function printServerCost(base: Measured, ours: Measured): void {
  const rows = [
    ['', 'CPU ms/msg', 'statements/msg', 'driver CPU ms/msg'],
    ...([['baseline', base], ['Ticket0 Chat', ours]] as const).flatMap(([name, r]) => [
      [`${name}, 1 visitor`, fmt(r.single.cpuMsPerMessage, 2), fmt(r.single.statementsPerMessage, 1), fmt(r.single.driverCpuMsPerMessage, 2)],
      [`${name}, ${CONCURRENT} visitors`, fmt(r.concurrent.cpuMsPerMessage, 2), fmt(r.concurrent.statementsPerMessage, 1), fmt(r.concurrent.driverCpuMsPerMessage, 2)],
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  console.log('\nCost per message inside the server process (process.cpuUsage, statements sent to SQLite),');
  console.log('and in this process, which drives the load and plays the model on the same machine:');
  for (const row of rows) console.log(row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));
  console.log(`  CPU per message: ${fmt(ours.concurrent.cpuMsPerMessage / base.concurrent.cpuMsPerMessage, 1)}× the baseline's (${CONCURRENT} visitors)`);
}
// ---------------------------------------------------------------------------------------

async function main() {
  const ollama = await new FakeOllama().start();
  ollama.behaviour = { mode: 'reply', text: 'Your parcel usually arrives within three working days. You can follow it from the link in your confirmation email.' };
  const probeDir = mkdtempSync(join(tmpdir(), 'ticket0-probe-'));
  const probe = probeLaunch(probeDir, 'server');
  const server = await startBuiltServer({
    // The same flags as `npm start` (apps/server/package.json), so memory is what users see.
    nodeArgs: [...SERVER_NODE_FLAGS, ...probe.nodeArgs, ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [])],
    env: {
      ...probe.env,
      OLLAMA_HOST: ollama.url,
      RATE_LIMIT_SESSION_PER_MINUTE: '1000000',
      RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
    },
  });
  const baseline = await startBaseline();
  const ours = chatServerTarget(server.url, () => readCost(server.pid(), probe.file));
  const bare = baselineTarget(baseline.url, () => readCost(baseline.child.pid!, baseline.probeFile));

  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`Phases: ${SECONDS} s with 1 visitor, ${SECONDS} s with ${CONCURRENT} concurrent visitors; fake model answers at once.\n`);

  try {
    await measureModelCalls(server.url, ollama);
    const baseResult = await measure(bare);
    const ourResult = await measure(ours);

    const rows = [
      ['', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
      ...([['baseline', baseResult], ['Ticket0 Chat', ourResult]] as const).flatMap(([name, r]) => [
        [`${name}, 1 visitor`, fmt(r.single.rps), fmt(r.single.p50, 2), fmt(r.single.p99, 2), String(r.single.errors)],
        [`${name}, ${CONCURRENT} visitors`, fmt(r.concurrent.rps), fmt(r.concurrent.p50, 2), fmt(r.concurrent.p99, 2), String(r.concurrent.errors)],
      ]),
    ];
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
    for (const row of rows) console.log(row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));

    console.log('\nRatios (Ticket0 Chat ÷ baseline):');
    console.log(`  unloaded p50:        ${fmt(ourResult.single.p50 / baseResult.single.p50, 2)}×   (target ≤ 2.5×)`);
    console.log(`  ${CONCURRENT}-visitor throughput: ${fmt((100 * ourResult.concurrent.rps) / baseResult.concurrent.rps, 0)} %   (target ≥ 40 %)`);
    printServerCost(baseResult, ourResult);
    if (POSTGRES) await measureOnPostgres(ollama, ourResult);

    // Memory: a fresh server, so earlier load does not count.
    await server.stop();
    await server.restart();
    const fresh = chatServerTarget(server.url, () => readCost(server.pid(), probe.file));
    const startRss = rssMb(server.pid());
    const idle: Visitor[] = [];
    for (let i = 0; i < IDLE_SESSIONS; i += 50) {
      idle.push(...(await Promise.all(Array.from({ length: Math.min(50, IDLE_SESSIONS - i) }, () => fresh.newVisitor()))));
    }
    // Idle means idle: give the server the quiet time it would have between visitors.
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleRss = rssMb(server.pid());
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONCURRENT }, async (_, i) => {
        while (sent < MESSAGES) {
          sent++;
          await idle[(i * 7 + sent) % idle.length]!.send('How long does delivery take?').catch(() => undefined);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const afterRss = rssMb(server.pid());
    console.log('\nMemory (RSS of the server process):');
    console.log(`  at start:                          ${fmt(startRss)} MB`);
    console.log(`  with ${IDLE_SESSIONS} sessions open, idle ${IDLE_SECONDS} s:   ${fmt(idleRss)} MB   (target ≤ 150 MB)`);
    console.log(`  after ${MESSAGES} more messages:        ${fmt(afterRss)} MB`);
  } finally {
    baseline.child.kill('SIGKILL');
    rmSync(baseline.dir, { recursive: true, force: true });
    rmSync(probeDir, { recursive: true, force: true });
    await server.dispose();
    await ollama.stop();
  }
}

// ---------------------------------------------------------------------------------------
// `--postgres [url] --servers N`: the same load on PostgreSQL, with one server process and
// then N processes on the same database, visitors spread across them (each visitor keeps
// one process, as a load balancer without sticky sessions would just as well do).

function postgresUrl(): string | null {
  const index = args.indexOf('--postgres');
  const given = args[index + 1];
  return given && !given.startsWith('--') ? given : process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
}

/** Visitors dealt out to the servers in turn; the cost is all of theirs together. */
function spreadTarget(urls: string[], cost: Target['readCost']): Target {
  const targets = urls.map((url) => chatServerTarget(url, cost));
  let next = 0;
  return { name: `Ticket0 Chat × ${urls.length}`, newVisitor: () => targets[next++ % targets.length]!.newVisitor(), readCost: cost };
}

async function measureOnPostgres(ollama: FakeOllama, sqlite: Awaited<ReturnType<typeof measure>>): Promise<void> {
  const base = postgresUrl();
  if (!base) throw new Error('--postgres needs a server: --postgres postgres://…, TEST_DATABASE_URL or DATABASE_URL');
  const name = `ticket0_bench_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  await admin.raw('create database ??', [name]);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = { options: { databaseUrl: url.toString() }, env: { DATABASE_URL: url.toString() }, drop: async () => {} };
  const env = { OLLAMA_HOST: ollama.url, RATE_LIMIT_SESSION_PER_MINUTE: '1000000', RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000' };
  const probeDir = mkdtempSync(join(tmpdir(), 'ticket0-probe-pg-'));
  const servers: Array<{ server: BuiltServer; file: string }> = [];
  const start = async () => {
    const probe = probeLaunch(probeDir, `postgres-${servers.length}`);
    servers.push({ server: await startBuiltServer({ nodeArgs: [...SERVER_NODE_FLAGS, ...probe.nodeArgs], env: { ...probe.env, ...env }, database }), file: probe.file });
  };
  const cost = async (): Promise<CostReading> => {
    const readings = await Promise.all(servers.map(({ server, file }) => readCost(server.pid(), file)));
    return { cpuMs: readings.reduce((sum, r) => sum + r.cpuMs, 0), statements: readings.reduce((sum, r) => sum + r.statements, 0) };
  };
  try {
    await start();
    const one = await measure(chatServerTarget(servers[0]!.server.url, cost));
    while (servers.length < SERVERS) await start();
    const many = await measure(spreadTarget(servers.map(({ server }) => server.url), cost));
    const rows = [
      ['', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
      ...([
        ['SQLite, 1 process', sqlite],
        ['PostgreSQL, 1 process', one],
        [`PostgreSQL, ${SERVERS} processes`, many],
      ] as const).flatMap(([label, r]) => [
        [`${label}, 1 visitor`, fmt(r.single.rps), fmt(r.single.p50, 2), fmt(r.single.p99, 2), String(r.single.errors)],
        [`${label}, ${CONCURRENT} visitors`, fmt(r.concurrent.rps), fmt(r.concurrent.p50, 2), fmt(r.concurrent.p99, 2), String(r.concurrent.errors)],
      ]),
    ];
    console.log(`\nOne database, several processes (PostgreSQL at ${url.host}; every process on this machine):`);
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
    for (const row of rows) console.log(row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));
    console.log(`  ${SERVERS} processes ÷ 1 on PostgreSQL, ${CONCURRENT} visitors: ${fmt(many.concurrent.rps / one.concurrent.rps, 2)}×`);
  } finally {
    for (const { server } of servers) await server.dispose();
    rmSync(probeDir, { recursive: true, force: true });
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
}

await main();
