import type { MikroORM } from '@mikro-orm/sqlite';
import { getTRPCErrorShape, type TRPCError } from '@trpc/server';
import { createContext, type ContextInput } from '../../src/context.js';
import { initORM } from '../../src/db/orm.js';
import { ManualClock, type Clock } from '../../src/domain/clock.js';
import { loadEnv, type Env } from '../../src/env.js';
import { OllamaModel } from '../../src/llm/ollama-model.js';
import { createMemoryLogger } from '../../src/log.js';
import type { OperatorRole } from '@ticket0/contracts';
import type { Operator } from '../../src/db/entities/index.js';
import { OutboxEmail } from '../../src/db/entities/index.js';
import { createOperator } from '../../src/domain/operators.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { appRouter } from '../../src/router/index.js';
import { createServices, type Services } from '../../src/services.js';
import { createCallerFactory } from '../../src/trpc.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { FakeOllama } from './fake-ollama.js';

const createCaller = createCallerFactory(appRouter);

export interface Harness {
  services: Services;
  orm: MikroORM;
  ollama: FakeOllama;
  clock: ManualClock;
  env: Env;
  log: ReturnType<typeof createMemoryLogger>;
  /** A caller with no visitor credential. */
  anonymous(input?: ContextInput): ReturnType<typeof createCaller>;
  /** A caller for a chat session's visitor. */
  visitor(sessionId: string, visitorToken: string, input?: ContextInput, signal?: AbortSignal): ReturnType<typeof createCaller>;
  /** Starts a session and returns a caller for it. */
  startVisitor(input?: ContextInput): Promise<{ sessionId: string; visitorToken: string; caller: ReturnType<typeof createCaller> }>;
  /** A new session's caller whose requests come from `clientAddress`. */
  visitorAt(clientAddress: string): Promise<ReturnType<typeof createCaller>>;
  /**
   * A console caller: carries `x-trpc-source: console` and, when given, the session token
   * as the cookie. Set-Cookie headers it receives are pushed onto `cookies`.
   */
  console(token?: string | null, input?: ContextInput & { cookies?: string[] }): ReturnType<typeof createCaller>;
  /** Adds an operator with `role` and signs them in; `caller` works the console as them. */
  operator(
    role: OperatorRole,
    options?: { email?: string; name?: string; password?: string },
  ): Promise<{ operator: Operator; token: string; password: string; caller: ReturnType<typeof createCaller> }>;
  close(): Promise<void>;
}

/** The password test operators get unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';
let operatorCount = 0;

/**
 * A real database of its own (SQLite in memory, or a fresh PostgreSQL database when
 * TEST_DATABASE_URL is set), the real `ollama` client pointed at a fake Ollama HTTP server,
 * and callers through tRPC's createCaller: everything but HTTP.
 */
export async function createHarness(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    mail?: { transport?: MailTransport | null; retryDelaysMs?: number[] };
    /**
     * A database the caller made (createTestDatabase) and removes itself, e.g. to restart on
     * the same data; by default the harness makes a fresh one and removes it on close().
     */
    database?: TestDatabase;
  } = {},
): Promise<Harness> {
  const ollama = await new FakeOllama().start();
  const database = options.database ?? (await createTestDatabase());
  const env = loadEnv({ OLLAMA_HOST: ollama.url, OLLAMA_TIMEOUT_MS: '2000', ...database.env, ...options.env });
  const orm = await initORM(database.options);
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(new Date());
  const log = createMemoryLogger();
  const model = new OllamaModel({ host: env.OLLAMA_HOST, model: env.OLLAMA_MODEL, timeoutMs: env.OLLAMA_TIMEOUT_MS });
  const services = createServices({
    env,
    orm,
    model,
    clock,
    log,
    ...(options.mail?.transport !== undefined ? { mailTransport: options.mail.transport } : {}),
    ...(options.mail?.retryDelaysMs ? { mailRetryDelaysMs: options.mail.retryDelaysMs } : {}),
  });

  // A context factory, not a context: like HTTP, every call gets its own EntityManager fork.
  const anonymous = (input: ContextInput = {}) => createCaller(() => createContext(services, input));
  const visitor = (sessionId: string, visitorToken: string, input: ContextInput = {}, signal?: AbortSignal) =>
    createCaller(() => createContext(services, { ...input, authorization: `Bearer ${sessionId}.${visitorToken}` }), { signal });
  const consoleCaller = (token: string | null = null, input: ContextInput & { cookies?: string[] } = {}) =>
    createCaller(() =>
      createContext(services, {
        source: 'console',
        ...(token ? { cookie: `t0_session=${token}` } : {}),
        setCookie: (cookie) => input.cookies?.push(cookie),
        ...input,
      }),
    );

  return {
    services,
    orm,
    ollama,
    clock,
    env,
    log,
    anonymous,
    visitor,
    async startVisitor(input = {}) {
      const { sessionId, visitorToken } = await anonymous(input).chat.start({ locale: 'en' });
      return { sessionId, visitorToken, caller: visitor(sessionId, visitorToken, input) };
    },
    async visitorAt(clientAddress) {
      const { sessionId, visitorToken } = await anonymous({ clientAddress }).chat.start();
      return visitor(sessionId, visitorToken, { clientAddress });
    },
    console: consoleCaller,
    async operator(role, options = {}) {
      const em = orm.em.fork();
      const password = options.password ?? TEST_PASSWORD;
      const { operator } = await createOperator(em, clock, null, {
        email: options.email ?? `${role}-${++operatorCount}@example.com`,
        name: options.name ?? `Test ${role}`,
        role,
        password,
      });
      const { token } = await services.auth.signIn(em, { email: operator.email, password, clientAddress: 'harness' });
      return { operator, token, password, caller: consoleCaller(token) };
    },
    async close() {
      await services.outbox.stop();
      await services.chat.whenIdle();
      await orm.close(true);
      if (!options.database) await database.drop();
      await ollama.stop();
    },
  };
}

/** Reads a whole `chat.send` stream into its events. */
export async function collect<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of await stream) events.push(event);
  return events;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; cause?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * What a client reads from a failed call: the error as the server's errorFormatter shapes
 * it for HTTP (validation issues become a readable message and field errors).
 */
export function errorShape(error: unknown): { message: string; data: { code: string; fieldErrors?: Record<string, string> | null } } {
  return getTRPCErrorShape({
    config: appRouter._def._config,
    error: error as TRPCError,
    type: 'unknown',
    path: undefined,
    input: undefined,
    ctx: undefined,
  }) as never;
}

/** The 6-digit code in a verification mail's text. */
export function verificationCodeIn(text: string): string {
  const code = /^\s*(\d{6})\s*$/m.exec(text)?.[1];
  if (!code) throw new Error(`no verification code in: ${text}`);
  return code;
}

/**
 * Verifies `email` for a visitor the way a person would, reading the code from the outbox
 * (no SMTP needed): request, then confirm with the mailed code.
 */
export async function verifyVisitor(
  h: Harness,
  caller: ReturnType<Harness['anonymous']>,
  email: string,
): Promise<void> {
  await caller.verification.request({ email });
  const mail = await h.orm.em.fork().findOneOrFail(OutboxEmail, { to: email.trim().toLowerCase() }, { orderBy: { id: 'desc' } });
  await caller.verification.confirm({ code: verificationCodeIn(mail.text) });
}
