import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/lib/clock.js';
import { RateLimiter, takeFromAll } from '../src/lib/rate-limit.js';

describe('rate limiter', () => {
  it('allows a burst, then refills evenly over the minute', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(6, clock);
    for (let i = 0; i < 6; i++) expect(takeFromAll([[limiter, 'a']])).toEqual({ allowed: true });
    expect(takeFromAll([[limiter, 'a']])).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(takeFromAll([[limiter, 'b']])).toEqual({ allowed: true });
    clock.advance(10_000);
    expect(takeFromAll([[limiter, 'a']])).toEqual({ allowed: true });
  });

  it('takes from no limiter when any one refuses', () => {
    const clock = new ManualClock();
    const session = new RateLimiter(1, clock);
    const address = new RateLimiter(10, clock);
    takeFromAll([[session, 's'], [address, 'ip']]);
    expect(takeFromAll([[session, 's'], [address, 'ip']]).allowed).toBe(false);
    // The refused attempt did not cost the address a token: 9 remain.
    for (let i = 0; i < 9; i++) expect(takeFromAll([[address, 'ip']]).allowed).toBe(true);
    expect(takeFromAll([[address, 'ip']]).allowed).toBe(false);
  });

  it('forgets senders whose bucket has refilled', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(60, clock);
    for (let i = 0; i < 100; i++) limiter.take(`visitor-${i}`);
    expect(limiter.size).toBe(100);
    clock.advance(120_000);
    limiter.take('late');
    expect(limiter.size).toBe(1);
  });
});
