/**
 * The console's live connection, kept alive: one event stream, reopened with backoff when it
 * ends or fails (a server restart ends it), polling in its place while it cannot be held, and
 * a catch-up of what was missed every time it comes back.
 *
 * `live`: the stream is open. `reconnecting`: it was lost and is being reopened. `polling`:
 * the server answers but the stream keeps failing (a proxy that blocks or buffers it), so the
 * lists are reloaded on a timer. `offline`: the server does not answer.
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'offline';

/** What a stream reports; shaped like a tRPC subscription's callbacks. */
export interface StreamHandlers<Event> {
  onStarted(): void;
  onData(event: Event): void;
  /** The server ended the stream (it is shutting down, or restarting). */
  onComplete(): void;
  onError(error: unknown): void;
  onConnectionStateChange(state: { state: string; error: unknown }): void;
}

export interface LiveConnectionOptions<Event> {
  /** Opens the stream. */
  open(handlers: StreamHandlers<Event>): { unsubscribe(): void };
  /** A cheap call: resolves true while signed in, false once the session is over; throws when unreachable. */
  probe(): Promise<boolean>;
  onEvent(event: Event): void;
  /** Reload what is shown: after a reconnect, and on every poll while the stream is down. */
  onCatchUp(): void;
  onStatus(status: LiveStatus, lastUpdate: Date | null): void;
  /** The probe says the session is over: the connection stops. */
  onSignedOut(): void;
  /** How often lists reload while the stream is down. */
  pollMs?: number;
  /** Backoff of the n-th reopening: 1 s, 2 s, 4 s … up to this. */
  maxBackoffMs?: number;
  random?: () => number;
}

/** After this many failed reopenings in a row, a server that answers means the stream is blocked. */
const ATTEMPTS_BEFORE_POLLING = 3;

export class LiveConnection<Event> {
  status: LiveStatus = 'connecting';
  /** When the console last heard from the server (an event, the stream opening, or a poll). */
  lastUpdate: Date | null = null;
  private stream: { unsubscribe(): void } | null = null;
  private failures = 0;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = true;
  /** Each opened stream's number; reports from an older one are ignored. */
  private generation = 0;
  private readonly options: Required<Pick<LiveConnectionOptions<Event>, 'pollMs' | 'maxBackoffMs' | 'random'>> &
    LiveConnectionOptions<Event>;

  constructor(options: LiveConnectionOptions<Event>) {
    this.options = { pollMs: 15_000, maxBackoffMs: 30_000, random: Math.random, ...options };
  }

  start(): void {
    this.stop();
    this.stopped = false;
    this.failures = 0;
    this.setStatus('connecting');
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.stream?.unsubscribe();
    this.stream = null;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.reopenTimer = this.pollTimer = null;
  }

  /** Tries the stream again now (the operator asked), keeping the count of failures. */
  retryNow(): void {
    if (this.stopped || this.status === 'live') return;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    this.open();
  }

  /** The wait before the n-th reopening (n from 1): doubling, capped, with jitter so consoles do not stampede. */
  backoffMs(attempt: number): number {
    const base = Math.min(this.options.maxBackoffMs, 1000 * 2 ** Math.max(0, attempt - 1));
    return Math.round(base * (0.5 + this.options.random() / 2));
  }

  private open(): void {
    const generation = ++this.generation;
    this.stream?.unsubscribe();
    const current = () => generation === this.generation && !this.stopped;
    this.stream = this.options.open({
      onStarted: () => {
        if (!current()) return;
        const missedSome = this.failures > 0 || this.lastUpdate !== null;
        this.failures = 0;
        if (this.pollTimer) clearInterval(this.pollTimer);
        this.pollTimer = null;
        this.lastUpdate = new Date();
        this.setStatus('live');
        // Whatever happened while the stream was down arrives as one reload.
        if (missedSome) this.options.onCatchUp();
      },
      onData: (event) => {
        if (!current()) return;
        this.lastUpdate = new Date();
        if (this.status !== 'live') this.setStatus('live');
        this.options.onEvent(event);
      },
      onComplete: () => current() && this.lost(false),
      onError: () => current() && this.lost(true),
      onConnectionStateChange: (state) => {
        // The event source retries by itself after a failure; the reopening is done here instead.
        if (current() && state.state === 'connecting' && state.error) this.lost(true);
      },
    });
  }

  private lost(failed: boolean): void {
    this.generation++;
    this.stream?.unsubscribe();
    this.stream = null;
    this.failures++;
    if (this.status === 'live' || this.status === 'connecting') this.setStatus('reconnecting');
    this.startPolling();
    // A failure may be the end of the session: find out at once rather than at the next poll.
    if (failed) void this.poll();
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (!this.stopped) this.open();
    }, this.backoffMs(this.failures));
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs);
  }

  private async poll(): Promise<void> {
    try {
      const signedIn = await this.options.probe();
      if (this.stopped) return;
      if (!signedIn) {
        this.stop();
        this.options.onSignedOut();
        return;
      }
      if (this.status === 'live') return;
      this.lastUpdate = new Date();
      this.setStatus(this.failures >= ATTEMPTS_BEFORE_POLLING ? 'polling' : 'reconnecting');
      this.options.onCatchUp();
    } catch {
      if (this.stopped || this.status === 'live') return;
      this.setStatus('offline');
    }
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.options.onStatus(status, this.lastUpdate);
  }
}
