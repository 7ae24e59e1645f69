import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContext } from './router/context.js';
import { demoPage, DEMO_CSS } from './demo-page.js';
import { serveKnowledgeBase } from './kb-pages.js';
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

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The one HTTP server: `/trpc` (the API, behind the CORS gate), `/widget.js` and its chunks,
 * the demo page at `/`, the console at `/admin/`, the help centre at `/kb/`, and `/healthz`.
 */
export function createAppServer(services: Services, roots: StaticRoots = defaultStaticRoots): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: MAX_BODY_BYTES,
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
        services.log.error('request failed', { path, error: String(error.cause ?? error) });
      }
    },
  });

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');

    if (url.pathname.startsWith('/trpc/')) {
      if (!corsGate(req, res, services.allowedOrigins)) return;
      trpc(req, res);
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
      sendText(res, 200, demoPage(), 'text/html; charset=utf-8');
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
      serveFile(res, roots.widget, url.pathname, immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
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
 * Lets browsers call the API only from the server's own origin and the allowed sites.
 * Answers preflights itself. Returns false when the request was answered here.
 */
function corsGate(req: IncomingMessage, res: ServerResponse, allowed: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin) {
    if (!isAllowedOrigin(origin, req.headers.host, allowed)) {
      res.writeHead(403, { 'Content-Type': 'application/json; charset=utf-8', Vary: 'Origin' });
      res.end(
        JSON.stringify({
          error: {
            code: 'FORBIDDEN',
            message: `The site ${origin} is not allowed to use this chat. Add it to ALLOWED_ORIGINS.`,
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

/** The visitor's address: the socket's, or with TRUST_PROXY the first X-Forwarded-For entry. */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  if (trustProxy && first) return first.slice(0, 64);
  return req.socket.remoteAddress ?? 'unknown';
}

export function isAllowedOrigin(origin: string, host: string | undefined, allowed: Set<string>): boolean {
  if (allowed.has(origin)) return true;
  try {
    // The page the server itself serves (the demo page, the console) is always allowed.
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
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

function serveFile(res: ServerResponse, root: string, path: string, cacheControl: string): void {
  const full = resolveInside(root, path);
  if (!full || !existsSync(full) || !statSync(full).isFile()) {
    sendText(res, 404, existsSync(root) ? 'Not found' : 'Not built yet: run `npm run build` first.');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
  });
  createReadStream(full).pipe(res);
}
