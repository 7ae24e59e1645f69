import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/domain/clock.js';
import { buildChatPrompt, systemPrompt } from '../src/domain/prompt.js';
import { LimitStore, WorkQueue } from '../src/domain/rate-limit.js';
import { SentenceBuffer } from '../src/domain/sentences.js';

describe('sentence buffer', () => {
  const split = (pieces: string[], maxLength?: number) => {
    const buffer = new SentenceBuffer(maxLength);
    const out = pieces.flatMap((piece) => buffer.push(piece));
    const rest = buffer.flush();
    return rest ? [...out, rest] : out;
  };

  it('releases whole sentences only, however the model cuts its output', () => {
    expect(split(['Hel', 'lo there', '. How ', 'are you? I am', ' fine!'])).toEqual(['Hello there. ', 'How are you? ', 'I am fine!']);
  });

  it('keeps decimals and versions inside one sentence', () => {
    expect(split(['It costs 3.50 euros and needs v2.1. Done.'])).toEqual(['It costs 3.50 euros and needs v2.1. ', 'Done.']);
  });

  it('ends a sentence at a line break and after closing quotes', () => {
    expect(split(['Line one\nLine two. "Quoted." Next'])).toEqual(['Line one\n', 'Line two. ', '"Quoted." ', 'Next']);
  });

  it('cuts a run-on without punctuation at a word boundary', () => {
    const sentences = split(['word '.repeat(30)], 50);
    expect(sentences.every((s) => s.length <= 50)).toBe(true);
    expect(sentences.join('')).toBe('word '.repeat(30));
  });

  it('holds back an unfinished sentence until more text or the end', () => {
    const buffer = new SentenceBuffer();
    expect(buffer.push('Refunds are')).toEqual([]);
    expect(buffer.flush()).toBe('Refunds are');
    expect(buffer.flush()).toBeNull();
  });
});

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

describe('chat prompt', () => {
  it('names the site and forbids promises and invented facts', () => {
    const prompt = systemPrompt('shop.example.com');
    expect(prompt).toContain('shop.example.com');
    expect(prompt).toMatch(/Never promise refunds/);
    expect(prompt).toMatch(/never invent prices, policies or order status/);
  });

  it('keeps only whole recent messages within the character bound', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ author: i % 2 ? ('ai' as const) : ('visitor' as const), kind: 'text', body: `${i}`.padEnd(100, '.') }));
    const turns = buildChatPrompt({ siteName: 's', history, message: 'now', maxHistoryChars: 350 });
    expect(turns.map((t) => t.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user']);
    expect(turns[1]!.content.startsWith('7')).toBe(true);
  });

  it('leaves out suppressed replies and system notices', () => {
    const turns = buildChatPrompt({
      siteName: 's',
      history: [
        { author: 'visitor', kind: 'text', body: 'q' },
        { author: 'ai', kind: 'suppressed', body: 'unsafe text' },
        { author: 'system', kind: 'text', body: 'assistant unavailable' },
      ],
      message: 'again',
    });
    expect(turns.map((t) => t.content)).toEqual([expect.any(String), 'q', 'again']);
  });
});
