import { createConnection, createServer, type Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama, preciseNow } from '../test/support/fake-ollama.js';
import { FakeOpenAI } from '../test/support/fake-openai.js';
import { launchBrowser, watchForErrors } from './support/browser.js';
import { freePort, startBuiltServer, type BuiltServer } from './support/server.js';

/*
 * How fast a visitor sees the answer, in a real browser against the built server, with a
 * fake model that writes one word every 40 ms:
 *
 *   - ask:  from the send request reaching the server to the model receiving the question
 *           (a relay in front of the server notes when the request arrives; the fake notes
 *           when the model request does), first message of a new chat included — target ≤ 30 ms;
 *   - show: from the model writing the first sentence's last word to that sentence being
 *           on screen (the browser notes the animation frame that first shows it) — ≤ 50 ms;
 *   - one model request per visitor message, in the fake's request log.
 *
 * Clocks: the fake, the relay and the browser all read the same system clock (ms since the
 * epoch with sub-millisecond precision). The machine may be loaded, so each figure is the
 * median of five messages; every figure is printed.
 */

const WORD_MS = 40;
const QUESTIONS = [
  'What are your opening hours?',
  'How long does delivery take?',
  'How do I track my order?',
  'Which payment methods do you accept?',
  'How do gift cards work?',
];
const NUMBERS = ['one', 'two', 'three', 'four', 'five'];
/** The first sentence of each answer: unique, so the page can tell when it appears. */
const firstSentence = (i: number) => `Thanks for question ${NUMBERS[i]} about this today.`;
const answerText = (i: number) =>
  `${firstSentence(i)} The support team can help you with anything the articles leave open. Just write again whenever you like.`;

/** A TCP relay in front of the server that notes when each `chat.send` request arrives. */
async function startRelay(port: number, listenPort: number): Promise<{ url: string; sends: number[]; close(): Promise<void> }> {
  const sends: number[] = [];
  const relay: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes('POST /trpc/chat.send')) sends.push(preciseNow());
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(listenPort, '127.0.0.1', resolve));
  const address = relay.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    sends,
    close: () =>
      new Promise<void>((resolve) => {
        relay.close(() => resolve());
        relay.emit('close');
      }),
  };
}

/** The page's globals this test uses (the test is compiled without the DOM library). */
interface PageGlobals {
  seen: Record<string, number>;
  document: { querySelector(selector: string): { shadowRoot: PageNode } | null };
  requestAnimationFrame(callback: () => void): void;
  performance: { timeOrigin: number; now(): number };
  MutationObserver: new (callback: () => void) => { observe(target: PageNode, options: Record<string, boolean>): void };
}
interface PageNode {
  querySelector(selector: string): { textContent: string | null } | null;
}

/** Notes, in the page, the animation frame in which each of `sentences` is first on screen. */
async function watchSentences(page: Page, sentences: string[]): Promise<void> {
  await page.evaluate((wanted) => {
    const page = globalThis as unknown as PageGlobals;
    const seen: Record<string, number> = {};
    page.seen = seen;
    const root = page.document.querySelector('ticket0-chat')!.shadowRoot;
    const check = () => {
      const text = root.querySelector('.messages')?.textContent ?? '';
      for (const sentence of wanted) {
        if (seen[sentence] === undefined && text.includes(sentence)) {
          seen[sentence] = 0;
          page.requestAnimationFrame(() => (seen[sentence] = page.performance.timeOrigin + page.performance.now()));
        }
      }
    };
    new page.MutationObserver(check).observe(root, { subtree: true, childList: true, characterData: true });
  }, sentences);
}

/** When the page first showed `sentence` (0 while its frame is still to come). */
const seenAt = (page: Page, sentence: string) => page.evaluate((s) => (globalThis as unknown as PageGlobals).seen[s] ?? 0, sentence);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');

interface Model {
  /** Every chat request the fake received, in order. */
  chats(): Array<{ receivedAt: number; sent: Array<{ at: number; text: string }> }>;
  answer(text: string): void;
  stop(): Promise<void>;
}

const PROVIDERS: Array<[string, () => Promise<{ model: Model; env: Record<string, string> }>]> = [
  [
    'Ollama',
    async () => {
      const fake = await new FakeOllama().start();
      return {
        env: { OLLAMA_HOST: fake.url },
        model: { chats: () => fake.log, answer: (text) => (fake.behaviour = { mode: 'reply', text, delayMs: WORD_MS }), stop: () => fake.stop() },
      };
    },
  ],
  [
    'an OpenAI-compatible server',
    async () => {
      const fake = await new FakeOpenAI().start();
      return {
        env: { MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'test-model' },
        model: {
          chats: () => fake.log.flatMap((entry) => (entry.body ? [entry.body] : [])),
          answer: (text) => (fake.behaviour = { mode: 'reply', text, delayMs: WORD_MS }),
          stop: () => fake.stop(),
        },
      };
    },
  ],
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(PROVIDERS)('the first sentence at once, with %s', (provider, startModel) => {
  let model: Model;
  let server: BuiltServer;
  let relay: Awaited<ReturnType<typeof startRelay>>;

  beforeAll(async () => {
    const started = await startModel();
    model = started.model;
    // The page is served through the relay, so its origin is the relay's: allow it.
    const relayPort = await freePort();
    server = await startBuiltServer({ env: { ...started.env, ALLOWED_ORIGINS: `http://127.0.0.1:${relayPort}` } });
    relay = await startRelay(Number(new URL(server.url).port), relayPort);
  });
  afterAll(async () => {
    await relay?.close();
    await server?.dispose();
    await model?.stop();
  });

  it('asks the model once per message and shows each first sentence while the model is still writing', { timeout: 90_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${relay.url}/`);
    await page.getByRole('button', { name: 'Open support chat' }).click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    await watchSentences(page, QUESTIONS.map((_, i) => firstSentence(i)));
    const log = page.getByRole('log', { name: 'Conversation' });

    const ask: number[] = [];
    const show: number[] = [];
    /** How long before the model's last word the first sentence was on screen. */
    const ahead: number[] = [];
    for (const [i, question] of QUESTIONS.entries()) {
      model.answer(answerText(i));
      const chatsBefore = model.chats().length;
      const sendsBefore = relay.sends.length;
      // The first words typed start the chat session; a visitor takes longer to type than that.
      const started = i === 0 ? page.waitForResponse((response) => response.url().includes('chat.start')) : null;
      await input.pressSequentially(question, { delay: 10 });
      await started;
      await input.press('Enter');
      await log.getByText('Just write again whenever you like.', { exact: false }).nth(i).waitFor();
      await expect.poll(() => seenAt(page, firstSentence(i))).toBeGreaterThan(0);

      const chats = model.chats().slice(chatsBefore);
      expect(chats, 'model requests for this message').toHaveLength(1);
      expect(relay.sends.length - sendsBefore, 'send requests for this message').toBe(1);
      const request = chats[0]!;
      const sendArrived = relay.sends[sendsBefore]!;
      ask.push(request.receivedAt - sendArrived);
      const lastWord = request.sent.find((piece) => piece.text.startsWith('today.'));
      const visible = await seenAt(page, firstSentence(i));
      show.push(visible - lastWord!.at);
      ahead.push(request.sent.at(-1)!.at - visible);
    }

    console.log(`[${provider}] send request → model request, ms: ${fmt(ask)} (median ${median(ask).toFixed(1)})`);
    console.log(`[${provider}] first sentence's last word → on screen, ms: ${fmt(show)} (median ${median(show).toFixed(1)})`);
    console.log(`[${provider}] first sentence on screen before the model's last word, ms: ${fmt(ahead)}`);
    // The latency goals (≤ 30 ms to the model, ≤ 50 ms to the screen) are figures printed above
    // and in the benchmark, not timed assertions that a loaded machine would break. What must
    // hold: the first sentence is shown while the model is still writing (released at once,
    // not held for the rest), and never before it was written.
    expect(Math.min(...ahead)).toBeGreaterThan(0);
    expect(Math.min(...show)).toBeGreaterThan(0); // the clocks agree: nothing is seen before it is written
    expect(model.chats()).toHaveLength(QUESTIONS.length); // one model request per message, nothing else
    expect(errors).toEqual([]);
    await context.close();
  });
});
