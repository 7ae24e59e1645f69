import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/http.js';
import { appRouter } from '../src/router/index.js';
import { startHttpServer, type HttpHarness } from './support/http-server.js';

/*
 * Malformed input for every procedure in the router, over real HTTP against the server
 * createAppServer builds. The router is walked, so a new procedure is fuzzed without being
 * listed. Requests carry a live visitor credential and an owner's console session (so input
 * reaches validation behind the access checks), or sometimes nothing. The server must never
 * answer 5xx, never show a stack trace or a file path, and keep answering /healthz.
 *
 * FUZZ_RUNS sets the runs per procedure (default 12); FUZZ_SEED replays a failure.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

interface ProcedureDef {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] };
}
// At run time `_def.procedures` is flat, keyed by dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
const paths = Object.keys(procedures).sort();

/** Field names of a procedure's input object (through optional, default and pipe wrappers). */
function fieldsOf(path: string): string[] {
  let schema = procedures[path]!._def.inputs[0] as { shape?: object; _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let i = 0; i < 10 && schema; i++) {
    if (schema.shape) return Object.keys(schema.shape);
    const def = schema._zod?.def;
    schema = (def?.innerType ?? def?.in ?? def?.schema) as typeof schema;
  }
  return [];
}

/** What must never reach a client: engine internals, stack frames, file paths. */
const LEAKS = /Maximum call stack|\bat \S+ \(|node_modules|\/(src|dist|work|home|tmp)\/|\.(ts|js|mjs):\d+|SQLITE_|\bRangeError\b|\bTypeError\b|\bReferenceError\b/;

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const controlText = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff', '\u202e', '\n', '%', '_', "'", '"', '\\', '?')), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** Any value, leaning on the shapes that have hurt servers before. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: controlText },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0), fc.constant(1e308)) },
  { weight: 1, arbitrary: fc.integer({ min: 15, max: 3000 }).map(nested) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), '9'.repeat(400), 'a'.repeat(MAX_BODY_BYTES + 10)) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 300 }) },
);

/** An input object for `path`: its own fields (some missing, some wrong), plus strangers. */
const inputFor = (path: string): fc.Arbitrary<unknown> => {
  const fields = fieldsOf(path);
  const keys = fc.constantFrom(...fields, 'extra', '__proto__', 'constructor', 'json', 'meta', '');
  return fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(keys, value, { maxKeys: Math.max(3, fields.length + 2) }) },
    { weight: 1, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
};

/** superjson metadata: what a client sends, and what it never would. */
const meta: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ values: { locale: ['undefined'] }, v: 1 }),
  fc.constantFrom('zzz', 7, null, [], ['undefined'], { values: 'zzz' }, { values: [['typed-array', 'Uint8Array']] }),
  fc.constantFrom({ values: [['class', 'X']] }, { values: { a: ['regexp'] } }, { referentialEqualities: [['a']] }, { referentialEqualities: { a: ['a.b'] } }),
  fc.record({ values: fc.jsonValue({ maxDepth: 4 }), v: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: [] }),
  fc.record({ referentialEqualities: fc.jsonValue({ maxDepth: 3 }) }),
  fc.integer({ min: 10, max: 3000 }).map((depth) => ({ values: JSON.parse(`${'{"a":'.repeat(depth)}["undefined"]${'}'.repeat(depth)}`) })),
);

/** As the tRPC client would send it (superjson itself refuses some keys: then plainly). */
function serialized(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input ?? null });
  }
}

/** The request body or query text: enveloped the superjson way, or not, or not JSON at all. */
const payload = (input: fc.Arbitrary<unknown>): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 4, arbitrary: input.map(serialized) },
    { weight: 3, arbitrary: fc.tuple(input, meta).map(([json, m]) => JSON.stringify({ json: json === undefined ? null : json, ...(m === undefined ? {} : { meta: m }) })) },
    { weight: 1, arbitrary: input.map((v) => JSON.stringify(v ?? null)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', '{', 'null', '[]', '{"json":', '\u0000', '{"json":{}}garbage', `{"json":${'['.repeat(20000)}}`) },
  );

interface Request {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

let s: HttpHarness;
let visitor: string;
let ownerCookie: string;

const credentials = fc.constantFrom('both', 'both', 'both', 'none', 'visitor-only');
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', '');

function headersFor(who: string, type: string, address: string): Record<string, string> {
  return {
    ...(type ? { 'content-type': type } : {}),
    'x-forwarded-for': address,
    ...(who !== 'none' ? { authorization: visitor } : {}),
    ...(who === 'both' ? { cookie: ownerCookie, 'x-trpc-source': 'console' } : {}),
  };
}

function single(path: string): fc.Arbitrary<Request> {
  return fc
    .record({
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
      body: payload(inputFor(path)),
      who: credentials,
      type: contentType,
      address: fc.ipV4(),
    })
    .map(({ method, body, who, type, address }) => ({
      method,
      url: method === 'GET' && body !== undefined ? `/trpc/${path}?input=${encodeURIComponent(body)}` : `/trpc/${path}`,
      headers: headersFor(who, type, address),
      ...(method === 'POST' ? { body: body ?? '' } : {}),
    }));
}

const batchBody: fc.Arbitrary<string> = fc.oneof(
  // `{"0": <payload>, "1": <payload>, …}`, each payload as a client (or no client) would write it.
  fc
    .array(fc.tuple(fc.constantFrom('0', '1', '2', '3', '9', '13', 'x'), payload(value)), { maxLength: 8 })
    .map((entries) => `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${item || 'null'}`).join(',')}}`),
  value.map((v) => JSON.stringify(v ?? null)),
);

const batch: fc.Arbitrary<Request> = fc
  .record({
    method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
    calls: fc.array(fc.constantFrom(...paths.filter((p) => procedures[p]!._def.type !== 'subscription')), { minLength: 1, maxLength: 14 }),
    text: batchBody,
    who: credentials,
    address: fc.ipV4(),
  })
  .map(({ method, calls, text, who, address }) => {
    const path = `/trpc/${calls.join(',')}?batch=1`;
    return {
      method,
      url: method === 'GET' ? `${path}&input=${encodeURIComponent(text)}` : path,
      headers: headersFor(who, 'application/json', address),
      ...(method === 'POST' ? { body: text } : {}),
    };
  });

/** Sends one request; fails on 5xx or a leak. Streams (subscriptions) are read briefly, then closed. */
async function check(request: Request): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    const response = await fetch(`${s.base}${request.url}`, {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    let text = '';
    if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      const reader = response.body!.getReader();
      const first = await reader.read();
      text = new TextDecoder().decode(first.value);
      controller.abort();
    } else {
      text = await response.text();
    }
    if (response.status >= 500 || LEAKS.test(text)) {
      throw new Error(`${request.method} ${request.url.slice(0, 300)} → ${response.status}: ${text.slice(0, 500)}`);
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError' && controller.signal.aborted) {
      // A stream we closed ourselves, or a request that took 3 s: only the latter is a failure.
      if (!request.headers.cookie || !request.url.includes('live.events')) throw new Error(`no answer in 3 s: ${request.method} ${request.url.slice(0, 200)}`);
      return;
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function healthAnswers(): Promise<void> {
  const response = await fetch(`${s.base}/healthz`, { signal: AbortSignal.timeout(2000) });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  s = await startHttpServer({ env: { TRUST_PROXY: 'true' } });
  s.h.ollama.behaviour = { mode: 'reply', text: 'Parcels arrive in two days.' };
  const { sessionId, visitorToken } = await s.h.startVisitor();
  visitor = `Bearer ${sessionId}.${visitorToken}`;
  const owner = await s.h.operator('owner', { email: 'fuzz-owner@example.com' });
  ownerCookie = `t0_session=${owner.token}`;
});
afterAll(async () => {
  await s?.close();
});

describe('fuzzing every procedure over HTTP', () => {
  it('walks a router with every kind of procedure', () => {
    expect(paths.length).toBeGreaterThan(40);
    expect(new Set(paths.map((p) => procedures[p]!._def.type))).toEqual(new Set(['query', 'mutation', 'subscription']));
  });

  // Signing out would end the session the other runs use: it goes last.
  const ordered = [...paths.filter((p) => p !== 'admin.auth.signOut'), 'admin.auth.signOut'];
  it.each(ordered)('%s: malformed input never gets a 5xx or a stack trace', async (path) => {
    await fc.assert(fc.asyncProperty(single(path), check), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    await healthAnswers();
  });

  it('batches of every size and shape never get a 5xx or a stack trace', async () => {
    await fc.assert(fc.asyncProperty(batch, check), { numRuns: RUNS * 5, seed: SEED, endOnFailure: true });
    await healthAnswers();
  });

  it('keeps answering /healthz while 120 hostile requests arrive at once', async () => {
    const hostile = fc.sample(fc.oneof(...paths.slice(0, 20).map(single), batch), { numRuns: 120, seed: SEED });
    const health = (async () => {
      for (let i = 0; i < 10; i++) {
        await healthAnswers();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await Promise.all([...hostile.map(check), health]);
  });
});
