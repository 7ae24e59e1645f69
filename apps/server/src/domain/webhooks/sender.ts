import type { MikroORM } from '@mikro-orm/sqlite';
import { WebhookDelivery } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import { RefusedDestinationError, safePost } from '../../lib/safe-http.js';
import { signPayload, SIGNATURE_HEADER, type WebhookSettings } from './webhooks.js';

/** Waits between attempts, like the outbox: 30 s, 2 min, 10 min, 30 min, 2 h, then failed. */
export const WEBHOOK_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 2 * 60 * 60_000];

/** How long a claimed delivery is this sender's before another may take it (a crash mid-post). */
const CLAIM_MS = 60_000;

export interface WebhookSenderOptions {
  orm: MikroORM;
  clock: Clock;
  log: Logger;
  settings: WebhookSettings;
  events?: EventBus;
  retryDelaysMs?: number[];
  pollMs?: number;
  timeoutMs?: number;
}

/**
 * Delivers queued webhook events. Rows are the queue (a restart resumes it); each delivery is
 * claimed with a conditional update before it is posted, so when several servers share the
 * database exactly one of them posts it. Answers 2xx count as delivered; anything else (or no
 * answer) is retried with backoff, then marked failed — kept in the log, never dropped.
 */
export class WebhookSender {
  private readonly retryDelaysMs: number[];
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly options: WebhookSenderOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
    this.pollMs = options.pollMs ?? 15_000;
  }

  start(): void {
    this.started = true;
    // Events are queued in the same transaction as what they report, which then announces
    // itself on the bus: that is the moment to look.
    const events = this.options.events;
    if (events) {
      this.unsubscribe.push(
        events.subscribe('ticket.changed', () => this.wake()),
        events.subscribe('message.stored', () => this.wake()),
        events.subscribe('message.rated', () => this.wake()),
      );
    }
    this.wake();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** One pass over the due deliveries. Tests call it directly with a manual clock. */
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
        .catch((error: unknown) => this.options.log.error('webhook pass failed', { error: String(error) }))
        .finally(() => void this.scheduleNext());
    }, delayMs);
    this.timer.unref();
  }

  private async scheduleNext(): Promise<void> {
    if (!this.started || this.timer) return;
    let delay = this.pollMs;
    const next = await this.options.orm.em
      .fork()
      .findOne(WebhookDelivery, { status: 'queued', nextAttemptAt: { $ne: null } }, { orderBy: { nextAttemptAt: 'asc' } });
    if (next?.nextAttemptAt) delay = Math.min(delay, Math.max(0, next.nextAttemptAt.getTime() - this.options.clock.now().getTime()));
    if (!this.timer) this.schedule(delay);
  }

  private async pass(): Promise<void> {
    const { clock } = this.options;
    const em = this.options.orm.em.fork();
    const now = clock.now();
    const due = await em.find(
      WebhookDelivery,
      { status: 'queued', nextAttemptAt: { $lte: now } },
      { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: 50, populate: ['endpoint'] },
    );
    for (const delivery of due) {
      const claimedUntil = new Date(clock.now().getTime() + CLAIM_MS);
      const claimed = await em.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id, status: 'queued', $or: [{ claimedUntil: null }, { claimedUntil: { $lt: clock.now() } }] },
        { claimedUntil },
      );
      if (claimed !== 1) continue; // another server has it
      // Loaded again after the claim, so the ORM knows the claim is there to release.
      await this.deliver(await em.findOneOrFail(WebhookDelivery, { id: delivery.id }, { refresh: true, populate: ['endpoint'] }));
      await em.flush();
    }
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const { clock, log } = this.options;
    const endpoint = delivery.endpoint;
    delivery.attempts += 1;
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    let failure: string | null = null;
    try {
      const { status } = await safePost(
        endpoint.url,
        delivery.payload,
        {
          [SIGNATURE_HEADER]: signPayload(endpoint.secret, timestamp, delivery.payload),
          'x-ticket0-event': delivery.event,
          'x-ticket0-delivery': String(delivery.id),
          'user-agent': 'Ticket0-Webhooks/1',
        },
        { allowPrivate: this.options.settings.allowPrivate, timeoutMs: this.options.timeoutMs ?? 10_000 },
      );
      delivery.lastStatus = status;
      if (status < 200 || status >= 300) failure = `answered HTTP ${status}`;
    } catch (error) {
      delivery.lastStatus = null;
      failure = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      // A refused address is retried too: the name may resolve elsewhere later.
      if (error instanceof RefusedDestinationError) failure = `refused: ${failure}`;
    }
    delivery.claimedUntil = null;
    if (failure === null) {
      delivery.status = 'delivered';
      delivery.deliveredAt = clock.now();
      delivery.nextAttemptAt = null;
      delivery.lastError = null;
      log.info('webhook delivered', { deliveryId: delivery.id, endpointId: endpoint.id, attempts: delivery.attempts });
      return;
    }
    delivery.lastError = failure;
    const delay = this.retryDelaysMs[delivery.attempts - 1];
    if (delay === undefined) {
      delivery.status = 'failed';
      delivery.nextAttemptAt = null;
      log.error('webhook failed for good', { deliveryId: delivery.id, endpointId: endpoint.id, attempts: delivery.attempts, error: failure });
    } else {
      delivery.nextAttemptAt = new Date(clock.now().getTime() + delay);
      log.warn('webhook not delivered, will retry', { deliveryId: delivery.id, endpointId: endpoint.id, retryInMs: delay, error: failure });
    }
  }
}
