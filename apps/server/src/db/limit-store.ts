import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import type { Clock } from '../lib/clock.js';
import type { Limits, LimitWindow, Reservation } from '../lib/rate-limit.js';

/*
 * Counts one event in a window and says whether there was room, in ONE statement: the row
 * is created, reset (its window is over) or incremented only `where hits < limit`, and
 * `returning` tells the caller whether it was. Both databases run an upsert atomically
 * (PostgreSQL re-checks the `where` against the row it locked), so parallel requests on any
 * number of processes never count past the limit. Portable: SQLite ≥ 3.35 and PostgreSQL.
 */
const COUNT = `insert into rate_limit_counter (limit_key, window_ms, started_at, expires_at, hits)
values (?, ?, ?, ?, 1)
on conflict (limit_key, window_ms) do update set
  hits = case when rate_limit_counter.expires_at <= ? then 1 else rate_limit_counter.hits + 1 end,
  started_at = case when rate_limit_counter.expires_at <= ? then excluded.started_at else rate_limit_counter.started_at end,
  expires_at = case when rate_limit_counter.expires_at <= ? then excluded.expires_at else rate_limit_counter.expires_at end
where rate_limit_counter.expires_at <= ? or rate_limit_counter.hits < ? returning started_at`; // `returning` after a space: the SQLite client looks for ' returning'

/** Gives back one event, only in the window it was counted in (a newer window is left alone). */
const UNCOUNT = `update rate_limit_counter set hits = hits - 1
where limit_key = ? and window_ms = ? and started_at = ? and hits > 0`;

/**
 * What a key is stored as: its SHA-256. Keys name people (an email, an address); the counts
 * need only tell keys apart, and an erased customer must leave nothing readable behind.
 */
function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

interface Counted {
  key: string;
  windowMs: number;
  startedAt: number;
}

/**
 * The limits several server processes share: every key and window is a row in
 * `rate_limit_counter`. A window starts with its first event and lasts `windowMs` (a fixed
 * window per key, where the memory store slides): 5 sign-ins in 15 minutes still means at
 * most 5, and the wait ends 15 minutes after the first of them.
 *
 * Several windows (`reserveAll`) are counted one statement after another; when one refuses,
 * those already counted are given back. Meanwhile a parallel request may be refused by a
 * count about to be given back: it errs on the side of refusing, never of letting through.
 */
export class DatabaseLimitStore implements Limits {
  readonly shared = true;
  private lastSweep = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  reserve(key: string, limit: number, windowMs: number): Promise<Reservation> {
    return this.reserveAll([{ key, limit, windowMs }]);
  }

  async reserveAll(windows: LimitWindow[]): Promise<Reservation> {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const counted: Counted[] = [];
    for (const window of distinct(windows)) {
      const rows = await this.execute<{ started_at: number | string }>(COUNT, [
        storedKey(window.key),
        window.windowMs,
        now,
        now + window.windowMs,
        now,
        now,
        now,
        now,
        window.limit,
      ]);
      if (!rows.length) {
        await this.uncount(counted);
        return this.refusal(windows, now);
      }
      counted.push({ key: window.key, windowMs: window.windowMs, startedAt: Number(rows[0]!.started_at) });
    }
    let released = false;
    return {
      allowed: true,
      release: async () => {
        if (released) return;
        released = true;
        await this.uncount(counted);
      },
    };
  }

  async availableAt(windows: LimitWindow[]): Promise<number> {
    const now = this.clock.now().getTime();
    return now + (await this.longestWait(windows, now)).waitMs;
  }

  async clear(key: string): Promise<void> {
    await this.execute('delete from rate_limit_counter where limit_key = ?', [storedKey(key)]);
  }

  private async refusal(windows: LimitWindow[], now: number): Promise<Reservation> {
    const { waitMs, window } = await this.longestWait(windows, now);
    // The window that refused may have ended between the two statements: ask again in a second.
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), refusedBy: window ?? windows[0]! };
  }

  /** The window with the longest wait, from the rows as they are now. */
  private async longestWait(windows: LimitWindow[], now: number): Promise<{ waitMs: number; window: LimitWindow | null }> {
    const keys = [...new Set(windows.map((window) => storedKey(window.key)))];
    const rows = await this.execute<{ limit_key: string; window_ms: number | string; expires_at: number | string; hits: number | string }>(
      `select limit_key, window_ms, expires_at, hits from rate_limit_counter where limit_key in (${keys.map(() => '?').join(', ')}) and expires_at > ?`,
      [...keys, now],
    );
    let longest: { waitMs: number; window: LimitWindow | null } = { waitMs: 0, window: null };
    for (const window of windows) {
      const key = storedKey(window.key);
      const row = rows.find((r) => r.limit_key === key && Number(r.window_ms) === window.windowMs);
      if (!row || Number(row.hits) < window.limit) continue;
      const waitMs = Number(row.expires_at) - now;
      if (waitMs > longest.waitMs) longest = { waitMs, window };
    }
    return longest;
  }

  private async uncount(counted: Counted[]): Promise<void> {
    for (const { key, windowMs, startedAt } of counted) await this.execute(UNCOUNT, [storedKey(key), windowMs, startedAt]);
  }

  /** Now and then, rows whose window is over go (at most once a minute per process). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    void this.execute('delete from rate_limit_counter where expires_at <= ?', [now]).catch(() => {
      this.lastSweep = 0; // try again next time; the rows only take room
    });
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.orm.em.getConnection().execute<T[]>(sql, params, 'all');
  }
}

/** One window per key and length; the smallest limit wins when two name the same. */
function distinct(windows: LimitWindow[]): LimitWindow[] {
  const byKey = new Map<string, LimitWindow>();
  for (const window of windows) {
    const id = `${window.windowMs} ${window.key}`;
    const seen = byKey.get(id);
    if (!seen || window.limit < seen.limit) byKey.set(id, window);
  }
  // A fixed order, so two requests on the same keys touch the rows in the same order.
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, window]) => window);
}
