import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchForErrors } from './support/browser.js';
import { startBuiltServer } from './support/server.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;
let { ollama, server, browser } = {} as Stack;

beforeAll(async () => {
  ({ ollama, server, browser } = stack = await startStack());
});
afterAll(() => stack?.close());

describe('a visitor on the demo page', () => {
  it('asks, watches the answer arrive, reloads and finds the conversation again', async () => {
    const first = 'Our support team is there from nine to six on weekdays.';
    const second = `The contact page at ${server.url}/kb/opening-hours-and-contact has quick answers.`;
    ollama.behaviour = { mode: 'reply', text: `${first} ${second}`, delayMs: 120 };

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}/`);

    await page.getByRole('button', { name: 'Open support chat' }).click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await input.fill('What are your opening hours?');
    await input.press('Enter');

    const log = page.getByRole('log', { name: 'Conversation' });
    // The first sentence is on screen while the model is still writing the second.
    await log.getByText(first).waitFor();
    expect(await log.innerText()).not.toContain('quick answers');
    await log.getByText('quick answers', { exact: false }).waitFor();
    const link = log.getByRole('link', { name: `${server.url}/kb/opening-hours-and-contact` });
    expect(await link.getAttribute('rel')).toContain('noopener');

    // The visitor's question reached the model as the user turn, after this turn's context.
    expect(ollama.lastRequest!.messages.at(-1)!.role).toBe('user');
    expect(ollama.lastRequest!.messages.at(-1)!.content.endsWith('\n\nWhat are your opening hours?')).toBe(true);

    await page.reload();
    await page.getByRole('button', { name: 'Open support chat' }).click();
    const restored = page.getByRole('log', { name: 'Conversation' });
    await restored.getByText('What are your opening hours?').waitFor();
    await restored.getByText(first, { exact: false }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is told clearly when no model is running, and the message is kept', async () => {
    const modelless = await startBuiltServer(); // OLLAMA_HOST points at a closed port
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${modelless.url}/`);
      await page.getByRole('button', { name: 'Open support chat' }).click();
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('What are your opening hours, anyone?');
      await input.press('Enter');
      const log = page.getByRole('log', { name: 'Conversation' });
      await log.getByText('assistant is unavailable', { exact: false }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Open support chat' }).click();
      await page.getByRole('log', { name: 'Conversation' }).getByText('What are your opening hours, anyone?').waitFor();
      await context.close();
    } finally {
      await modelless.dispose();
    }
  });
});

describe('the widget bundle', () => {
  it('publishes its custom-elements manifest next to widget.js', async () => {
    const response = await fetch(`${server.url}/custom-elements.json`);
    expect(response.status).toBe(200);
    const manifest = (await response.json()) as { modules: Array<{ declarations?: Array<{ tagName?: string; events?: unknown[] }> }> };
    const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'ticket0-chat');
    expect(element?.events?.length).toBeGreaterThan(3);
  });

  it('ships no validation library and no server code to the browser', () => {
    const dist = fileURLToPath(new URL('../../../packages/chat-widget/dist/', import.meta.url));
    const files = [join(dist, 'widget.js'), ...readdirSync(join(dist, 'chunks')).map((f) => join(dist, 'chunks', f))];
    const code = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const marker of ['ZodError', 'mikro-orm', 'MikroORM', 'node:crypto', 'sqlite']) {
      expect(code, marker).not.toContain(marker);
    }
  });
});
