import { CONTROL_CHARACTER_MESSAGE } from '@ticket0/contracts';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatSession, Message } from '../src/db/entities/index.js';
import { createArticle } from '../src/domain/knowledge/articles.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { acceptMessage } from '../src/domain/chat/messages.js';
import { MAX_BATCH_SIZE } from '../src/http.js';
import { createLogger } from '../src/lib/logger.js';
import { checkInputPayload, MalformedInputError, transformer } from '../src/router/transformer.js';
import { testDialect } from './support/database.js';
import { errorShape, TEST_PASSWORD } from './support/harness.js';
import { call, startHttpServer, type HttpHarness } from './support/http-server.js';

let s: HttpHarness;
beforeAll(async () => {
  s = await startHttpServer();
});
afterAll(async () => {
  await s.close();
});

const sessions = () => s.h.orm.em.fork().count(ChatSession, {});

/** Engine internals that must never reach a client. */
const LEAKS = /Maximum call stack|RangeError|TypeError|SQLITE|at \S+ \(|node_modules|\/src\/|\.ts:\d+/;

async function startChat(): Promise<string> {
  const started = await call(s.base, 'chat.start', {});
  const { sessionId, visitorToken } = (started.body as { result: { data: { json: { sessionId: string; visitorToken: string } } } }).result.data
    .json;
  return `Bearer ${sessionId}.${visitorToken}`;
}

async function signInAs(role: 'admin' | 'member'): Promise<Record<string, string>> {
  const { operator } = await s.h.operator(role);
  const response = await fetch(`${s.base}/trpc/admin.auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'console' },
    body: JSON.stringify({ json: { email: operator.email, password: TEST_PASSWORD } }),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, 'x-trpc-source': 'console' };
}

describe('hostile transformer metadata', () => {
  it('the metadata that used to recurse is refused with a sentence, stores nothing, and the server keeps answering', async () => {
    const before = await sessions();
    const result = await call(s.base, 'chat.start', undefined, { raw: '{"json":{"a":"x"},"meta":{"values":"zzz"}}' });
    expect(result.status).toBe(400);
    expect(result.error?.message).toBe('The request metadata is malformed.');
    expect(result.text).not.toMatch(LEAKS);
    expect(await sessions()).toBe(before);
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  });

  const hostile: Array<[string, unknown]> = [
    ['a string where a tree belongs', { values: 'zzz' }],
    ['a number where a tree belongs', { values: 7 }],
    ['a typed array that would allocate at will', { values: { locale: [['typed-array', 'Float64Array']] } }],
    ['a registered-class annotation', { values: [['class', 'Anything']] }],
    ['a regular expression', { values: { locale: ['regexp'] } }],
    ['an unknown annotation', { values: { locale: ['zzz'] } }],
    ['an annotation node of three items', { values: ['undefined', {}, {}] }],
    ['a tree 2,000 levels deep', { values: JSON.parse(`${'{"a":'.repeat(2000)}["undefined"]${'}'.repeat(2000)}`) }],
    ['a path 100 segments deep', { values: { [Array(100).fill('a').join('.')]: ['undefined'] } }],
    ['a path into __proto__', { values: { '__proto__.polluted': ['undefined'] } }],
    ['a malformed escape in a path', { values: { 'a\\b': ['undefined'] }, v: 1 }],
    ['thousands of annotations', { values: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, ['undefined']])) }],
    ['the root pointing at itself', { referentialEqualities: [['a']] }],
    ['a path pointing into its own copy', { referentialEqualities: { a: ['a.b'] } }],
    ['an unknown metadata key', { values: {}, extra: true }],
    ['a version that is not a number', { v: 'x' }],
  ];

  it.each(hostile)('refuses %s before deserialising, with a readable 400', async (_, meta) => {
    const raw = JSON.stringify({ json: { a: { b: 'x' } }, meta });
    const result = await call(s.base, 'chat.start', undefined, { raw });
    expect(result.status).toBe(400);
    expect(result.error?.code).toBe('BAD_REQUEST');
    expect(result.error?.message).toMatch(/^(The request|This request)/);
    expect(result.text).not.toMatch(LEAKS);
  });

  it('still reads the metadata real clients send (a field left undefined, a repeated object)', async () => {
    expect((await call(s.base, 'chat.start', { locale: undefined })).status).toBe(200);
    const shared = { tags: ['refund'], priority: 'high' as const };
    expect(() =>
      checkInputPayload({ json: { reasonMap: { legal_compliance: shared, data_privacy: shared } }, meta: { referentialEqualities: { 'reasonMap.legal_compliance': ['reasonMap.data_privacy'] }, v: 1 } }),
    ).not.toThrow();
  });

  it("the API's transformer checks the metadata itself too, whatever reaches it", () => {
    expect(() => transformer.input.deserialize({ json: { a: 'x' }, meta: { values: 'zzz' } })).toThrow(MalformedInputError);
    expect(transformer.input.deserialize({ json: { a: 'x', b: null }, meta: { values: { b: ['undefined'] }, v: 1 } })).toEqual({ a: 'x', b: undefined });
  });

  it('refuses input that is not in the API client format', async () => {
    const result = await call(s.base, 'chat.start', undefined, { raw: '{"locale":"en"}' });
    expect(result.status).toBe(400);
    expect(result.error?.message).toContain('{"json": …}');
  });
});

describe('size, depth and batches are bounded before anything is parsed into objects', () => {
  it('JSON nested deeper than 20 levels is refused', async () => {
    const result = await call(s.base, 'chat.start', undefined, { raw: `{"json":${'['.repeat(30_000)}${']'.repeat(30_000)}}` });
    expect(result.status).toBe(400);
    expect(result.error?.message).toBe('This request is nested too deeply (at most 20 levels).');
  });

  it('a body announced as larger than 64 KB is refused without being read', async () => {
    const response = await fetch(`${s.base}/trpc/chat.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { locale: 'x'.repeat(70_000) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('too large');
  });

  it('a body sent without a length is cut off at 64 KB', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${s.base}/trpc/chat.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it(`refuses batches of more than ${MAX_BATCH_SIZE} calls, and a batch of health checks asks the model server once`, async () => {
    const asked = s.h.ollama.tagRequests;
    const thousand = await fetch(`${s.base}/trpc/${Array(1000).fill('health').join(',')}?batch=1`);
    expect(thousand.status).toBe(400);
    const eleven = await fetch(`${s.base}/trpc/${Array(MAX_BATCH_SIZE + 1).fill('health').join(',')}?batch=1`);
    expect(eleven.status).toBe(400);
    expect(s.h.ollama.tagRequests).toBe(asked);

    s.h.clock.advance(60_000); // past any cached answer
    const ten = await fetch(`${s.base}/trpc/${Array(MAX_BATCH_SIZE).fill('health').join(',')}?batch=1`);
    expect(ten.status).toBe(200);
    expect(await ten.json()).toHaveLength(MAX_BATCH_SIZE);
    expect(s.h.ollama.tagRequests).toBe(asked + 1);
  });
});

describe('control characters', () => {
  it('a message holding NUL is refused with a sentence, and nothing is stored', async () => {
    const authorization = await startChat();
    const result = await call(s.base, 'chat.send', { clientMessageId: 'nul-message-1', text: 'a\u0000b' }, { headers: { authorization } });
    expect(result.status).toBe(400);
    expect(result.error?.message).toBe(CONTROL_CHARACTER_MESSAGE);
    expect(await s.h.orm.em.fork().count(Message, { clientMessageId: 'nul-message-1' })).toBe(0);
  });

  it('text that reaches the database with quotes and placeholders in it is stored exactly (values are bound, not written into SQL)', async () => {
    const { sessionId } = await s.h.startVisitor();
    const em = s.h.orm.em.fork();
    const session = await em.findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    // SQLite stores a NUL too; PostgreSQL refuses it in any text (see the next test).
    const text = testDialect === 'sqlite' ? "it's a\u0000b; drop table message; -- ? ??" : "it's a b; drop table message; -- ? ?? $1";
    const { message } = await acceptMessage(em, s.h.services, { session, clientAddress: 'local' }, { clientMessageId: 'bound-nul-1', text });
    const stored = await s.h.orm.em.fork().findOneOrFail(Message, { id: message.id });
    expect(stored.body).toBe(text);
    expect(await s.h.orm.em.fork().findOne(Message, { body: text })).not.toBeNull();
  });

  it('text with a NUL that gets past the edge is stored exactly on SQLite, and refused whole on PostgreSQL', async () => {
    const { sessionId } = await s.h.startVisitor();
    const em = s.h.orm.em.fork();
    const session = await em.findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    const text = 'a\u0000b';
    const accepted = acceptMessage(em, s.h.services, { session, clientAddress: 'local' }, { clientMessageId: 'bound-nul-2', text });
    if (testDialect === 'sqlite') {
      await accepted;
      expect((await s.h.orm.em.fork().findOneOrFail(Message, { clientMessageId: 'bound-nul-2' })).body).toBe(text);
    } else {
      await expect(accepted).rejects.toThrow();
      // Never stored cut short at the NUL ("a"): not stored at all.
      expect(await s.h.orm.em.fork().count(Message, { clientMessageId: 'bound-nul-2' })).toBe(0);
    }
  });

  it('a rating comment holding NUL is refused with a sentence', async () => {
    const authorization = await startChat();
    const result = await call(s.base, 'chat.rate', { messageId: 1, rating: 'down', comment: 'bad\u0000' }, { headers: { authorization } });
    expect(result.status).toBe(400);
    expect(result.error?.message).toBe(CONTROL_CHARACTER_MESSAGE);
  });

  it('a help-centre address holding NUL is an unknown page', async () => {
    expect((await fetch(`${s.base}/kb/%00`)).status).toBe(404);
    expect((await fetch(`${s.base}/kb/?q=%00`)).status).toBe(200);
  });

  it.each([
    ['admin.knowledge.create', { title: 'Returns\u0000', body: 'Body' }],
    ['admin.knowledge.list', { query: '\u0000' }],
    ['admin.tickets.create', { requesterEmail: 'ana@example.com', subject: 'Help\u0007' }],
    ['admin.team.create', { email: 'new@example.com', name: 'Ne\u001bw' }],
    ['admin.customers.list', { query: 'a\u0000' }],
    ['admin.lessons.flag', { messageId: 1, correction: 'x\u0000' }],
  ])('%s refuses control characters with a readable 400', async (path, input) => {
    const headers = await signInAs('admin');
    const result = await call(s.base, path, input, { headers, method: path.endsWith('.list') ? 'GET' : 'POST' });
    expect(result.status).toBe(400);
    expect(result.error?.message).toBe(CONTROL_CHARACTER_MESSAGE);
  });

  it("a failed statement's error names its SQL with placeholders, never the values in it", async () => {
    const secret = 'what the visitor wrote, ana@example.com';
    const error = await s.h.orm.em
      .fork()
      .getConnection()
      .execute('insert into no_such_table (body) values (?)', [secret])
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(testDialect === 'sqlite' ? /no such table/ : /relation "no_such_table" does not exist/);
    expect((error as Error).message).not.toContain('what the visitor wrote');
    expect((error as Error).message).not.toContain('ana@example.com');
  });

  it('logs at the default level drop debug lines', () => {
    const printed: string[] = [];
    const log = createLogger({ log: (line: string) => printed.push(line), error: (line: string) => printed.push(line) }, 'info');
    log.debug('mail kept in the outbox', { to: 'ana@example.com' });
    log.info('mail kept in the outbox (SMTP_URL is not set)', { outboxId: 1 });
    expect(printed).toHaveLength(1);
    expect(printed[0]).not.toContain('ana@example.com');
  });
});

describe('internal errors', () => {
  it('a reply that fails inside its stream tells the visitor only that something went wrong', async () => {
    const authorization = await startChat();
    const connection = s.h.orm.em.fork().getConnection();
    // The reply's context reads the lessons: without their table the send fails.
    // SQLite would rewrite the foreign keys to the renamed table without this; PostgreSQL
    // keeps them on the table whatever its name.
    if (testDialect === 'sqlite') await connection.execute('pragma foreign_keys = off');
    await connection.execute('alter table lesson rename to lesson_gone');
    try {
      const response = await fetch(`${s.base}/trpc/chat.send?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', authorization },
        body: JSON.stringify({ 0: { json: { clientMessageId: 'internal-1', text: 'Where is my parcel?' } } }),
      });
      const raw = await response.text();
      expect(raw).toContain('Something went wrong on our side. Please try again.');
      // The context is read before the message is written (the model is asked while it is
      // written), so this failure comes before `accepted`: nothing was acknowledged, and the
      // widget's Retry sends the same clientMessageId again.
      expect(raw).not.toContain('accepted');
      expect(await s.h.orm.em.fork().count(Message, { clientMessageId: 'internal-1' })).toBe(0);
      expect(raw).not.toMatch(/no such table|lesson/);
      expect(raw).not.toMatch(LEAKS);
    } finally {
      await connection.execute('alter table lesson_gone rename to lesson');
      if (testDialect === 'sqlite') await connection.execute('pragma foreign_keys = on');
    }
  });

  it('a low-level failure tRPC wraps as BAD_REQUEST reaches the client as a generic sentence', () => {
    const error = new TRPCError({ code: 'BAD_REQUEST', message: 'Maximum call stack size exceeded', cause: new RangeError('Maximum call stack size exceeded') });
    expect(errorShape(error).message).toBe('This request could not be read. Send it the way the API client does.');
  });
});

describe('the console', () => {
  it('finds "%" and "_" in titles, emails and names as written, not as wildcards', async () => {
    const em = s.h.orm.em.fork();
    await createArticle(em, { title: '50% off returns', body: 'Half price.', published: true });
    await createArticle(em, { title: 'Shipping times', body: 'Two days.', published: true });
    await upsertCustomer(em, { clock: s.h.clock }, { email: 'under_score@example.com', name: 'Una' });
    await upsertCustomer(em, { clock: s.h.clock }, { email: 'plain@example.com', name: 'Pia' });
    const headers = await signInAs('admin');
    const articles = await call(s.base, 'admin.knowledge.list', { query: '%' }, { headers, method: 'GET' });
    const titles = (articles.body as { result: { data: { json: { items: Array<{ title: string }> } } } }).result.data.json.items.map((a) => a.title);
    expect(titles).toEqual(['50% off returns']);
    const customers = await call(s.base, 'admin.customers.list', { query: '_' }, { headers, method: 'GET' });
    const emails = (customers.body as { result: { data: { json: { items: Array<{ email: string }> } } } }).result.data.json.items.map((c) => c.email);
    expect(emails).toEqual(['under_score@example.com']);
  });
});

describe('X-Forwarded-For without TRUST_PROXY', () => {
  it('is warned about once, since every visitor then shares the proxy address', async () => {
    const warned = () => s.h.log.lines.filter((line) => line.level === 'warn' && line.message.includes('X-Forwarded-For')).length;
    expect(warned()).toBe(0);
    for (let i = 0; i < 3; i++) await fetch(`${s.base}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(warned()).toBe(1);
  });
});
