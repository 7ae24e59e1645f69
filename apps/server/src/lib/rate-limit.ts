import type { Clock } from './clock.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A token bucket per key: `perMinute` messages a minute, refilling evenly, with bursts of
 * up to `perMinute`. Keys whose bucket is full again are forgotten, so memory stays bounded
 * by the number of recently active senders.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly refillPerMs: number;
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  /** Checks without taking: would one more be allowed now? */
  check(key: string): RateDecision {
    const tokens = this.tokensNow(key);
    if (tokens >= 1) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.refillPerMs / 1000)) };
  }

  /** Takes one; call only after every limiter involved allowed it. */
  take(key: string): void {
    const now = this.clock.now().getTime();
    this.buckets.set(key, { tokens: this.tokensNow(key) - 1, updatedAt: now });
    this.sweep(now);
  }

  get size(): number {
    return this.buckets.size;
  }

  private tokensNow(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.perMinute;
    const elapsed = this.clock.now().getTime() - bucket.updatedAt;
    return Math.min(this.perMinute, bucket.tokens + elapsed * this.refillPerMs);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key] of this.buckets) {
      if (this.tokensNow(key) >= this.perMinute) this.buckets.delete(key);
    }
  }
}

/** Takes from every limiter only when all of them allow it; otherwise the longest wait. */
export function takeFromAll(entries: Array<[RateLimiter, string]>): RateDecision {
  let wait = 0;
  for (const [limiter, key] of entries) {
    const decision = limiter.check(key);
    if (!decision.allowed) wait = Math.max(wait, decision.retryAfterSeconds);
  }
  if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
  for (const [limiter, key] of entries) limiter.take(key);
  return { allowed: true };
}
