import type { MikroORM } from '@mikro-orm/sqlite';
import type { Env } from './env.js';
import type { Clock } from '../lib/clock.js';
import { AuthService } from '../domain/operators/auth.js';
import { ChatLimits } from '../domain/chat/sessions.js';
import type { Caches } from '../lib/cache.js';
import type { Logger } from '../lib/logger.js';
import { databaseCaches } from '../db/sql.js';
import { EventBus } from '../lib/events.js';
import type { LanguageModel } from '../llm/model.js';
import { AssignmentScheduler } from '../domain/operators/assignment.js';
import { QualityScheduler } from '../domain/quality/evaluation.js';
import { RepliesInFlight } from '../domain/reply/in-flight.js';
import { LimitStore, type Limits } from '../lib/rate-limit.js';
import { dialectOf } from '../db/dialect.js';
import { DatabaseLimitStore } from '../db/limit-store.js';
import { PostgresEventRelay } from '../db/pg-events.js';
import { ReplyLeases } from '../db/reply-leases.js';
import { WidgetConfigCache } from '../domain/settings/widget-config.js';
import { findRetentionDays } from '../domain/settings/settings.js';
import { deleteExpiredChats } from '../domain/privacy/erase.js';
import { OutboxSender } from '../mail/outbox.js';
import { SmtpTransport, type MailTransport } from '../mail/transport.js';
import { MailboxReader, parseImapUrl } from '../mail/imap.js';
import { receiveInboundMail } from '../domain/inbound/receive.js';
import { WebhookSender } from '../domain/webhooks/sender.js';
import type { WebhookSettings } from '../domain/webhooks/webhooks.js';

/**
 * Everything a request may use, built once at boot (or once per test). It is also the one
 * way domain code gets its collaborators: every domain function takes `(em, deps, …)`,
 * where `deps` is the part of this object it names (`Pick<…>` or its own small interface),
 * so a router passes `ctx.services` and a test passes the harness's services.
 */
export interface Services {
  env: Env;
  orm: MikroORM;
  model: LanguageModel;
  clock: Clock;
  log: Logger;
  events: EventBus;
  /**
   * Every rate limit and sign-in throttle counts here: in the database when several
   * processes may share it (sharedState), else in this process's memory.
   */
  limits: Limits;
  /**
   * Several server processes may run on this database (PostgreSQL): limits, reply leases
   * and live events go through the database. False on SQLite, which one process serves.
   */
  sharedState: boolean;
  /** Live events to and from the other processes (PostgreSQL); start() at boot, stop() at shutdown. */
  relay: PostgresEventRelay | null;
  /** PUBLIC_URL: links in tickets, mail and citations point here. */
  publicUrl: string;
  /** Hosts replies may link to besides the site itself: the chat server and allowed origins. */
  linkHosts: string[];
  /** Messages a chat and a client address may send a minute. */
  chatLimits: ChatLimits;
  /** Replies being written right now: a resend waits for its reply, shutdown for all. */
  replies: RepliesInFlight;
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
  /** In-process copies of what rarely changes in the database, with their invalidation. */
  caches: Caches;
  /** Fires when in-flight replies must stop (shutdown grace ran out). */
  shutdownSignal: AbortSignal;
  /** Aborted as shutdown begins: long-lived streams (the console's live events) end at once. */
  closing: AbortController;
  /** The widget's appearance for `chat.config`, briefly cached. */
  widgetConfig: WidgetConfigCache;
  /** Signed visitor identities: IDENTITY_SECRET (null: refused) and their longest age. */
  identity: { secret: string | null; maxAgeSeconds: number };
  /** Where webhooks may be delivered (WEBHOOK_ALLOW_PRIVATE). */
  webhookSettings: WebhookSettings;
  /** Posts queued webhook events: rows are the queue, like the outbox. */
  webhooks: WebhookSender;
  /** Reads the support mailbox (IMAP_URL); null when inbound mail is off. */
  mailbox: MailboxReader | null;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The server's own origin, from PUBLIC_URL. When that names this machine (the default,
 * `http://localhost:3000`), its other loopback names reach the same server and are its own
 * origin too: only pages this server serves can carry them.
 */
export function ownOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return [url.origin];
  return [url.origin, ...LOOPBACK_HOSTS.map((host) => new URL(`${url.protocol}//${host}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`).origin)];
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
  webhookRetryDelaysMs?: number[];
  /** Share limits, reply leases and live events through the database (default: on PostgreSQL). */
  sharedState?: boolean;
}): Services {
  const { env, mailTransport, mailRetryDelaysMs, webhookRetryDelaysMs, sharedState: shared, ...rest } = input;
  const events = new EventBus();
  // SQLite is one process by definition (one file, one writer): its limits may stay in this
  // process's memory, which costs no write per request. PostgreSQL is how several processes
  // run, so there every count is a row they all see.
  const sharedState = shared ?? dialectOf(input.orm.em) === 'postgresql';
  const limits: Limits = sharedState ? new DatabaseLimitStore(input.orm, input.clock) : new LimitStore(input.clock);
  const caches = databaseCaches(input.orm.em);
  const relay = sharedState && dialectOf(input.orm.em) === 'postgresql' ? new PostgresEventRelay(input.orm, events, input.log) : null;
  // What one process changes, the others' caches forget (once the relay is started).
  relay?.shareInvalidations(caches);
  const configuredOrigins = [...new Set([...ownOrigins(env.PUBLIC_URL), ...(env.ALLOWED_ORIGINS ?? [])])];
  const webhookSettings: WebhookSettings = { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE };
  const services: Services = {
    ...rest,
    env,
    webhookSettings,
    webhooks: new WebhookSender({
      orm: input.orm,
      clock: input.clock,
      log: input.log,
      events,
      settings: webhookSettings,
      ...(webhookRetryDelaysMs ? { retryDelaysMs: webhookRetryDelaysMs } : {}),
    }),
    mailbox: null,
    events,
    limits,
    sharedState,
    relay,
    publicUrl: env.PUBLIC_URL,
    linkHosts: configuredOrigins.map((origin) => new URL(origin).hostname),
    shutdownSignal: input.shutdownSignal ?? new AbortController().signal,
    closing: new AbortController(),
    widgetConfig: new WidgetConfigCache(input.clock),
    chatLimits: new ChatLimits(limits, {
      session: env.RATE_LIMIT_SESSION_PER_MINUTE,
      address: env.RATE_LIMIT_ADDRESS_PER_MINUTE,
    }),
    replies: new RepliesInFlight(sharedState ? new ReplyLeases(input.orm, input.clock) : null),
    caches,
    allowedOrigins: new Set(configuredOrigins),
    configuredOrigins,
    auth: new AuthService({ clock: input.clock, publicUrl: env.PUBLIC_URL, limits }),
    assignment: new AssignmentScheduler(input.orm, { clock: input.clock, events }, (error) =>
      input.log.error('auto-assignment failed', { error: String(error) }),
    ),
    identity: { secret: env.IDENTITY_SECRET ?? null, maxAgeSeconds: env.IDENTITY_MAX_AGE_SECONDS },
    quality: new QualityScheduler(
      input.orm,
      { model: input.model, clock: input.clock, log: input.log, events },
      {
        chores: [
          {
            name: 'retention',
            run: async () => {
              const em = input.orm.em.fork();
              return deleteExpiredChats(em, { clock: input.clock }, await findRetentionDays(em));
            },
          },
        ],
      },
    ),
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
  if (env.IMAP_URL) {
    services.mailbox = new MailboxReader({
      orm: input.orm,
      clock: input.clock,
      log: input.log,
      target: parseImapUrl(env.IMAP_URL),
      maxAttachmentBytes: env.MAIL_ATTACHMENT_MAX_BYTES,
      pollMs: env.IMAP_POLL_SECONDS * 1000,
      handle: async (mail, key) => {
        await receiveInboundMail(input.orm.em.fork(), { ...services, mailFrom: env.MAIL_FROM }, mail, key);
      },
    });
  }
  return services;
}
