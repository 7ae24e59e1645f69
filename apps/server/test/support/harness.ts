import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/sqlite';
import { getTRPCErrorShape, type TRPCError } from '@trpc/server';
import { afterEach, beforeEach } from 'vitest';
import { createContext, type ContextInput } from '../../src/router/context.js';
import { initORM } from '../../src/db/orm.js';
import { ManualClock, type Clock } from '../../src/lib/clock.js';
import { loadEnv, type Env } from '../../src/app/env.js';
import { createModel } from '../../src/app/create-model.js';
import { createMemoryLogger } from '../../src/lib/logger.js';
import type { OperatorRole } from '@ticket0/contracts';
import type { Operator } from '../../src/db/entities/index.js';
import { OutboxEmail } from '../../src/db/entities/index.js';
import { createOperator } from '../../src/domain/operators/operators.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { createAppServer, type StaticRoots } from '../../src/http.js';
import { appRouter } from '../../src/router/index.js';
import { createServices, type Services } from '../../src/app/services.js';
import { createCallerFactory } from '../../src/router/trpc.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { FakeOllama } from './fake-ollama.js';
import { FakeOpenAI } from './fake-openai.js';

const createCaller = createCallerFactory(appRouter);

export interface Harness {
  services: Services;
  orm: MikroORM;
  ollama: FakeOllama;
  /** The fake OpenAI-compatible server, when the harness was made with `provider: 'openai'`. */
  openai: FakeOpenAI | null;
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

/** A console operator signed in by `Harness.operator`, with a caller working as them. */
export type SignedInOperator = Awaited<ReturnType<Harness['operator']>>;

/** Harnesses not closed yet: a test's are closed after it, whichever it ended up using. */
const openHarnesses = new Set<Harness>();

/**
 * Gives every test of the file a fresh harness (`use` receives it before the test) and
 * closes every harness opened for the test once it is over, also one the test swapped in.
 */
export function freshHarnessPerTest(use: (h: Harness) => void | Promise<void>): void {
  let before = new Set<Harness>();
  beforeEach(async () => {
    before = new Set(openHarnesses);
    await use(await createHarness());
  });
  afterEach(async () => {
    for (const h of [...openHarnesses]) if (!before.has(h)) await h.close();
  });
}

/** The same, with a signed-in console operator of `role` for each test. */
export function freshConsolePerTest(role: OperatorRole, use: (h: Harness, operator: SignedInOperator) => void): void {
  freshHarnessPerTest(async (h) => use(h, await h.operator(role)));
}

/** The password test operators get unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';
let operatorCount = 0;

/**
 * A real database of its own (SQLite in memory, or a fresh PostgreSQL database when
 * TEST_DATABASE_URL is set), the real `ollama` client pointed at a fake Ollama HTTP server
 * (or, with `provider: 'openai'`, the real `openai` client pointed at a fake
 * OpenAI-compatible server), and callers through tRPC's createCaller: everything but HTTP.
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
    webhookRetryDelaysMs?: number[];
    /** Which model provider the server is configured with (MODEL_PROVIDER). */
    provider?: 'ollama' | 'openai';
  } = {},
): Promise<Harness> {
  const ollama = await new FakeOllama().start();
  const openai = options.provider === 'openai' ? await new FakeOpenAI().start() : null;
  const database = options.database ?? (await createTestDatabase());
  const env = loadEnv({
    OLLAMA_HOST: ollama.url,
    OLLAMA_TIMEOUT_MS: '2000',
    ...database.env,
    ...(openai ? { MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: openai.models[0]! } : {}),
    ...options.env,
  });
  const orm = await initORM(database.options);
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(new Date());
  const log = createMemoryLogger();
  const model = createModel(env, { log });
  const services = createServices({
    env,
    orm,
    model,
    clock,
    log,
    ...(options.mail?.transport !== undefined ? { mailTransport: options.mail.transport } : {}),
    ...(options.mail?.retryDelaysMs ? { mailRetryDelaysMs: options.mail.retryDelaysMs } : {}),
    ...(options.webhookRetryDelaysMs ? { webhookRetryDelaysMs: options.webhookRetryDelaysMs } : {}),
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

  let closed = false;
  const harness: Harness = {
    services,
    orm,
    ollama,
    openai,
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
      const { operator } = await createOperator(em, services, null, {
        email: options.email ?? `${role}-${++operatorCount}@example.com`,
        name: options.name ?? `Test ${role}`,
        role,
        password,
      });
      const { token } = await services.auth.signIn(em, { email: operator.email, password, clientAddress: 'harness' });
      return { operator, token, password, caller: consoleCaller(token) };
    },
    async close() {
      if (closed) return;
      closed = true;
      openHarnesses.delete(harness);
      await services.outbox.stop();
      await services.mailbox?.stop();
      await services.webhooks.stop();
      await services.replies.whenIdle();
      await orm.close(true);
      if (!options.database) await database.drop();
      await ollama.stop();
      await openai?.stop();
    },
  };
  openHarnesses.add(harness);
  return harness;
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

/**
 * The real HTTP server over `services`, listening on a free local port. Static roots not
 * given are empty folders.
 */
/** Serves the app over real HTTP; pass `port` when PUBLIC_URL must name the server's own address. */
export async function serveHttp(
  services: Services,
  roots: Partial<StaticRoots> = {},
  port = 0,
): Promise<{ server: Server; base: string }> {
  const server = createAppServer(services, {
    widget: roots.widget ?? mkdtempSync(join(tmpdir(), 'widget-')),
    admin: roots.admin ?? mkdtempSync(join(tmpdir(), 'admin-')),
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes a server from serveHttp, keep-alive connections included. */
export async function stopHttp(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
