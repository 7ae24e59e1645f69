import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpBatchStreamLink, httpLink, splitLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/server.js';
import { ChatSession } from '../src/db/entities/index.js';
import { clientAddressOf } from '../src/http.js';
import { MODEL_HEALTH_TTL_MS } from '../src/app/health.js';
import type { AppRouter } from '../src/router/index.js';
import { createHarness, serveHttp, stopHttp, type Harness } from './support/harness.js';

let h: Harness;
let server: Server;
let base: string;

beforeEach(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  h = await createHarness({ env: { ALLOWED_ORIGINS: 'https://shop.example.com', PUBLIC_URL: base } });
  const roots = { widget: mkdtempSync(join(tmpdir(), 'widget-')), admin: mkdtempSync(join(tmpdir(), 'admin-')) };
  writeFileSync(join(roots.widget, 'widget.js'), 'export const widget = 1;');
  mkdirSync(join(roots.widget, 'chunks'));
  writeFileSync(join(roots.widget, 'chunks', 'panel-abc.js'), 'export const panel = 1;');
  writeFileSync(join(roots.admin, 'index.html'), '<!doctype html><title>console</title>');
  ({ server, base } = await serveHttp(h.services, roots, port));
});
afterEach(async () => {
  await stopHttp(server);
  await h.close();
});

function client(credential?: () => string | undefined, origin?: string) {
  const headers = () => ({
    ...(credential?.() ? { authorization: `Bearer ${credential()}` } : {}),
    ...(origin ? { origin } : {}),
  });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.path === 'chat.send',
        true: httpBatchStreamLink({ url: `${base}/trpc`, transformer: superjson, headers }),
        false: httpLink({ url: `${base}/trpc`, transformer: superjson, headers }),
      }),
    ],
  });
}

describe('the API over HTTP', () => {
  it('streams the first sentence before the model has finished', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'First sentence arrives early. Then a long pause follows here.', delayMs: 150 };
    const credential = { current: undefined as string | undefined };
    const api = client(() => credential.current);
    const { sessionId, visitorToken } = await api.chat.start.mutate({});
    credential.current = `${sessionId}.${visitorToken}`;

    const started = Date.now();
    const arrivals: Array<{ type: string; at: number }> = [];
    for await (const event of await api.chat.send.mutate({ clientMessageId: 'http-stream-1', text: 'How long does delivery take?' })) {
      arrivals.push({ type: event.type, at: Date.now() - started });
    }
    expect(arrivals.map((a) => a.type)).toEqual(['accepted', 'delta', 'delta', 'done']);
    const firstDelta = arrivals[1]!.at;
    const done = arrivals[3]!.at;
    // The model takes ~150 ms a word; the first sentence must not wait for the last word.
    expect(done - firstDelta).toBeGreaterThan(300);
  });

  it('sends not one byte of a sentence the safety rules hold back', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Sorry for the trouble. I will refund you 100% today. Bye!', delayMs: 20 };
    const api = client();
    const { sessionId, visitorToken } = await api.chat.start.mutate({});
    const response = await fetch(`${base}/trpc/chat.send?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', authorization: `Bearer ${sessionId}.${visitorToken}` },
      body: JSON.stringify({ 0: { json: { clientMessageId: 'raw-bytes-1', text: 'Where is my parcel?' } } }),
    });
    const raw = Buffer.from(await response.arrayBuffer()).toString('utf8');
    expect(raw).toContain('Sorry for the trouble.');
    expect(raw).toContain('unsafe_output');
    for (const fragment of ['refund', 'I will', '100%']) expect(raw).not.toContain(fragment);
  });

  it('answers bad input with a readable BAD_REQUEST and no stack trace', async () => {
    const response = await fetch(`${base}/trpc/chat.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { locale: 'not a locale!' } }),
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('language tag');
    expect(body).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it('answers TOO_MANY_REQUESTS with the retry time in the error data', async () => {
    await h.close();
    h = await createHarness({ env: { RATE_LIMIT_ADDRESS_PER_MINUTE: '1' } });
    await stopHttp(server);
    ({ server, base } = await serveHttp(h.services));

    const api = client();
    await api.chat.start.mutate({});
    const error = await api.chat.start.mutate({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data as unknown as { code: string; retryAfterSeconds: number };
    expect(data.code).toBe('TOO_MANY_REQUESTS');
    expect(data.retryAfterSeconds).toBe(60);
  });
});

describe('client addresses for rate limits', () => {
  const request = (forwardedFor?: string) =>
    ({ headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, socket: { remoteAddress: '127.0.0.1' } }) as never;

  it('uses the socket address unless the proxy is trusted', () => {
    expect(clientAddressOf(request('203.0.113.7, 10.0.0.1'), false)).toBe('127.0.0.1');
    expect(clientAddressOf(request('203.0.113.7, 10.0.0.1'), true)).toBe('203.0.113.7');
    expect(clientAddressOf(request(), true)).toBe('127.0.0.1');
  });
});

describe('the CORS gate', () => {
  const preflight = (origin: string) =>
    fetch(`${base}/trpc/chat.start`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('answers a preflight from an allowed site', async () => {
    const response = await preflight('https://shop.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('refuses a preflight and a call from any other site', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const call = await fetch(`${base}/trpc/chat.start`, {
      method: 'POST',
      headers: { origin: 'https://evil.example.net', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(call.status).toBe(403);
    expect(await h.orm.em.fork().count(ChatSession, {})).toBe(0);
  });

  it("always allows the server's own origin (PUBLIC_URL's)", async () => {
    const own = new URL(base).origin;
    const response = await preflight(own);
    expect(response.status).toBe(204);
  });

  it('does not take a Host header that matches the Origin as proof of being the server itself', async () => {
    const forged = await fetch(`${base}/trpc/chat.start`, {
      method: 'POST',
      headers: { origin: 'http://evil.example:3400', host: 'evil.example:3400', 'content-type': 'application/json' },
      body: '{"json":{}}',
    });
    expect(forged.status).toBe(403);
    expect(await h.orm.em.fork().count(ChatSession, {})).toBe(0);
  });
});

describe('static files and pages', () => {
  it('serves the widget to any site, chunks cached for good', async () => {
    const widget = await fetch(`${base}/widget.js`, { headers: { origin: 'https://anywhere.example' } });
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toContain('text/javascript');
    expect(widget.headers.get('access-control-allow-origin')).toBe('*');
    const chunk = await fetch(`${base}/chunks/panel-abc.js`);
    expect(chunk.headers.get('cache-control')).toContain('immutable');
  });

  it('sends the widget compressed to browsers that accept it: brotli, else gzip, else as is', async () => {
    const asked = async (acceptEncoding: string) => {
      const response = await fetch(`${base}/widget.js`, { headers: { 'accept-encoding': acceptEncoding } });
      return { encoding: response.headers.get('content-encoding'), vary: response.headers.get('vary'), text: await response.text() };
    };
    expect(await asked('gzip, deflate, br, zstd')).toEqual({ encoding: 'br', vary: 'Accept-Encoding', text: 'export const widget = 1;' });
    expect(await asked('gzip;q=1, br;q=0')).toEqual({ encoding: 'gzip', vary: 'Accept-Encoding', text: 'export const widget = 1;' });
    expect((await asked('identity')).encoding).toBe(null);
    expect((await asked('identity')).text).toBe('export const widget = 1;');
  });

  it('never serves files outside the widget folder', async () => {
    for (const path of ['/chunks/../../package.json', '/chunks/%2e%2e/%2e%2e/package.json', '/chunks/..%2f..%2fpackage.json']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
    }
  });

  it('serves a demo page that embeds the widget with one script and one element under a strict CSP', async () => {
    const response = await fetch(`${base}/`);
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/widget.js"></script>');
    expect(html).toContain('<ticket0-chat></ticket0-chat>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script>(?!<)/);
  });

  it("serves the demo page in the visitor's language, which the widget then follows", async () => {
    const french = await fetch(`${base}/`, { headers: { 'accept-language': 'ja;q=1, fr-CH;q=0.9, en;q=0.8' } });
    const html = await french.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Bienvenue dans la boutique de démo</h1>');
    expect(french.headers.get('vary')).toContain('Accept-Language');
    expect(french.headers.get('content-language')).toBe('fr');
    expect(await (await fetch(`${base}/`, { headers: { 'accept-language': 'ar-EG' } })).text()).toContain('<html lang="ar" dir="rtl">');
    expect(await (await fetch(`${base}/`)).text()).toContain('<html lang="en">');
  });

  it('serves the console at /admin/, with its own routes falling back to its page', async () => {
    expect((await fetch(`${base}/admin`, { redirect: 'manual' })).status).toBe(301);
    const page = await fetch(`${base}/admin/live-chat/cs_123`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
  });

  it('reports database and model health', async () => {
    const healthy = await (await fetch(`${base}/healthz`)).json();
    expect(healthy).toMatchObject({ status: 'ok', database: 'ok', model: { name: 'llama3.2', reachable: true, installed: true } });
    h.ollama.models = ['mistral:latest'];
    // The model server's answer stands for a moment.
    h.clock.advance(MODEL_HEALTH_TTL_MS);
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'degraded', model: { reachable: true, installed: false } });
    await h.ollama.stop();
    h.clock.advance(MODEL_HEALTH_TTL_MS);
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(200);
    expect(await down.json()).toMatchObject({ status: 'degraded', database: 'ok', model: { reachable: false } });
  });

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/widget.js`, { method: 'DELETE' })).status).toBe(405);
  });
});
