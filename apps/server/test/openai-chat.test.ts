import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { Message } from '../src/db/entities/index.js';
import { MODEL_HEALTH_TTL_MS } from '../src/app/health.js';
import { offerText } from '../src/domain/escalation/offers.js';
import type { FakeOpenAI } from './support/fake-openai.js';
import { collect, createHarness, type Harness } from './support/harness.js';

/** The chat, end to end but for HTTP, with MODEL_PROVIDER=openai against a fake server. */
let h: Harness;
let fake: FakeOpenAI;
const start = async (env: Record<string, string> = {}) => {
  h = await createHarness({ provider: 'openai', env });
  fake = h.openai!;
};
afterEach(async () => {
  await h.close();
});

const messages = () => h.orm.em.fork().find(Message, {}, { orderBy: { id: 'asc' } });
let counter = 0;
const send = (caller: Awaited<ReturnType<Harness['startVisitor']>>['caller'], text: string) =>
  collect<SendMessageEvent>(caller.chat.send({ clientMessageId: `openai-${++counter}-abcdef`, text }));

describe('a visitor answered by an OpenAI-compatible server', () => {
  it('gets the reply sentence by sentence, judged through JSON-schema structured output', async () => {
    await start();
    fake.behaviour = { mode: 'reply', text: 'Our shop opens at nine. It closes at six! Anything else?' };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'When are you open?');

    expect(events.filter((e) => e.type === 'delta').map((e) => e.text)).toEqual(['Our shop opens at nine. ', 'It closes at six! ', 'Anything else?']);
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { author: 'ai', kind: 'text', body: 'Our shop opens at nine. It closes at six! Anything else?' } });
    expect((await messages())[1]).toMatchObject({ model: 'test-model', confidence: 90 });
    // One request: the judgement and the answer in one structured reply.
    expect(fake.log.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.messages.at(-1)!.role).toBe('user');
    expect(fake.requests[0]!.messages.at(-1)!.content.endsWith('\n\nWhen are you open?')).toBe(true);
    expect(fake.requests[0]!.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { schema: { required: ['can_answer', 'confidence', 'needs_human', 'reason', 'answer'] } },
    });
    expect(h.ollama.requests).toHaveLength(0);
  });

  it('is offered a human, not an answer, when the judgement says the assistant cannot answer', async () => {
    await start();
    fake.judgement = { can_answer: false, confidence: 30, needs_human: false };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'When are you open?');
    expect(events.some((e) => e.type === 'delta')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { kind: 'escalation_offer', escalationReason: 'ai_uncertain' } });
  });

  it('is still judged on a server that only knows JSON mode', async () => {
    await start();
    fake.refuses.add('json_schema');
    fake.judgement = { can_answer: true, confidence: 10, needs_human: false };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'When are you open?');
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { kind: 'escalation_offer', escalationReason: 'ai_uncertain' } });
    expect(fake.requests.map((r) => r.response_format?.type)).toEqual(['json_object']);
    expect(h.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', refused: 'json_schema', now: 'json_object' }));
  });

  it('is answered at the confidence floor by a server that takes neither a schema nor JSON mode', async () => {
    await start();
    fake.refuses.add('json_schema');
    fake.refuses.add('json_object');
    fake.behaviour = { mode: 'reply', text: 'We open at nine. We close at six.' };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'When are you open?');
    expect(events.filter((e) => e.type === 'delta').map((e) => e.text)).toEqual(['We open at nine. ', 'We close at six.']);
    expect((await messages())[1]).toMatchObject({ kind: 'text', confidence: 60 });
  });

  it('never lets an unsafe sentence through, and offers a human instead', async () => {
    await start();
    fake.behaviour = { mode: 'reply', text: 'Sorry for the wait. I will refund you 100% today. Anything else?' };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'My parcel is late');
    const said = events.filter((e) => e.type === 'delta').map((e) => e.text).join('');
    expect(said).toBe('Sorry for the wait. ');
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { kind: 'escalation_offer', escalationReason: 'unsafe_output' } });
  });

  it('stopping a reply aborts the call; what was said is stored, marked interrupted', async () => {
    await start();
    fake.behaviour = { mode: 'reply', text: 'One. Two. Three. Four. Five. Six. Seven. Eight.', delayMs: 40 };
    const { sessionId, visitorToken } = await h.startVisitor();
    const controller = new AbortController();
    const caller = h.visitor(sessionId, visitorToken, {}, controller.signal);
    for await (const event of await caller.chat.send({ clientMessageId: 'openai-stop-1', text: 'Count' })) {
      if (event.type === 'delta') controller.abort();
    }
    await h.services.replies.whenIdle();
    await expect.poll(() => fake.aborted).toBe(1);
    const reply = (await messages())[1]!;
    expect(reply).toMatchObject({ author: 'ai', interrupted: true });
    expect(reply.body.startsWith('One.')).toBe(true);
    expect(reply.body).not.toContain('Eight');
  });

  it('keeps what was said and marks the reply interrupted when the stream drops midway', async () => {
    await start();
    fake.behaviour = { mode: 'drop', text: 'First sentence here. Second one never ends', pieces: 4 };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'Tell me');
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { author: 'ai', body: 'First sentence here.', interrupted: true } });
  });
});

describe('with the provider failing, the visitor is offered a human', () => {
  const expectOffer = async (failure: string) => {
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'Is anyone there?');
    expect(events[0]).toMatchObject({ type: 'accepted' });
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      message: { author: 'ai', kind: 'escalation_offer', escalationReason: 'ai_unavailable', body: offerText('ai_unavailable') },
    });
    const stored = await messages();
    expect(stored.map((m) => m.kind)).toEqual(['text', 'escalation_offer']);
    expect(stored[0]!.body).toBe('Is anyone there?');
    expect(h.log.lines).toContainEqual(expect.objectContaining({ message: 'model unavailable', failure }));
  };

  it('when the server is not running', async () => {
    await start();
    await fake.stop();
    await expectOffer('unreachable');
  });

  it('when the server refuses the API key (401), which no log line repeats', async () => {
    await start({ OPENAI_API_KEY: 'sk-wrong-secret-9876' });
    fake.apiKey = 'sk-the-right-one';
    await expectOffer('error');
    expect(JSON.stringify(h.log.lines)).not.toContain('9876');
  });

  it('when the server does not know the model (404)', async () => {
    await start({ OPENAI_MODEL: 'gpt-nowhere' });
    await expectOffer('model_missing');
  });

  it('when the server fails (500)', async () => {
    await start();
    fake.behaviour = { mode: 'error', status: 500, message: 'CUDA out of memory' };
    await expectOffer('error');
  });

  it('when the server hangs, after the timeout', async () => {
    await start({ OLLAMA_TIMEOUT_MS: '500' });
    fake.behaviour = { mode: 'hang' };
    await expectOffer('timeout');
    await expect.poll(() => fake.aborted).toBe(1); // the one call, hung up on
  });

  it('when the stream drops before the first sentence is complete', async () => {
    await start();
    fake.behaviour = { mode: 'drop', text: 'This sentence never gets to its end', pieces: 3 };
    await expectOffer('error');
  });
});

describe('health', () => {
  it('reports the provider, its address and the model', async () => {
    await start({ OPENAI_API_KEY: 'sk-secret-key' });
    const health = await h.anonymous().health();
    expect(health).toMatchObject({
      status: 'ok',
      model: { provider: 'openai', url: fake.baseURL, name: 'test-model', reachable: true, installed: true },
    });
    expect(JSON.stringify(health)).not.toContain('sk-secret-key');
    fake.models = ['another-model'];
    h.clock.advance(MODEL_HEALTH_TTL_MS); // the model server's last answer stands that long
    expect(await h.anonymous().health()).toMatchObject({
      status: 'degraded',
      model: { reachable: true, installed: false, detail: expect.stringContaining('OPENAI_MODEL') },
    });
  });

  it('reports Ollama the same way when it is the provider', async () => {
    h = await createHarness();
    expect((await h.anonymous().health()).model).toEqual({ provider: 'ollama', url: h.ollama.url, name: 'llama3.2', reachable: true, installed: true });
  });
});
