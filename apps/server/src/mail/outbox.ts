import { randomUUID } from 'node:crypto';
import type { EntityManager, FilterQuery, MikroORM } from '@mikro-orm/sqlite';
import type { OutboxStatus } from '@ticket0/contracts';
import { OutboxEmail, type Message, type Operator, type Ticket } from '../db/entities/index.js';
import type { Logger } from '../lib/logger.js';
import type { Clock } from '../lib/clock.js';
import type { EventBus } from '../lib/events.js';
import { decodeCursor, encodeCursor, page } from '../lib/pagination.js';
import { claimDue } from '../db/claims.js';
import type { MailTransport } from './transport.js';

/** Waits between attempts: after the 1st failure 30 s, then 2 min, 10 min, 30 min, 2 h. */
export const DEFAULT_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 2 * 60 * 60_000];

export interface QueuedMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  ticket?: Ticket | null;
  message?: Message | null;
  operator?: Operator | null;
  /** The customer's Message-ID this answers: their mail client threads our reply under it. */
  inReplyTo?: string | null;
}

/**
 * A Message-ID for mail we send, in the sender's domain. It is chosen when the mail is
 * queued and stored with it, so a customer's reply (In-Reply-To / References) finds its
 * ticket whatever the SMTP server does.
 */
export function newMessageId(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = (address.includes('@') ? address.split('@').pop()! : '').trim().toLowerCase().replace(/[^a-z0-9.-]/g, '');
  return `t0.${randomUUID()}@${domain || 'localhost'}`;
}

export interface OutboxSenderOptions {
  orm: MikroORM;
  clock: Clock;
  log: Logger;
  /** null when SMTP_URL is unset: mail stays queued and its text goes to the log. */
  transport: MailTransport | null;
  from: string;
  events?: EventBus;
  /** One delay per retry; after the last one the mail is marked failed. */
  retryDelaysMs?: number[];
  /** How often to look for due mail even when nobody wakes the sender. */
  pollMs?: number;
  /**
   * How long a claimed mail is this process's to send. A process that dies mid-send leaves
   * the mail due again after this long, for any process to send.
   */
  leaseMs?: number;
}

/** Longer than any SMTP exchange takes (nodemailer gives up on a silent server after 2 min). */
export const DEFAULT_SEND_LEASE_MS = 5 * 60_000;

/**
 * The outbox: mail is written as a row in the same transaction as whatever caused it, and
 * this small in-process sender delivers it afterwards. Rows, not memory, are the queue, so
 * a restart picks up whatever was still queued. Each process's sender claims the mail it
 * sends (db/claims.ts), so several processes on one database send every mail once. Each failure is recorded on the row with
 * the next attempt time; after the last retry the row is `failed`, never dropped.
 */
export class OutboxSender {
  private readonly retryDelaysMs: number[];
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(private readonly options: OutboxSenderOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.pollMs = options.pollMs ?? 30_000;
  }

  /** True when mail actually leaves (SMTP_URL is set). */
  get configured(): boolean {
    return this.options.transport !== null;
  }

  get maxAttempts(): number {
    return this.retryDelaysMs.length + 1;
  }

  /** Adds a mail to the outbox in `em`'s unit of work; flush, then call wake(). */
  queue(em: EntityManager, mail: QueuedMail): OutboxEmail {
    const now = this.options.clock.now();
    return em.create(OutboxEmail, {
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      ticket: mail.ticket ?? null,
      message: mail.message ?? null,
      operator: mail.operator ?? null,
      messageIdHeader: newMessageId(this.options.from),
      inReplyTo: mail.inReplyTo ?? null,
      createdAt: now,
    });
  }

  /** Sends whatever is due now, and keeps doing so until stop(). */
  async start(): Promise<void> {
    this.started = true;
    if (this.options.transport) {
      // Mail kept while SMTP was not configured goes out now that it is.
      await this.options.orm.em
        .fork()
        .nativeUpdate(OutboxEmail, { status: 'queued', nextAttemptAt: null }, { nextAttemptAt: this.options.clock.now() });
    }
    this.wake();
  }

  /** Something was queued: look at the outbox soon. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops the timers and waits for a send in progress. Queued mail stays queued. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.options.transport?.close();
  }

  /** One pass over the due mail. Tests call it directly with a manual clock. */
  async runOnce(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    await this.running;
    if (this.again && this.started) {
      this.again = false;
      this.schedule(0);
    }
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce()
        .catch((error: unknown) => this.options.log.error('outbox pass failed', { error: String(error) }))
        .finally(() => this.scheduleNext());
    }, delayMs);
    this.timer.unref();
  }

  /** Sleeps until the next retry is due, or the poll interval, whichever is sooner. */
  private async scheduleNext(): Promise<void> {
    if (!this.started || this.timer) return;
    let delay = this.pollMs;
    const next = await this.options.orm.em
      .fork()
      .findOne(OutboxEmail, { status: 'queued', nextAttemptAt: { $ne: null } }, { orderBy: { nextAttemptAt: 'asc' } });
    if (next?.nextAttemptAt) {
      delay = Math.min(delay, Math.max(0, next.nextAttemptAt.getTime() - this.options.clock.now().getTime()));
    }
    if (!this.timer) this.schedule(delay);
  }

  private async pass(): Promise<void> {
    const { clock, log, transport } = this.options;
    const em = this.options.orm.em.fork();
    // Claimed by pushing the due time past the lease: the outcome below replaces it.
    const now = clock.now();
    const ids = await claimDue(
      em,
      OutboxEmail,
      { status: 'queued', nextAttemptAt: { $lte: now } },
      { nextAttemptAt: new Date(now.getTime() + (this.options.leaseMs ?? DEFAULT_SEND_LEASE_MS)) },
      { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: 50 },
    );
    const due = ids.length ? await em.find(OutboxEmail, { id: { $in: ids } }, { orderBy: { id: 'asc' } }) : [];
    for (const mail of due) {
      if (!transport) {
        // Without SMTP the outbox is the delivery: the console shows it. Its address and text
        // (a verification code, a customer's words) reach the log only at LOG_LEVEL=debug.
        log.info('mail kept in the outbox (SMTP_URL is not set)', { outboxId: mail.id });
        log.debug('mail kept in the outbox', { outboxId: mail.id, to: mail.to, subject: mail.subject, text: mail.text });
        mail.nextAttemptAt = null;
        await em.flush();
        continue;
      }
      mail.attempts += 1;
      try {
        const { messageId } = await transport.send({
          from: this.options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.messageIdHeader ? { messageId: `<${mail.messageIdHeader}>` } : {}),
          ...(mail.inReplyTo ? { inReplyTo: `<${mail.inReplyTo}>`, references: `<${mail.inReplyTo}>` } : {}),
        });
        mail.status = 'sent';
        mail.sentAt = clock.now();
        mail.nextAttemptAt = null;
        mail.providerMessageId = messageId?.slice(0, 300) ?? null;
        log.info('mail sent', { outboxId: mail.id, attempts: mail.attempts });
      } catch (error) {
        mail.lastError = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
        const delay = this.retryDelaysMs[mail.attempts - 1];
        if (delay === undefined) {
          mail.status = 'failed';
          mail.nextAttemptAt = null;
          log.error('mail failed for good', { outboxId: mail.id, attempts: mail.attempts, error: mail.lastError });
        } else {
          mail.nextAttemptAt = new Date(clock.now().getTime() + delay);
          log.warn('mail not sent, will retry', {
            outboxId: mail.id,
            attempts: mail.attempts,
            retryInMs: delay,
            error: mail.lastError,
          });
        }
      }
      await em.flush();
      const ticketId = mail.ticket?.id;
      if (ticketId) this.options.events?.emit('ticket.changed', { ticketId });
    }
  }
}

/** Queues a failed mail again from the start (an operator pressed Retry). */
export async function retryOutboxEmail(em: EntityManager, deps: { clock: Clock }, id: number): Promise<OutboxEmail | null> {
  const mail = await em.findOne(OutboxEmail, { id });
  if (!mail) return null;
  if (mail.status !== 'sent') {
    mail.status = 'queued';
    mail.attempts = 0;
    mail.nextAttemptAt = deps.clock.now();
    await em.flush();
  }
  return mail;
}

/** The outbox, newest first; optionally one status. */
export async function listOutbox(
  em: EntityManager,
  input: { status?: OutboxStatus; cursor?: string; limit: number },
): Promise<{ items: OutboxEmail[]; nextCursor: string | null }> {
  const where: FilterQuery<OutboxEmail> & Record<string, unknown> = {};
  if (input.status) where.status = input.status;
  const cursor = decodeCursor(input.cursor);
  if (cursor) where.$or = [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, id: { $lt: cursor.id } }];
  const rows = await em.find(OutboxEmail, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: input.limit + 1 });
  return page(rows, input.limit, (mail) => encodeCursor(mail.createdAt, mail.id));
}
