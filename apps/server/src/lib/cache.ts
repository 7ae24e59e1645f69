/**
 * In-process copies of what the database says and rarely changes (settings, approved
 * lessons, whether there is a knowledge base, a chat session's credentials), so that a chat
 * message does not read them again.
 *
 * Each entry lives under a key. Whoever changes what an entry mirrors calls
 * `invalidate(key)` once the change is committed — one call per write — and the next reader
 * loads it afresh. `onInvalidate` hears every invalidation: this is where a broadcaster
 * (PostgreSQL LISTEN/NOTIFY) will send local invalidations to the other server processes,
 * which apply them with `invalidateFromPeer`. Until then a change made by another process
 * reaches this one only through `maxAgeMs`, which entries that other processes write
 * (the knowledge base, changed by `npm run import:kb`) should set.
 */
export interface CacheOptions {
  /** Entries kept at most; the least recently used go first. */
  maxEntries?: number;
  /** Milliseconds, for maxAgeMs (tests may pass their own). */
  now?: () => number;
}

export interface GetOptions {
  /** Load again once the entry is this old, invalidated or not. */
  maxAgeMs?: number;
}

/** `peer`: the invalidation came from another process (do not broadcast it again). */
export type InvalidationListener = (key: string, origin: 'local' | 'peer') => void;

interface Entry {
  value: unknown;
  loadedAt: number;
}

interface Flight {
  promise: Promise<unknown>;
}

export class Caches {
  private readonly entries = new Map<string, Entry>();
  /** Loads in progress, so concurrent readers share one; an invalidation forgets them. */
  private readonly loading = new Map<string, Flight>();
  private readonly listeners = new Set<InvalidationListener>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: CacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 20_000;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The cached value, or what `load` returns (stored for the next reader). A value loaded
   * while its key was invalidated is returned to this reader but not kept: the load may
   * have read what the invalidating write replaced. A load that fails is not kept either.
   */
  get<T>(key: string, load: () => Promise<T>, options: GetOptions = {}): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && (options.maxAgeMs === undefined || this.now() - entry.loadedAt < options.maxAgeMs)) {
      // Least recently used first: a hit moves to the end.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return Promise.resolve(entry.value as T);
    }
    const running = this.loading.get(key);
    if (running) return running.promise as Promise<T>;
    const startedAt = this.now();
    const flight: Flight = { promise: Promise.resolve() };
    const promise = load().then(
      (value) => {
        if (this.loading.get(key) === flight) {
          this.loading.delete(key);
          this.store(key, value, startedAt);
        }
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === flight) this.loading.delete(key);
        throw error;
      },
    );
    flight.promise = promise;
    this.loading.set(key, flight);
    return promise;
  }

  /** Puts a value the caller knows to be current (e.g. a row it has just written). */
  set<T>(key: string, value: T): void {
    this.loading.delete(key);
    this.store(key, value, this.now());
  }

  /** Drops the entry after a committed change to what it mirrors; tells the listeners. */
  invalidate(key: string): void {
    this.drop(key);
    for (const listener of this.listeners) listener(key, 'local');
  }

  /** Applies an invalidation another process broadcast. */
  invalidateFromPeer(key: string): void {
    this.drop(key);
    for (const listener of this.listeners) listener(key, 'peer');
  }

  /** Hears every invalidation; returns the function that stops listening. */
  onInvalidate(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  private store(key: string, value: unknown, loadedAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, loadedAt });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

const byOwner = new WeakMap<object, Caches>();

/**
 * The caches of one database, found from anything that stands for it (the ORM's driver):
 * every write path already holds an EntityManager, so any write can invalidate what it
 * changed without new parameters, and each test database has caches of its own.
 */
export function cachesOf(owner: object): Caches {
  let caches = byOwner.get(owner);
  if (!caches) {
    caches = new Caches();
    byOwner.set(owner, caches);
  }
  return caches;
}
