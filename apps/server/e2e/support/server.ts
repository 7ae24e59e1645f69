import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

const SERVER_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface BuiltServer {
  url: string;
  /** The database as server configuration (DATABASE_URL or DATABASE_PATH), kept across restart(). */
  databaseEnv: Record<string, string>;
  /** Everything the process printed so far. */
  output(): string;
  /** The server process's id (it changes with restart()). */
  pid(): number;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the power cord, no chance to clean up. */
  kill(): Promise<void>;
  /** Starts the same server again on the same database and port. */
  restart(): Promise<void>;
  /** Removes the temporary database. */
  dispose(): Promise<void>;
}

/**
 * Runs the built server (`apps/server/dist/index.js`, from `npm run build`) as its own
 * process on a temporary database (a SQLite file, or a PostgreSQL database when
 * TEST_DATABASE_URL is set), the way a self-hoster runs it.
 */
export async function startBuiltServer(
  options: {
    env?: Record<string, string>;
    nodeArgs?: string[];
    /** Another server's database (several processes on one database); the caller removes it. */
    database?: TestDatabase;
  } = {},
): Promise<BuiltServer> {
  const database = options.database ?? (await createTestDatabase({ file: true }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let output = '';

  const launch = async () => {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...database.env,
        PUBLIC_URL: url,
        OLLAMA_HOST: 'http://127.0.0.1:9',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
      try {
        const response = await fetch(`${url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not start within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const exited = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });

  const kill = async () => {
    const done = exited();
    child.kill('SIGKILL');
    await done;
  };

  await launch();
  return {
    url,
    databaseEnv: database.env,
    output: () => output,
    pid: () => child.pid!,
    async stop() {
      const done = exited();
      child.kill('SIGTERM');
      return done;
    },
    kill,
    restart: launch,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) await kill();
      if (!options.database) await database.drop();
    },
  };
}
