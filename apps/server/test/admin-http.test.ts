import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, serveHttp, stopHttp, TEST_PASSWORD, type Harness } from './support/harness.js';

let h: Harness;
let server: Server;
let base: string;

beforeEach(async () => {
  h = await createHarness();
  const admin = mkdtempSync(join(tmpdir(), 'admin-'));
  writeFileSync(join(admin, 'index.html'), '<!doctype html><title>console</title>');
  ({ server, base } = await serveHttp(h.services, { admin }));
});
afterEach(async () => {
  await stopHttp(server);
  await h.close();
});

/** A tRPC response body, as far as these tests read it. */
interface Body {
  result: { data: { json: { operator: { id: number } } } };
  error: { json: { message: string } };
}
const body = (response: Response) => response.json() as Promise<Body>;

const CONSOLE = { 'x-trpc-source': 'console', 'content-type': 'application/json' };

async function signInOverHttp(email: string): Promise<{ response: Response; cookie: string }> {
  const response = await fetch(`${base}/trpc/admin.auth.signIn`, {
    method: 'POST',
    headers: CONSOLE,
    body: JSON.stringify({ json: { email, password: TEST_PASSWORD } }),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { response, cookie };
}

describe('the console API over HTTP', () => {
  it('signs in with an httpOnly, SameSite=Strict cookie that authenticates later calls', async () => {
    const { operator } = await h.operator('member', { email: 'ana@example.com' });
    const { response, cookie } = await signInOverHttp('ana@example.com');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^t0_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/);

    const session = await fetch(`${base}/trpc/admin.auth.session`, { headers: { ...CONSOLE, cookie } });
    expect((await body(session)).result.data.json.operator.id).toBe(operator.id);
  });

  it('refuses a cookie-carrying operator call without the console header', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    const { cookie } = await signInOverHttp('ana@example.com');
    const forged = await fetch(`${base}/trpc/admin.tickets.setStatus`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { id: 1, status: 'closed' } }),
    });
    expect(forged.status).toBe(403);
    expect((await body(forged)).error.json.message).toBe('Operator requests must come from the console.');
  });

  it('refuses console calls from a foreign page before they reach the API', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    const { cookie } = await signInOverHttp('ana@example.com');
    const foreign = await fetch(`${base}/trpc/admin.chats.list`, {
      headers: { ...CONSOLE, cookie, origin: 'https://evil.example.com' },
    });
    expect(foreign.status).toBe(403);
  });

  it('answers UNAUTHORIZED with status 401 without a session', async () => {
    const response = await fetch(`${base}/trpc/admin.chats.list`, { headers: CONSOLE });
    expect(response.status).toBe(401);
    expect((await body(response)).error.json.message).toBe('Sign in to the console first.');
  });

  /** A signed-in member's live event stream, open once the server wrote its first bytes. */
  async function openLiveStream() {
    await h.operator('member', { email: 'ana@example.com' });
    const { cookie } = await signInOverHttp('ana@example.com');
    const controller = new AbortController();
    // EventSource sends no custom headers: the cookie alone opens the stream.
    const response = await fetch(`${base}/trpc/admin.live.events`, {
      headers: { cookie, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const text = decoder.decode((await reader.read()).value);
    return { cookie, controller, response, reader, decoder, text };
  }

  it('streams live events over server-sent events to a signed-in console', async () => {
    const { controller, response, reader, decoder, ...opened } = await openLiveStream();
    let text = opened.text;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    h.services.events.emit('ticket.changed', { ticketId: 42 });
    while (!text.includes('"ticketId":42')) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('"type":"ticket"');
    controller.abort();
  });

  it('a live stream opened before sign-out delivers nothing after it', async () => {
    const { cookie, controller, reader, decoder, ...opened } = await openLiveStream();
    let text = opened.text;
    h.services.events.emit('ticket.changed', { ticketId: 41 });
    while (!text.includes('"ticketId":41')) text += decoder.decode((await reader.read()).value);

    await fetch(`${base}/trpc/admin.auth.signOut`, { method: 'POST', headers: { ...CONSOLE, cookie } });
    h.services.events.emit('ticket.changed', { ticketId: 42 });
    // The stream ends (its session is gone) instead of delivering the event.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
      if (text.includes('UNAUTHORIZED')) break;
    }
    controller.abort();
    expect(text).not.toContain('"ticketId":42');
    expect(text).toContain('UNAUTHORIZED');
  });

  it('refuses the live stream without a session', async () => {
    const response = await fetch(`${base}/trpc/admin.live.events`, { headers: { accept: 'text/event-stream' } });
    const text = await response.text();
    expect(text).toContain('UNAUTHORIZED');
  });
});
