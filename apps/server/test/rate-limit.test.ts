import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { LimitStore, WorkQueue } from '../src/lib/rate-limit.js';

describe('limit store', () => {
  it('allows `limit` events in the window, then says when the oldest leaves it', () => {
    const clock = new ManualClock();
    const limits = new LimitStore(clock);
    for (let i = 0; i < 6; i++) {
      expect(limits.reserve('a', 6, 60_000).allowed).toBe(true);
      clock.advance(1000);
    }
    expect(limits.reserve('a', 6, 60_000)).toMatchObject({ allowed: false, retryAfterSeconds: 54 });
    expect(limits.reserve('b', 6, 60_000).allowed).toBe(true);
    clock.advance(54_000);
    expect(limits.reserve('a', 6, 60_000).allowed).toBe(true);
  });

  it('counts on no window when any one refuses', () => {
    const limits = new LimitStore(new ManualClock());
    const both = [
      { key: 's', limit: 1, windowMs: 60_000 },
      { key: 'ip', limit: 10, windowMs: 60_000 },
    ];
    limits.reserveAll(both);
    expect(limits.reserveAll(both).allowed).toBe(false);
    // The refused attempt did not count on the address: 9 remain.
    for (let i = 0; i < 9; i++) expect(limits.reserve('ip', 10, 60_000).allowed).toBe(true);
    expect(limits.reserve('ip', 10, 60_000).allowed).toBe(false);
  });

  it('gives an event back on release, once', () => {
    const limits = new LimitStore(new ManualClock());
    const first = limits.reserve('k', 1, 60_000);
    expect(limits.reserve('k', 1, 60_000).allowed).toBe(false);
    if (!first.allowed) throw new Error('expected room');
    first.release();
    first.release();
    expect(limits.reserve('k', 1, 60_000).allowed).toBe(true);
    expect(limits.reserve('k', 1, 60_000).allowed).toBe(false);
  });

  it('makes progressive limits from tiers on one key, naming the tier that refused', () => {
    const clock = new ManualClock();
    const limits = new LimitStore(clock);
    const tiers = [
      { key: 'k', limit: 2, windowMs: 60_000 },
      { key: 'k', limit: 3, windowMs: 3_600_000 },
    ];
    expect(limits.reserveAll(tiers).allowed).toBe(true);
    expect(limits.reserveAll(tiers).allowed).toBe(true);
    expect(limits.reserveAll(tiers)).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    clock.advance(60_000);
    expect(limits.reserveAll(tiers).allowed).toBe(true);
    clock.advance(60_000);
    expect(limits.reserveAll(tiers)).toMatchObject({ allowed: false, retryAfterSeconds: 3480, refusedBy: { windowMs: 3_600_000 } });
  });

  it('forgets keys whose windows have passed, and bounds how many it holds', () => {
    const clock = new ManualClock();
    const limits = new LimitStore(clock, 1000);
    for (let i = 0; i < 100; i++) limits.reserve(`visitor-${i}`, 5, 60_000);
    expect(limits.size).toBe(100);
    clock.advance(120_000);
    limits.reserve('late', 5, 60_000);
    expect(limits.size).toBe(1);
    for (let i = 0; i < 5000; i++) limits.reserve(`flood-${i}`, 5, 60_000);
    expect(limits.size).toBeLessThanOrEqual(1000);
  });
});

describe('work queue', () => {
  it('runs at most `concurrency` jobs, queues a few more and refuses the rest at once', async () => {
    const queue = new WorkQueue({ concurrency: 2, queue: 3, busyMessage: 'busy' });
    let running = 0;
    let most = 0;
    const job = () =>
      queue.run(async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return 'done';
      });
    const results = await Promise.allSettled(Array.from({ length: 8 }, job));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(refused).toHaveLength(3);
    expect(refused[0]!.reason).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'busy' });
    expect(most).toBe(2);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });
});

