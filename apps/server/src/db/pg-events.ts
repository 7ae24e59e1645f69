import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import type { EventBus, ProductEvents } from '../lib/events.js';
import type { Logger } from '../lib/logger.js';

/** The channel every server process on the database listens on. */
export const EVENTS_CHANNEL = 'ticket0_events';

/** What travels: ids only (the events carry nothing else), so a payload stays far below NOTIFY's 8 kB. */
type Note =
  | { o: string; t: 'event'; n: keyof ProductEvents; e: ProductEvents[keyof ProductEvents] }
  | { o: string; t: 'invalidate'; k: string };

/** A cache whose invalidations all processes share (lib/cache.ts `Caches`). */
export interface SharedInvalidations {
  onInvalidate(listener: (key: string, origin: 'local' | 'peer') => void): () => void;
  invalidateFromPeer(key: string): void;
}

/** The parts of node-postgres' client used here (the driver MikroORM's PostgreSQL driver loads). */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  removeAllListeners(): void;
}

interface KnexWithPg {
  client: { driver: { Client: new (settings: unknown) => PgClient }; connectionSettings: unknown };
}

/**
 * Live events across processes on PostgreSQL: each event emitted here is sent with
 * `pg_notify` (ids only, in the sender's transaction-free connection), and every process
 * LISTENs on a connection of its own and hands what others sent to its bus. A chat written
 * through server A so reaches a console connected to server B. The listening connection is
 * opened with the same driver and settings as the ORM's pool, and opened again after any
 * failure; events sent while it was down are not replayed, which live views survive (they
 * load fresh data on the next event, and on reconnecting).
 */
export class PostgresEventRelay {
  /** This process, so it ignores its own notifications. */
  readonly origin = randomBytes(9).toString('base64url');
  private client: PgClient | null = null;
  private stopped = false;
  private running = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly invalidations = new Set<SharedInvalidations>();
  private connected: Promise<void> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly retryMs = 1000,
  ) {}

  /** Starts relaying; resolves once this process listens (or the first attempt failed and retries). */
  start(): Promise<void> {
    this.stopped = false;
    this.running = true;
    this.bus.relayTo((name, event) => this.publish({ o: this.origin, t: 'event', n: name, e: event }));
    this.connected = this.listen();
    return this.connected;
  }

  /** Invalidations of `caches` made here reach the other processes, and theirs reach it, while started. */
  shareInvalidations(caches: SharedInvalidations): () => void {
    this.invalidations.add(caches);
    const off = caches.onInvalidate((key, origin) => {
      if (origin === 'local') this.publish({ o: this.origin, t: 'invalidate', k: key });
    });
    return () => {
      off();
      this.invalidations.delete(caches);
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    this.bus.relayTo(null);
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    client?.removeAllListeners();
    await client?.end().catch(() => undefined);
  }

  /** True while the listening connection is up (for health and tests). */
  get listening(): boolean {
    return this.client !== null;
  }

  private publish(note: Note): void {
    if (!this.running) return; // not relaying (yet): tests and scripts that never start it
    void this.orm.em
      .getConnection()
      .execute('select pg_notify(?, ?)', [EVENTS_CHANNEL, JSON.stringify(note)], 'all')
      .catch((error: unknown) => this.log.warn('could not send a live event to the other servers', { error: String(error) }));
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const knex = this.orm.em.getConnection().getKnex() as unknown as KnexWithPg;
    const client = new knex.client.driver.Client(knex.client.connectionSettings);
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload) this.deliver(message.payload);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      this.log.warn('live events from other servers interrupted; reconnecting', { error: String(error ?? 'closed') });
      this.again();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
    } catch (error) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      this.log.warn('cannot listen for live events from other servers; retrying', { error: String(error) });
      this.again();
    }
  }

  private again(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen();
    }, this.retryMs);
    this.retry.unref();
  }

  private deliver(payload: string): void {
    let note: Note;
    try {
      note = JSON.parse(payload) as Note;
    } catch {
      return; // not ours
    }
    if (note.o === this.origin) return;
    if (note.t === 'event') this.bus.receive(note.n, note.e as never);
    else if (note.t === 'invalidate' && typeof note.k === 'string') for (const caches of this.invalidations) caches.invalidateFromPeer(note.k);
  }
}
