import type { MikroORM } from '@mikro-orm/sqlite';
import type { Env } from './env.js';
import type { Clock } from './domain/clock.js';
import { ChatService, type Logger } from './domain/chat.js';
import { EventBus } from './domain/events.js';
import type { LanguageModel } from './llm/model.js';

/** Everything a request may use, built once at boot (or once per test). */
export interface Services {
  env: Env;
  orm: MikroORM;
  model: LanguageModel;
  clock: Clock;
  log: Logger;
  chat: ChatService;
  events: EventBus;
  /** Origins allowed to embed the widget and call the API from a browser. */
  allowedOrigins: Set<string>;
  /** Fires when in-flight replies must stop (shutdown grace ran out). */
  shutdownSignal: AbortSignal;
}

export function createServices(input: {
  env: Env;
  orm: MikroORM;
  model: LanguageModel;
  clock: Clock;
  log: Logger;
  shutdownSignal?: AbortSignal;
}): Services {
  const { env } = input;
  const events = new EventBus();
  return {
    ...input,
    events,
    shutdownSignal: input.shutdownSignal ?? new AbortController().signal,
    chat: new ChatService({
      model: input.model,
      clock: input.clock,
      log: input.log,
      events,
      sessionMessagesPerMinute: env.RATE_LIMIT_SESSION_PER_MINUTE,
      addressMessagesPerMinute: env.RATE_LIMIT_ADDRESS_PER_MINUTE,
    }),
    allowedOrigins: new Set([new URL(env.PUBLIC_URL).origin, ...(env.ALLOWED_ORIGINS ?? [])]),
  };
}
