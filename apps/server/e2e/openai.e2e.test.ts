import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../test/support/fake-openai.js';
import { launchBrowser, watchForErrors } from './support/browser.js';
import { startBuiltServer, type BuiltServer } from './support/server.js';

const KEY = 'sk-e2e-do-not-print-4242';
let fake: FakeOpenAI;
let server: BuiltServer;
let browser: Browser;

beforeAll(async () => {
  fake = await new FakeOpenAI().start();
  fake.apiKey = KEY;
  server = await startBuiltServer({
    env: { MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: KEY, OPENAI_MODEL: 'test-model' },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await fake?.stop();
});

describe('a server configured for an OpenAI-compatible model server', () => {
  it('says which model it uses at start-up and in /healthz, never the key', async () => {
    await expect.poll(() => server.output()).toContain(`Model:      test-model (openai) at ${fake.baseURL} — ready`);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', model: { provider: 'openai', url: fake.baseURL, name: 'test-model', installed: true } });
    expect(server.output()).not.toContain('4242');
    expect(JSON.stringify(health)).not.toContain('4242');
  });

  it('answers a visitor on the demo page, sentence by sentence', async () => {
    const first = 'Our support team is there from nine to six on weekdays.';
    fake.behaviour = { mode: 'reply', text: `${first} Write to us any time.`, delayMs: 60 };
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Open support chat' }).click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('What are your opening hours?');
    await input.press('Enter');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText(first).waitFor();
    await log.getByText('Write to us any time.', { exact: false }).waitFor();
    expect(fake.lastRequest!.messages.at(-1)!.content.endsWith('\n\nWhat are your opening hours?')).toBe(true);
    expect(fake.log.filter((entry) => entry.path === '/v1/chat/completions').every((entry) => entry.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses to start without OPENAI_BASE_URL, naming it', async () => {
    await expect(startBuiltServer({ env: { MODEL_PROVIDER: 'openai', OPENAI_MODEL: 'test-model' } })).rejects.toThrow(
      /Invalid configuration: OPENAI_BASE_URL is required when MODEL_PROVIDER is openai/,
    );
  });
});
