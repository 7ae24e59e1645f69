import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOllama } from '../test/support/fake-ollama.js';
import { startBuiltServer, type BuiltServer } from './support/server.js';
import { visitorClient } from './support/visitor.js';

let ollama: FakeOllama;
let server: BuiltServer;

beforeEach(async () => {
  ollama = await new FakeOllama().start();
  server = await startBuiltServer({ env: { OLLAMA_HOST: ollama.url, SHUTDOWN_GRACE_MS: '5000' } });
});
afterEach(async () => {
  await server.dispose();
  await ollama.stop();
});

/** Reads events until `until` says stop, then leaves the stream running in the background. */
async function readUntil(stream: AsyncIterable<SendMessageEvent>, until: (e: SendMessageEvent) => boolean) {
  const events: SendMessageEvent[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    events.push(next.value);
    if (until(next.value)) break;
  }
  return { events, rest: iterator };
}

describe('stopping the server', () => {
  it('killed mid-reply, it loses no visitor message', async () => {
    ollama.behaviour = { mode: 'reply', text: 'This reply is slow. It takes many words to finish. '.repeat(5), delayMs: 100 };
    const visitor = visitorClient(server.url);
    await visitor.start();
    const stream = await visitor.api.chat.send.mutate({ clientMessageId: 'killed-mid-reply', text: 'How long does delivery take?' });
    const { events, rest } = await readUntil(stream, (e) => e.type === 'delta');
    expect(events.map((e) => e.type)).toEqual(['accepted', 'delta']);

    await server.kill();
    await rest.next().catch(() => undefined); // the connection is gone
    await server.restart();

    const { messages } = await visitor.api.chat.history.query();
    expect(messages[0]).toMatchObject({ author: 'visitor', body: 'How long does delivery take?', clientMessageId: 'killed-mid-reply' });

    // The widget retries with the same id: no duplicate, and now the reply is generated.
    ollama.behaviour = { mode: 'reply', text: 'Usually three working days.' };
    const retried: SendMessageEvent[] = [];
    for await (const event of await visitor.api.chat.send.mutate({ clientMessageId: 'killed-mid-reply', text: 'How long does delivery take?' })) {
      retried.push(event);
    }
    expect(retried.at(-1)).toMatchObject({ type: 'done', message: { author: 'ai', body: 'Usually three working days.' } });
    const after = await visitor.api.chat.history.query();
    expect(after.messages.filter((m) => m.author === 'visitor')).toHaveLength(1);
  });

  it('on SIGTERM, a reply in progress finishes and is stored before the process exits', async () => {
    ollama.behaviour = { mode: 'reply', text: 'One moment please. Here is the full answer you asked for.', delayMs: 60 };
    const visitor = visitorClient(server.url);
    await visitor.start();
    const stream = await visitor.api.chat.send.mutate({ clientMessageId: 'sigterm-mid-reply', text: 'Can I pay with PayPal?' });
    const { events, rest } = await readUntil(stream, (e) => e.type === 'delta');
    const exit = server.stop();
    for (;;) {
      const next = await rest.next();
      if (next.done) break;
      events.push(next.value);
    }
    expect(await exit).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { body: 'One moment please. Here is the full answer you asked for.' } });
    expect(server.output()).toContain('"message":"stopped"');

    await server.restart();
    const { messages } = await visitor.api.chat.history.query();
    expect(messages.map((m) => m.author)).toEqual(['visitor', 'ai']);
    expect(messages[1]!.interrupted).toBe(false);
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    await server.dispose();
    await expect(startBuiltServer({ env: { PORT: 'eighty' } })).rejects.toThrow(/Invalid configuration: PORT/);
    server = await startBuiltServer({ env: { OLLAMA_HOST: ollama.url } });
  });
});
