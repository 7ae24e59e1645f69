import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelUnavailableError, type ChatRequest } from '../src/llm/model.js';
import { OpenAIModel, type OpenAIModelOptions } from '../src/llm/openai-model.js';
import { createMemoryLogger } from '../src/lib/logger.js';
import { FakeOpenAI } from './support/fake-openai.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await new FakeOpenAI().start();
});
afterEach(async () => {
  await fake.stop();
});

const model = (options: Partial<OpenAIModelOptions> = {}) =>
  new OpenAIModel({ baseURL: fake.baseURL, model: 'test-model', timeoutMs: 1000, ...options });

const ask: ChatRequest = {
  messages: [
    { role: 'system', content: 'You answer questions about the shop.' },
    { role: 'user', content: 'When do you open?' },
  ],
};

/** A schema shaped like the judgement's, with an optional property. */
const schema = {
  type: 'object',
  properties: { can_answer: { type: 'boolean' }, confidence: { type: 'integer' }, reason: { type: 'string' } },
  required: ['can_answer', 'confidence'],
};

async function pieces(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of stream) out.push(piece);
  return out;
}

/** The failure a call ends in, and the pieces it yielded before that. */
async function failure(stream: AsyncIterable<string>): Promise<{ error: ModelUnavailableError; received: string[] }> {
  const received: string[] = [];
  try {
    for await (const piece of stream) received.push(piece);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelUnavailableError);
    return { error: error as ModelUnavailableError, received };
  }
  throw new Error(`expected the call to fail, but it answered: ${received.join('')}`);
}

const chats = () => fake.log.filter((entry) => entry.path === '/v1/chat/completions');

describe('answering through an OpenAI-compatible server', () => {
  it('streams the answer piece by piece as the server sends it', async () => {
    fake.behaviour = { mode: 'reply', text: 'We open at nine. We close at six.' };
    const received = await pieces(model().streamChat(ask));
    expect(received.length).toBeGreaterThan(3);
    expect(received.join('')).toBe('We open at nine. We close at six.');
    expect(fake.lastRequest).toMatchObject({ model: 'test-model', stream: true, messages: ask.messages, temperature: 0.3 });
    expect(fake.lastRequest!.response_format).toBeUndefined();
  });

  it('sends no Authorization header without a key, and the key as a bearer token with one', async () => {
    await pieces(model().streamChat(ask));
    expect(chats()[0]!.authorization).toBeUndefined();
    fake.apiKey = 'sk-local-123';
    await pieces(model({ apiKey: 'sk-local-123' }).streamChat(ask));
    expect(chats()[1]!.authorization).toBe('Bearer sk-local-123');
  });

  it('asks for structured output with the JSON schema and returns the whole JSON from chat()', async () => {
    fake.judgement = { can_answer: true, confidence: 88 };
    const text = await model().chat({ ...ask, format: schema, temperature: 0 });
    expect(JSON.parse(text)).toEqual({ can_answer: true, confidence: 88 });
    expect(fake.structuredRequests[0]).toMatchObject({
      stream: true,
      temperature: 0,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } },
    });
    // The schema is enforced by the server, so the prompt is left as it was.
    expect(fake.structuredRequests[0]!.messages).toEqual(ask.messages);
  });

  it('streams structured output piece by piece, so a JSON answer can be read as it arrives', async () => {
    fake.judgement = { can_answer: false, confidence: 20, reason: 'human_requested' };
    const received = await pieces(model().streamChat({ ...ask, format: schema }));
    expect(received.length).toBeGreaterThan(1);
    expect(JSON.parse(received.join(''))).toEqual({ can_answer: false, confidence: 20, reason: 'human_requested' });
  });

  it('falls back to JSON mode where json_schema is refused, with the schema in the prompt, and remembers it', async () => {
    fake.refuses.add('json_schema');
    const log = createMemoryLogger();
    const m = model({ log });
    expect(JSON.parse(await m.chat({ ...ask, format: schema }))).toMatchObject({ can_answer: true });
    expect(chats().map((c) => [c.status, c.body?.response_format?.type])).toEqual([
      [400, 'json_schema'],
      [200, 'json_object'],
    ]);
    const system = fake.structuredRequests[0]!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content.startsWith('You answer questions about the shop.')).toBe(true);
    expect(system.content).toContain(JSON.stringify(schema));
    expect(fake.structuredRequests[0]!.messages).toHaveLength(2);

    // Streamed structured output takes the same way, straight away this time.
    const streamed = await pieces(m.streamChat({ ...ask, format: schema }));
    expect(JSON.parse(streamed.join(''))).toMatchObject({ can_answer: true });
    expect(chats().map((c) => c.body?.response_format?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([expect.objectContaining({ refused: 'json_schema', now: 'json_object' })]);

    // Plain replies never carried a response format and are not affected.
    await pieces(m.streamChat(ask));
    expect(fake.lastRequest!.response_format).toBeUndefined();
    expect(fake.lastRequest!.messages).toEqual(ask.messages);
  });

  it('asks in the prompt alone where the server refuses both structured-output modes', async () => {
    fake.refuses.add('json_schema');
    fake.refuses.add('json_object');
    fake.behaviour = { mode: 'reply', text: '{"can_answer": true, "confidence": 75}' };
    const m = model();
    expect(JSON.parse(await m.chat({ ...ask, format: schema }))).toEqual({ can_answer: true, confidence: 75 });
    expect(chats().map((c) => [c.status, c.body?.response_format?.type ?? 'none'])).toEqual([
      [400, 'json_schema'],
      [400, 'json_object'],
      [200, 'none'],
    ]);
    expect(fake.lastRequest!.messages[0]!.content).toContain(JSON.stringify(schema));
    await m.chat({ ...ask, format: schema });
    expect(chats()).toHaveLength(4);
  });

  it('reads a model listed with a tag (Ollama-style) as the same model', async () => {
    fake.models = ['llama3.2:latest'];
    expect(await model({ model: 'llama3.2' }).health()).toEqual({ reachable: true, installed: true });
  });
});

describe('stopping and timing out', () => {
  it("aborts mid-answer on the caller's signal, and the server sees the hang-up", async () => {
    fake.behaviour = { mode: 'reply', text: 'One. Two. Three. Four. Five. Six.', delayMs: 40 };
    const controller = new AbortController();
    const received: string[] = [];
    let caught: unknown;
    try {
      for await (const piece of model().streamChat({ ...ask, signal: controller.signal })) {
        received.push(piece);
        controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ failure: 'aborted' });
    expect(received).toEqual(['One. ']);
    await expect.poll(() => fake.aborted).toBe(1);
  });

  it('aborts a call still waiting for its first word', async () => {
    fake.behaviour = { mode: 'hang' };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error } = await failure(model({ timeoutMs: 5000 }).streamChat({ ...ask, signal: controller.signal }));
    expect(error.failure).toBe('aborted');
    await expect.poll(() => fake.aborted).toBe(1);
  });

  it('gives up on a server that never answers after the idle timeout', async () => {
    fake.behaviour = { mode: 'hang' };
    const started = performance.now();
    const { error } = await failure(model({ timeoutMs: 300 }).streamChat(ask));
    expect(error.failure).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await expect.poll(() => fake.aborted).toBe(1);
  });

  it('gives up when the server goes silent mid-answer, keeping nothing back', async () => {
    fake.behaviour = { mode: 'stall-after', text: 'First words and then silence', pieces: 2 };
    const { error, received } = await failure(model({ timeoutMs: 300 }).streamChat(ask));
    expect(error.failure).toBe('timeout');
    expect(received.join('')).toBe('First words ');
  });

  it('waits for slow words as long as each comes within the timeout (idle, not total)', async () => {
    fake.behaviour = { mode: 'reply', text: 'one two three four five six seven eight', delayMs: 100 };
    const started = performance.now();
    const received = await pieces(model({ timeoutMs: 400 }).streamChat(ask));
    expect(received.join('')).toBe('one two three four five six seven eight');
    expect(performance.now() - started).toBeGreaterThan(400);
  });

  it('does not retry on its own: one failed call is one request', async () => {
    fake.behaviour = { mode: 'error', status: 503, message: 'overloaded' };
    await failure(model().streamChat(ask));
    expect(chats()).toHaveLength(1);
  });
});

describe("failures map exactly like Ollama's", () => {
  it('unreachable: nothing listens at the address', async () => {
    const port = await closedPort();
    const { error } = await failure(new OpenAIModel({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'test-model', timeoutMs: 1000 }).streamChat(ask));
    expect(error.failure).toBe('unreachable');
  });

  it('model_missing: the server does not know the model (404)', async () => {
    const { error } = await failure(model({ model: 'gpt-nowhere' }).streamChat(ask));
    expect(error.failure).toBe('model_missing');
    expect(error.message).toContain('gpt-nowhere');
    expect(error.message).toContain('OPENAI_MODEL');
  });

  it('error: a wrong API key (401), without repeating any of it', async () => {
    fake.apiKey = 'sk-the-right-one';
    const { error } = await failure(model({ apiKey: 'sk-wrong-secret-9876' }).streamChat(ask));
    expect(error.failure).toBe('error');
    expect(error.message).toContain('401');
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(error.message).not.toContain('9876');
  });

  it('error: the server fails (500) before and during structured output', async () => {
    fake.behaviour = { mode: 'error', status: 500, message: 'CUDA out of memory' };
    const { error } = await failure(model().streamChat(ask));
    expect(error).toMatchObject({ failure: 'error' });
    expect(error.message).toContain('500');
    await expect(model().chat({ ...ask, format: schema })).rejects.toMatchObject({ failure: 'error' });
  });

  it('error: a malformed event stream', async () => {
    fake.behaviour = { mode: 'malformed' };
    expect((await failure(model().streamChat(ask))).error.failure).toBe('error');
  });

  it('error: a stream dropped midway is a failure, not a short answer', async () => {
    fake.behaviour = { mode: 'drop', text: 'The first part arrives and then the line goes dead', pieces: 3 };
    const { error, received } = await failure(model().streamChat(ask));
    expect(error.failure).toBe('error');
    expect(received.join('')).toBe('The first part ');
  });

  it('error: a stream closed cleanly but before its end is a failure too', async () => {
    fake.behaviour = { mode: 'drop', text: 'The first part arrives and then the line goes dead', pieces: 3, how: 'end' };
    const { error, received } = await failure(model().streamChat(ask));
    expect(error.failure).toBe('error');
    expect(error.message).toMatch(/before it was complete/);
    expect(received.join('')).toBe('The first part ');
  });
});

describe('health', () => {
  it('is ready when the server lists the model', async () => {
    expect(await model().health()).toEqual({ reachable: true, installed: true });
    expect(fake.log.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models' });
  });

  it('says which models the server offers when the configured one is not among them', async () => {
    fake.models = ['qwen2.5-3b', 'llama-3.1-8b'];
    expect(await model().health()).toEqual({
      reachable: true,
      installed: false,
      detail: 'the server does not offer "test-model" (it lists qwen2.5-3b, llama-3.1-8b); check OPENAI_MODEL',
    });
  });

  it('is reachable but not ready when the key is refused, or when there is no model list', async () => {
    fake.apiKey = 'sk-the-right-one';
    expect(await model({ apiKey: 'sk-wrong' }).health()).toMatchObject({ reachable: true, installed: false, detail: expect.stringContaining('OPENAI_API_KEY') });
    fake.apiKey = null;
    fake.modelsStatus = 404;
    expect(await model().health()).toMatchObject({ reachable: true, installed: false, detail: expect.stringContaining('/v1') });
  });

  it('is unreachable when nothing answers, or nothing answers in time', async () => {
    const port = await closedPort();
    expect(await new OpenAIModel({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'x', timeoutMs: 1000 }).health()).toEqual({ reachable: false, installed: false });
    fake.modelsStatus = 'hang';
    expect(await model({ timeoutMs: 300 }).health()).toEqual({ reachable: false, installed: false });
  });

  it('reports where it is without credentials or a trailing slash', () => {
    const m = new OpenAIModel({ baseURL: 'https://api.example.com/v1/', model: 'gpt-test', apiKey: 'sk-secret', timeoutMs: 1000 });
    expect({ provider: m.provider, url: m.url, name: m.name }).toEqual({ provider: 'openai', url: 'https://api.example.com/v1', name: 'gpt-test' });
  });
});

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
