import type { Clock } from './clock.js';
import { DomainError } from './errors.js';

/** At most `limit` events per `windowMs` for `key` (a sliding window). */
export interface LimitWindow {
  key: string;
  limit: number;
  windowMs: number;
}

export type Reservation =
  | {
      allowed: true;
      /** Gives the counted event back (the work it paid for did not happen, or succeeded). */
      release(): void | Promise<void>;
    }
  | {
      allowed: false;
      /** When the window that refused has room again. */
      retryAfterSeconds: number;
      /** The window that refused (the one with the longest wait). */
      refusedBy: LimitWindow;
    };

/**
 * Where limits count: this process's memory (`LimitStore`) or the shared database
 * (`DatabaseLimitStore` in db/). Callers await every answer, which the memory store gives at
 * once. Either way checking and counting are one step: the memory store's is synchronous,
 * the database's one statement, so parallel requests cannot all see room only one may use.
 */
export interface Limits {
  /** True when the counts live outside this process (they survive a restart and are shared). */
  readonly shared: boolean;
  reserve(key: string, limit: number, windowMs: number): Reservation | Promise<Reservation>;
  reserveAll(windows: LimitWindow[]): Reservation | Promise<Reservation>;
  /** The earliest time (epoch ms) `reserveAll(windows)` would be allowed. */
  availableAt(windows: LimitWindow[]): number | Promise<number>;
  /** Forgets every event of `key`. */
  clear(key: string): void | Promise<void>;
}

interface Entry {
  /** Times of the counted events, oldest first. */
  times: number[];
  /** How long this key's events matter: its longest window. */
  keepMs: number;
}

/**
 * Every limit in the product (sign-ins, code requests, messages, new chats) counts here.
 * `reserve` checks and counts in one synchronous step, so parallel requests can never all
 * see room that only one of them may use: callers reserve before their first `await` and
 * release when the counted work did not happen.
 *
 * It lives in this process's memory, which is right while one process serves everything
 * (a restart forgets recent counts, except where a caller rebuilds them with `record`).
 * Several processes share `DatabaseLimitStore` instead (db/limit-store.ts).
 */
export class LimitStore implements Limits {
  readonly shared = false;

  private readonly entries = new Map<string, Entry>();
  private lastSweep = 0;

  constructor(
    private readonly clock: Clock,
    /** Bounds memory when many addresses appear; the least recently created keys go first. */
    private readonly maxKeys = 200_000,
  ) {}

  /** One window: `reserveAll([{ key, limit, windowMs }])`. */
  reserve(key: string, limit: number, windowMs: number): Reservation {
    return this.reserveAll([{ key, limit, windowMs }]);
  }

  /**
   * Counts one event on every window's key when all of them have room; otherwise counts
   * nothing and says how long to wait. Several windows on one key make progressive limits
   * (5 in 15 minutes, then 10 in an hour, …).
   */
  reserveAll(windows: LimitWindow[]): Reservation {
    const now = this.clock.now().getTime();
    this.sweep(now);
    let refused: { waitMs: number; window: LimitWindow } | null = null;
    for (const window of windows) {
      const waitMs = this.waitMs(window, now);
      if (waitMs > 0 && (!refused || waitMs > refused.waitMs)) refused = { waitMs, window };
    }
    if (refused) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.waitMs / 1000)), refusedBy: refused.window };
    }
    const keys = new Map<string, number>();
    for (const window of windows) keys.set(window.key, Math.max(keys.get(window.key) ?? 0, window.windowMs));
    for (const [key, keepMs] of keys) this.record(key, now, keepMs);
    let released = false;
    return {
      allowed: true,
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys.keys()) this.unrecord(key, now);
      },
    };
  }

  /** The earliest time (epoch ms) `reserveAll(windows)` would be allowed. */
  availableAt(windows: LimitWindow[]): number {
    const now = this.clock.now().getTime();
    return now + Math.max(0, ...windows.map((window) => this.waitMs(window, now)));
  }

  /** Counts an event that happened at `at` (rebuilding counts from stored rows after a restart). */
  record(key: string, at: number, keepMs: number): void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { times: [], keepMs };
      this.entries.set(key, entry);
      if (this.entries.size > this.maxKeys) this.evict();
    }
    entry.keepMs = Math.max(entry.keepMs, keepMs);
    // Usually the newest; a rebuild may arrive out of order.
    let index = entry.times.length;
    while (index > 0 && entry.times[index - 1]! > at) index--;
    entry.times.splice(index, 0, at);
  }

  /** Forgets every event of `key` (e.g. failed sign-ins once the right password came). */
  clear(key: string): void {
    this.entries.delete(key);
  }

  /** Keys held right now (for tests and figures). */
  get size(): number {
    return this.entries.size;
  }

  private unrecord(key: string, at: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const index = entry.times.lastIndexOf(at);
    if (index >= 0) entry.times.splice(index, 1);
    if (!entry.times.length) this.entries.delete(key);
  }

  private waitMs(window: LimitWindow, now: number): number {
    const times = this.entries.get(window.key)?.times;
    if (!times || times.length < window.limit) return 0;
    const since = now - window.windowMs;
    let inWindow = 0;
    for (let i = times.length - 1; i >= 0 && times[i]! > since; i--) inWindow++;
    if (inWindow < window.limit) return 0;
    // Room again once the oldest of the last `limit` events leaves the window.
    return times[times.length - window.limit]! + window.windowMs - now;
  }

  private sweep(now: number, everyMs = 60_000): void {
    if (now - this.lastSweep < everyMs) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) {
      const keepFrom = now - entry.keepMs;
      while (entry.times.length && entry.times[0]! <= keepFrom) entry.times.shift();
      if (!entry.times.length) this.entries.delete(key);
    }
  }

  /** Over the cap: drop what has expired, then the oldest keys, with some room to spare. */
  private evict(): void {
    this.sweep(this.clock.now().getTime(), 1000);
    const target = Math.floor(this.maxKeys * 0.99);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Runs at most `concurrency` jobs at once and lets at most `queue` more wait; past that it
 * refuses at once with TOO_MANY_REQUESTS. For work that occupies libuv's thread pool
 * (scrypt), which the SQLite driver shares: a burst of sign-ins must never leave the
 * database without threads.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: { concurrency: number; queue: number; busyMessage: string }) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.queue) {
        throw new DomainError('TOO_MANY_REQUESTS', this.options.busyMessage, 2);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Jobs running and waiting right now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}

/**
 * scrypt (operator passwords, verification codes) runs through here: two at a time leaves
 * the thread pool's other two threads to the database and the file system.
 */
export const scryptWork = new WorkQueue({
  concurrency: 2,
  queue: 32,
  busyMessage: 'The server is busy checking other sign-ins. Try again in a moment.',
});
