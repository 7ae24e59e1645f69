import type { MikroORM } from '@mikro-orm/sqlite';
import { createContext, type ContextInput } from '../../src/context.js';
import { initORM } from '../../src/db/orm.js';
import { ManualClock, type Clock } from '../../src/domain/clock.js';
import { loadEnv, type Env } from '../../src/env.js';
import { OllamaModel } from '../../src/llm/ollama-model.js';
import { createMemoryLogger } from '../../src/log.js';
import { appRouter } from '../../src/router/index.js';
import { createServices, type Services } from '../../src/services.js';
import { createCallerFactory } from '../../src/trpc.js';
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
  close(): Promise<void>;
}

/**
 * A real in-memory database, the real `ollama` client pointed at a fake Ollama HTTP server,
 * and callers through tRPC's createCaller: everything but HTTP.
 */
export async function createHarness(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<Harness> {
  const ollama = await new FakeOllama().start();
  const env = loadEnv({ OLLAMA_HOST: ollama.url, OLLAMA_TIMEOUT_MS: '2000', DATABASE_PATH: ':memory:', ...options.env });
  const orm = await initORM({ dbName: ':memory:' });
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(new Date());
  const log = createMemoryLogger();
  const model = new OllamaModel({ host: env.OLLAMA_HOST, model: env.OLLAMA_MODEL, timeoutMs: env.OLLAMA_TIMEOUT_MS });
  const services = createServices({ env, orm, model, clock, log });

  // A context factory, not a context: like HTTP, every call gets its own EntityManager fork.
  const anonymous = (input: ContextInput = {}) => createCaller(() => createContext(services, input));
  const visitor = (sessionId: string, visitorToken: string, input: ContextInput = {}, signal?: AbortSignal) =>
    createCaller(() => createContext(services, { ...input, authorization: `Bearer ${sessionId}.${visitorToken}` }), { signal });

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
    async close() {
      await services.chat.whenIdle();
      await orm.close(true);
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
