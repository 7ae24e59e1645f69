import { createTRPCClient, httpBatchStreamLink, httpLink, splitLink } from '@trpc/client';
import type { SendMessageEvent } from '@ticket0/contracts';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEmail, Ticket } from '../src/db/entities/index.js';
import { initORM, type ORM } from '../src/db/orm.js';
import type { AppRouter } from '../src/router/index.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../test/support/database.js';
import { FakeOllama } from '../test/support/fake-ollama.js';
import { addressOf, SmtpReceiver } from '../test/support/smtp-receiver.js';
import { startBuiltServer, type BuiltServer } from './support/server.js';

/*
 * Several server processes on one database, as a company runs them behind a load balancer:
 * on PostgreSQL two built servers, A and B; a visitor talks to A while the console watches
 * B. On SQLite, which one process serves, the same story runs with A and B the same server
 * (and "another process" is the same one restarted).
 */

const OWNER = { email: 'owner@example.com', password: 'e2e owner password' };
const TWO = testDialect === 'postgresql';

let ollama: FakeOllama;
let smtp: SmtpReceiver;
let database: TestDatabase;
let a: BuiltServer;
let b: BuiltServer;
let orm: ORM;

beforeAll(async () => {
  ollama = await new FakeOllama().start();
  smtp = await new SmtpReceiver().start();
  database = await createTestDatabase({ file: true });
  const env = { OLLAMA_HOST: ollama.url, SMTP_URL: smtp.url, ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password, SHUTDOWN_GRACE_MS: '2000' };
  // Both boot at the same moment on the same database: migrations, seed and first owner once.
  [a, b] = TWO
    ? await Promise.all([startBuiltServer({ env, database }), startBuiltServer({ env, database })])
    : await startBuiltServer({ env, database }).then((server) => [server, server]);
  orm = await initORM({ ...database.options, migrate: false });
}, 120_000);

afterAll(async () => {
  await orm?.close(true);
  await a?.dispose();
  if (b !== a) await b?.dispose();
  await database?.drop();
  await smtp?.stop();
  await ollama?.stop();
});

/** A visitor's calls to one server, with a chat credential that works on any of them. */
function visitorOn(server: BuiltServer, credential: string) {
  const headers = () => ({ authorization: `Bearer ${credential}` });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.path === 'chat.send',
        true: httpBatchStreamLink({ url: `${server.url}/trpc`, transformer: superjson, headers }),
        false: httpLink({ url: `${server.url}/trpc`, transformer: superjson, headers }),
      }),
    ],
  });
}

async function startChat(server: BuiltServer): Promise<string> {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, transformer: superjson })] });
  const { sessionId, visitorToken } = await anonymous.chat.start.mutate({});
  return `${sessionId}.${visitorToken}`;
}

async function collect(stream: AsyncIterable<SendMessageEvent>): Promise<SendMessageEvent[]> {
  const events: SendMessageEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The console's live stream on `server`, as the console opens it (cookie, server-sent events). */
async function openLiveStream(server: BuiltServer) {
  const signIn = await fetch(`${server.url}/trpc/admin.auth.signIn`, {
    method: 'POST',
    headers: { 'x-trpc-source': 'console', 'content-type': 'application/json' },
    body: JSON.stringify({ json: OWNER }),
  });
  expect(signIn.status).toBe(200);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const controller = new AbortController();
  const response = await fetch(`${server.url}/trpc/admin.live.events`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value);
  return {
    async waitFor(needle: string, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes(needle)) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, deadline - Date.now())))]);
        if (!chunk || chunk.done) throw new Error(`the live stream did not carry ${needle}`);
        text += decoder.decode(chunk.value);
      }
    },
    close: () => controller.abort(),
  };
}

describe(TWO ? 'two server processes on one PostgreSQL database' : 'one server process on SQLite', () => {
  it('a chat written through A appears live in a console connected to B', { timeout: 60_000 }, async () => {
    const live = await openLiveStream(b);
    try {
      ollama.behaviour = { mode: 'reply', text: 'Usually three working days.' };
      const credential = await startChat(a);
      const events = await collect(await visitorOn(a, credential).chat.send.mutate({ clientMessageId: 'live-across-1', text: 'How long does delivery take?' }));
      expect(events.at(-1)).toMatchObject({ type: 'done', message: { author: 'ai' } });
      await live.waitFor(`"sessionId":"${credential.split('.')[0]}"`);
    } finally {
      live.close();
    }
  });

  it('an escalation confirmed through A and B at once is one ticket, assigned once and mailed once', { timeout: 60_000 }, async () => {
    ollama.behaviour = { mode: 'reply', text: 'Visitor wants a person about a late parcel.' }; // the summary
    const credential = await startChat(a);
    const offer = await visitorOn(a, credential).escalation.request.mutate();
    const confirmed = await Promise.all(
      [a, b].map((server) => visitorOn(server, credential).escalation.confirm.mutate({ offerId: offer.id, email: 'dana@example.com' })),
    );
    expect(confirmed[0]!.ticketId).toBe(confirmed[1]!.ticketId);
    await smtp.waitFor((mail) => addressOf(mail.to) === 'dana@example.com');
    // Both processes' senders and schedules have had their turn.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(smtp.mails.filter((mail) => addressOf(mail.to) === 'dana@example.com')).toHaveLength(1);
    const em = orm.em.fork();
    const tickets = await em.find(Ticket, { source: 'email', requesterEmail: 'dana@example.com' }, { populate: ['assignee'] });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.assignee?.email).toBe(OWNER.email);
    expect(await em.count(OutboxEmail, { to: 'dana@example.com' })).toBe(1);
  });

  it('A killed mid-reply: the visitor resends to B and loses nothing', { timeout: 90_000 }, async () => {
    ollama.behaviour = { mode: 'reply', text: 'This reply is slow. It takes many words to finish. '.repeat(5), delayMs: 100 };
    const credential = await startChat(a);
    const stream = await visitorOn(a, credential).chat.send.mutate({ clientMessageId: 'killed-on-a', text: 'How long does delivery take?' });
    const iterator = stream[Symbol.asyncIterator]();
    for (let next = await iterator.next(); !next.done && next.value.type !== 'delta'; next = await iterator.next());
    await a.kill();
    await iterator.next().catch(() => undefined); // the connection is gone
    if (!TWO) await a.restart();

    ollama.behaviour = { mode: 'reply', text: 'Usually three working days.' };
    const retried = await collect(await visitorOn(b, credential).chat.send.mutate({ clientMessageId: 'killed-on-a', text: 'How long does delivery take?' }));
    expect(retried.at(-1)).toMatchObject({ type: 'done', message: { author: 'ai', body: 'Usually three working days.' } });
    const { messages } = await visitorOn(b, credential).chat.history.query();
    expect(messages.map((m) => [m.author, m.body])).toEqual([
      ['visitor', 'How long does delivery take?'],
      ['ai', 'Usually three working days.'],
    ]);
  });
});
