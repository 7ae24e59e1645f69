import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import superjson from 'superjson';
import { freePort } from '../../e2e/support/server.js';
import { createAppServer } from '../../src/http.js';
import { createHarness, type Harness } from './harness.js';

export interface HttpHarness {
  h: Harness;
  server: Server;
  /** `http://127.0.0.1:<port>`, which is also PUBLIC_URL. */
  base: string;
  close(): Promise<void>;
}

/** The real HTTP server (createAppServer) over a test harness, on a free port that PUBLIC_URL names. */
export async function startHttpServer(options: { env?: Record<string, string> } = {}): Promise<HttpHarness> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await createHarness({ env: { PUBLIC_URL: base, ...options.env } });
  const admin = mkdtempSync(join(tmpdir(), 'admin-'));
  writeFileSync(join(admin, 'index.html'), '<!doctype html><title>console</title>');
  const server = createAppServer(h.services, { widget: mkdtempSync(join(tmpdir(), 'widget-')), admin });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    h,
    server,
    base,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await h.close();
    },
  };
}

export interface CallResult {
  status: number;
  /** The raw response body. */
  text: string;
  /** The parsed body, when it is JSON. */
  body: unknown;
  /** The first error's message and tRPC code, when the call failed. */
  error: { message: string; code: string } | null;
}

/**
 * One procedure call the way the tRPC client makes it: a POST for a mutation (or `method:
 * 'GET'` for a query), the input serialised by superjson unless `raw` is given as the body.
 */
export async function call(
  base: string,
  path: string,
  input?: unknown,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; raw?: string } = {},
): Promise<CallResult> {
  const method = options.method ?? 'POST';
  const payload = options.raw ?? (input === undefined ? undefined : JSON.stringify(superjson.serialize(input)));
  const url =
    method === 'GET'
      ? `${base}/trpc/${path}${payload === undefined ? '' : `?input=${encodeURIComponent(payload)}`}`
      : `${base}/trpc/${path}`;
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(method === 'POST' ? { body: payload ?? '' } : {}),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a streamed answer)
  }
  const first = Array.isArray(body) ? body[0] : body;
  const error = (first as { error?: { json?: { message: string; data: { code: string } } } } | null)?.error?.json;
  return { status: response.status, text, body, error: error ? { message: error.message, code: error.data.code } : null };
}
