import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, type LiveStatus, type StreamHandlers } from '../src/live-connection.js';

/** A stream the test drives by hand, as the server and network would. */
function harness(probe: () => Promise<boolean> = async () => true) {
  const streams: Array<{ handlers: StreamHandlers<string>; closed: boolean }> = [];
  const statuses: LiveStatus[] = [];
  const events: string[] = [];
  let catchUps = 0;
  let signedOut = 0;
  const connection = new LiveConnection<string>({
    open: (handlers) => {
      const stream = { handlers, closed: false };
      streams.push(stream);
      return { unsubscribe: () => (stream.closed = true) };
    },
    probe,
    onEvent: (event) => events.push(event),
    onCatchUp: () => catchUps++,
    onStatus: (status) => statuses.push(status),
    onSignedOut: () => signedOut++,
    random: () => 1,
  });
  return {
    connection,
    streams,
    statuses,
    events,
    latest: () => streams.at(-1)!.handlers,
    catchUps: () => catchUps,
    signedOut: () => signedOut,
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the live connection', () => {
  it('says live only once the stream is open, and passes events on', () => {
    const h = harness();
    h.connection.start();
    expect(h.connection.status).toBe('connecting');
    h.latest().onStarted();
    expect(h.connection.status).toBe('live');
    h.latest().onData('chat-1');
    expect(h.events).toEqual(['chat-1']);
    expect(h.catchUps()).toBe(0);
  });

  it('reopens a stream the server ended, after a backoff, and catches up on what was missed', async () => {
    const h = harness();
    h.connection.start();
    h.latest().onStarted();
    h.latest().onComplete(); // the server restarts
    expect(h.connection.status).toBe('reconnecting');
    expect(h.streams[0]!.closed).toBe(true);
    expect(h.streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.streams).toHaveLength(2);
    h.latest().onStarted();
    expect(h.connection.status).toBe('live');
    expect(h.catchUps()).toBe(1);
  });

  it('backs off doubling up to a cap, and says offline while the server does not answer', async () => {
    const h = harness(async () => {
      throw new Error('unreachable');
    });
    h.connection.start();
    h.latest().onStarted();
    h.latest().onConnectionStateChange({ state: 'connecting', error: new Error('network') });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.connection.status).toBe('offline');
    expect(h.connection.lastUpdate).not.toBeNull();
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => h.connection.backoffMs(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.streams).toHaveLength(2);
    h.latest().onError(new Error('refused'));
    await vi.advanceTimersByTimeAsync(1999);
    expect(h.streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.streams).toHaveLength(3);
  });

  it('falls back to polling when the server answers but the stream cannot be held', async () => {
    const h = harness();
    h.connection.start();
    for (let attempt = 0; attempt < 3; attempt++) {
      h.latest().onError(new Error('blocked by a proxy'));
      await vi.advanceTimersByTimeAsync(h.connection.backoffMs(attempt + 1));
    }
    expect(h.connection.status).toBe('polling');
    const before = h.catchUps();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(h.catchUps()).toBeGreaterThan(before);
    // The stream gets through at last: polling stops.
    h.latest().onStarted();
    expect(h.connection.status).toBe('live');
    const settled = h.catchUps();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.catchUps()).toBe(settled);
  });

  it('stops and reports a session that ended, instead of retrying for ever', async () => {
    const h = harness(async () => false);
    h.connection.start();
    h.latest().onError(new Error('UNAUTHORIZED'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.signedOut()).toBe(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.streams).toHaveLength(1);
  });

  it('ignores what an abandoned stream still reports', async () => {
    const h = harness();
    h.connection.start();
    const first = h.latest();
    first.onComplete();
    await vi.advanceTimersByTimeAsync(1000);
    h.latest().onStarted();
    first.onData('late');
    first.onComplete();
    expect(h.events).toEqual([]);
    expect(h.connection.status).toBe('live');
  });
});
