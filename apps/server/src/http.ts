import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContext } from './router/context.js';
import { compressedFile, pickEncoding, type Encoding } from './compressed-files.js';
import { demoPage, DEMO_CSS } from './demo-page.js';
import { localeFromAcceptLanguage } from './lib/i18n/index.js';
import { serveKnowledgeBase } from './kb-pages.js';
import { errorText } from './lib/logger.js';
import { checkInputPayload, INPUT_LIMITS, MalformedInputError } from './router/transformer.js';
import { checkHealth } from './app/health.js';
import { appRouter } from './router/index.js';
import type { Services } from './app/services.js';

/** Where the built browser code lives, next to this app in the monorepo. */
export interface StaticRoots {
  widget: string;
  admin: string;
}

export const defaultStaticRoots: StaticRoots = {
  widget: fileURLToPath(new URL('../../../packages/chat-widget/dist/', import.meta.url)),
  admin: fileURLToPath(new URL('../../admin/dist/', import.meta.url)),
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** The largest request body the API reads, checked before any of it is parsed. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Calls in one batched request: the console batches a page's queries, never this many. */
export const MAX_BATCH_SIZE = 10;

/**
 * The one HTTP server: `/trpc` (the API, behind the CORS gate), `/widget.js` and its chunks,
 * the demo page at `/`, the console at `/admin/`, the help centre at `/kb/`, and `/healthz`.
 */
export function createAppServer(services: Services, roots: StaticRoots = defaultStaticRoots): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: MAX_BODY_BYTES,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ req, res, info }) => ({
      ...createContext(services, {
        clientAddress: clientAddressOf(req, services.env.TRUST_PROXY),
        origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
        authorization: req.headers.authorization ?? null,
        cookie: req.headers.cookie ?? null,
        source: typeof req.headers['x-trpc-source'] === 'string' ? req.headers['x-trpc-source'] : null,
        setCookie: (cookie) => {
          if (!res.headersSent) res.appendHeader('Set-Cookie', cookie);
        },
      }),
      signal: info.signal,
    }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        services.log.error('request failed', { path, error: errorText(error.cause ?? error) });
      }
    },
  });

  let warnedAboutProxy = false;

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (!warnedAboutProxy && !services.env.TRUST_PROXY && req.headers['x-forwarded-for'] !== undefined) {
      // Behind a proxy every visitor shares the proxy's address, and with it one address's limits.
      warnedAboutProxy = true;
      services.log.warn('requests carry X-Forwarded-For but TRUST_PROXY is off: rate limits see every visitor as the proxy', {
        hint: 'set TRUST_PROXY=true if a reverse proxy you run sets X-Forwarded-For',
      });
    }

    if (url.pathname.startsWith('/trpc/')) {
      if (!corsGate(req, res, services.allowedOrigins)) return;
      screenApiRequest(req, res, url)
        .then((ok) => ok && trpc(req, res))
        .catch((error: unknown) => {
          services.log.error('request failed', { path: url.pathname.slice(0, 200), error: errorText(error) });
          if (!res.headersSent) refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side. Please try again.');
        });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed');
      return;
    }
    if (url.pathname === '/healthz') {
      void checkHealth(services).then((health) => {
        res.writeHead(health.database === 'ok' ? 200 : 503, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        res.end(JSON.stringify(health));
      });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.setHeader('Content-Security-Policy', STRICT_CSP);
      const locale = localeFromAcceptLanguage(req.headers['accept-language']);
      res.setHeader('Content-Language', locale);
      res.setHeader('Vary', 'Accept-Language');
      sendText(res, 200, demoPage(locale), 'text/html; charset=utf-8');
      return;
    }
    if (url.pathname === '/kb' || url.pathname.startsWith('/kb/') || url.pathname === '/kb.css') {
      // The public help centre (article pages the chat's citations link to).
      res.setHeader('Content-Security-Policy', STRICT_CSP);
      void serveKnowledgeBase(services, url, res);
      return;
    }
    if (url.pathname === '/demo.css') {
      sendText(res, 200, DEMO_CSS, 'text/css; charset=utf-8');
      return;
    }
    if (url.pathname === '/widget.js' || url.pathname.startsWith('/chunks/') || url.pathname === '/custom-elements.json') {
      // Module scripts load with CORS: any site may fetch the widget code itself.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      const immutable = url.pathname.startsWith('/chunks/');
      const encoding = pickEncoding(req.headers['accept-encoding']);
      serveFile(res, roots.widget, url.pathname, immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300', encoding);
      return;
    }
    if (url.pathname === '/admin') {
      res.writeHead(301, { Location: '/admin/' });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/admin/')) {
      res.setHeader('Content-Security-Policy', STRICT_CSP);
      res.setHeader('X-Frame-Options', 'DENY');
      const asset = url.pathname.slice('/admin'.length);
      const isAsset = asset.startsWith('/assets/');
      // Routes inside the console are client-side: unknown paths get its index page.
      if (isAsset || fileExists(roots.admin, asset)) {
        serveFile(res, roots.admin, asset, isAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
      } else {
        serveFile(res, roots.admin, '/index.html', 'no-cache');
      }
      return;
    }
    sendText(res, 404, 'Not found');
  });
}

/** No inline script anywhere: the widget and the console work under this policy. */
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

/**
 * Lets browsers call the API only from the server's own origin (PUBLIC_URL) and the allowed
 * sites. The Host header is the caller's to choose, so it proves nothing about the page.
 * Answers preflights itself. Returns false when the request was answered here.
 */
function corsGate(req: IncomingMessage, res: ServerResponse, allowed: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin) {
    if (!isAllowedOrigin(origin, allowed)) {
      res.writeHead(403, { 'Content-Type': 'application/json; charset=utf-8', Vary: 'Origin' });
      res.end(
        JSON.stringify({
          error: {
            code: 'FORBIDDEN',
            message: `The site ${origin.slice(0, 200)} is not allowed to use this chat. Add it to ALLOWED_ORIGINS.`,
          },
        }),
      );
      return false;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, trpc-accept, x-trpc-source');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    res.end();
    return false;
  }
  return true;
}

/** Nesting of the raw JSON (input, its envelope and metadata) past which nothing is parsed. */
export const MAX_RAW_NESTING = INPUT_LIMITS.maxDepth + 12;

/**
 * Checks an API request before tRPC (and superjson) see it: a body past MAX_BODY_BYTES is
 * refused (unread, when its length is announced); JSON nested past MAX_RAW_NESTING is
 * refused after a scan of its text, before it is parsed; batches past MAX_BATCH_SIZE, and
 * inputs whose shape or transformer metadata the API would refuse, are answered here, which
 * costs a fraction of a full pass through tRPC. A body read here is handed to tRPC as it is.
 * Resolves false when the request was answered here.
 */
async function screenApiRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const batch = url.searchParams.get('batch') === '1';
  if (batch && url.pathname.split(',').length > MAX_BATCH_SIZE) {
    return refuse(res, 400, 'BAD_REQUEST', `A batch can hold at most ${MAX_BATCH_SIZE} calls.`);
  }
  let text: string | null = url.searchParams.get('input');
  if (req.method === 'POST') {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', TOO_LARGE);
    text = await readBody(req, MAX_BODY_BYTES);
    if (text === null) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', TOO_LARGE);
    (req as IncomingMessage & { body?: string }).body = text;
  }
  if (!text) return true;
  if (jsonNesting(text, MAX_RAW_NESTING) > MAX_RAW_NESTING) {
    return refuse(res, 400, 'BAD_REQUEST', `This request is nested too deeply (at most ${INPUT_LIMITS.maxDepth} levels).`);
  }
  const type = req.headers['content-type'];
  if (req.method === 'POST' && type !== undefined && !/^application\/json\b/i.test(type)) return true; // not ours to read
  let inputs: unknown;
  try {
    inputs = JSON.parse(text);
  } catch {
    return refuse(res, 400, 'PARSE_ERROR', 'This request is not valid JSON.');
  }
  try {
    if (!batch) checkInputPayload(inputs);
    else if (typeof inputs === 'object' && inputs !== null) for (const item of Object.values(inputs)) checkInputPayload(item);
  } catch (error) {
    if (error instanceof MalformedInputError) return refuse(res, 400, 'BAD_REQUEST', error.message);
    throw error;
  }
  return true;
}

const TOO_LARGE = `This request is too large (at most ${MAX_BODY_BYTES / 1024} KB).`;

/** The body as text, or null once it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', () => resolve(null));
  });
}

/**
 * The deepest nesting of objects and arrays in JSON text, found by scanning it (strings are
 * skipped); stops counting once past `stopAfter`.
 */
export function jsonNesting(text: string, stopAfter: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > deepest && (deepest = depth) > stopAfter) return deepest;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return deepest;
}

/** An error answer in the API's own shape, for requests refused before tRPC sees them. */
function refuse(res: ServerResponse, status: number, code: string, message: string): false {
  const rpcCode = { BAD_REQUEST: -32600, PARSE_ERROR: -32700, PAYLOAD_TOO_LARGE: -32013, INTERNAL_SERVER_ERROR: -32603 }[code] ?? -32600;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...(status === 413 ? { Connection: 'close' } : {}) });
  res.end(
    JSON.stringify({
      error: { json: { message, code: rpcCode, data: { code, httpStatus: status, retryAfterSeconds: null, fieldErrors: null } } },
    }),
  );
  return false;
}

/** The visitor's address: the socket's, or with TRUST_PROXY the first X-Forwarded-For entry. */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  if (trustProxy && first) return first.slice(0, 64);
  return req.socket.remoteAddress ?? 'unknown';
}

/** Only exact origins: PUBLIC_URL's, ALLOWED_ORIGINS and those added in the console's settings. */
export function isAllowedOrigin(origin: string, allowed: Set<string>): boolean {
  return allowed.has(origin);
}

function sendText(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

function resolveInside(root: string, path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const full = normalize(join(root, decoded));
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

function fileExists(root: string, path: string): boolean {
  const full = resolveInside(root, path);
  return !!full && existsSync(full) && statSync(full).isFile();
}

function serveFile(res: ServerResponse, root: string, path: string, cacheControl: string, encoding: Encoding | null = null): void {
  const full = resolveInside(root, path);
  if (!full || !existsSync(full) || !statSync(full).isFile()) {
    sendText(res, 404, existsSync(root) ? 'Not found' : 'Not built yet: run `npm run build` first.');
    return;
  }
  const headers = { 'Content-Type': CONTENT_TYPES[extname(full)] ?? 'application/octet-stream', 'Cache-Control': cacheControl };
  if (!encoding) {
    res.writeHead(200, headers);
    createReadStream(full).pipe(res);
    return;
  }
  compressedFile(full, encoding).then(
    (body) => {
      res.writeHead(200, { ...headers, 'Content-Encoding': encoding, 'Content-Length': body.length, Vary: 'Accept-Encoding' });
      res.end(body);
    },
    () => sendText(res, 500, 'Could not read the file.'),
  );
}
