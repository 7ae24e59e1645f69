import type { MikroORM } from '@mikro-orm/sqlite';
import type { Env } from './env.js';
import type { Clock } from './domain/clock.js';
import { AuthService } from './domain/auth.js';
import { ChatService, type Logger } from './domain/chat.js';
import { EventBus } from './domain/events.js';
import type { LanguageModel } from './llm/model.js';
import { AssignmentScheduler } from './domain/assignment.js';
import { QualityScheduler } from './domain/quality.js';
import { OutboxSender } from './mail/outbox.js';
import { WidgetConfigCache } from './domain/widget-config.js';
import { SmtpTransport, type MailTransport } from './mail/transport.js';

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
  /** PUBLIC_URL's origin and ALLOWED_ORIGINS: always in allowedOrigins; settings add more. */
  configuredOrigins: string[];
  /** Operator sign-in and console sessions. */
  auth: AuthService;
  /** Gives waiting escalated tickets to operators as slots free up. */
  assignment: AssignmentScheduler;
  /** Judges each chat once it has gone quiet (or at once after a thumbs down). */
  quality: QualityScheduler;
  /** Outgoing mail: queued as rows, sent by a small in-process sender. */
  outbox: OutboxSender;
  /** Fires when in-flight replies must stop (shutdown grace ran out). */
  shutdownSignal: AbortSignal;
  /** Aborted as shutdown begins: long-lived streams (the console's live events) end at once. */
  closing: AbortController;
  /** The widget's appearance for `chat.config`, briefly cached. */
  widgetConfig: WidgetConfigCache;
}

export function createServices(input: {
  env: Env;
  orm: MikroORM;
  model: LanguageModel;
  clock: Clock;
  log: Logger;
  shutdownSignal?: AbortSignal;
  /** Overrides the transport SMTP_URL implies (null: keep mail in the outbox). */
  mailTransport?: MailTransport | null;
  mailRetryDelaysMs?: number[];
}): Services {
  const { env, mailTransport, mailRetryDelaysMs, ...rest } = input;
  const events = new EventBus();
  const configuredOrigins = [...new Set([new URL(env.PUBLIC_URL).origin, ...(env.ALLOWED_ORIGINS ?? [])])];
  return {
    ...rest,
    env,
    events,
    shutdownSignal: input.shutdownSignal ?? new AbortController().signal,
    closing: new AbortController(),
    widgetConfig: new WidgetConfigCache(input.clock),
    chat: new ChatService({
      model: input.model,
      clock: input.clock,
      log: input.log,
      events,
      sessionMessagesPerMinute: env.RATE_LIMIT_SESSION_PER_MINUTE,
      addressMessagesPerMinute: env.RATE_LIMIT_ADDRESS_PER_MINUTE,
      linkHosts: configuredOrigins.map((origin) => new URL(origin).hostname),
    }),
    allowedOrigins: new Set(configuredOrigins),
    configuredOrigins,
    auth: new AuthService({ clock: input.clock, publicUrl: env.PUBLIC_URL }),
    assignment: new AssignmentScheduler(input.orm, { clock: input.clock, events }, (error) =>
      input.log.error('auto-assignment failed', { error: String(error) }),
    ),
    quality: new QualityScheduler(input.orm, { model: input.model, clock: input.clock, log: input.log, events }),
    outbox: new OutboxSender({
      orm: input.orm,
      clock: input.clock,
      log: input.log,
      events,
      from: env.MAIL_FROM,
      transport: mailTransport !== undefined ? mailTransport : env.SMTP_URL ? new SmtpTransport(env.SMTP_URL) : null,
      ...(mailRetryDelaysMs ? { retryDelaysMs: mailRetryDelaysMs } : {}),
    }),
  };
}
