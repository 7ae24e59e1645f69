import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchForErrors, signIn } from './support/browser.js';
import { OWNER, startStack, type Stack } from './support/stack.js';

const MEMBER = { email: 'mo@example.com', password: 'mo has a long password' };
const SCREENSHOTS = process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../test-results/', import.meta.url));

const WRONG_REPLY = 'We do not ship to Norway at the moment.';
const LESSON = 'Tell visitors we deliver to Norway in 4 to 8 working days.';

let stack: Stack;
let { ollama, server, browser } = {} as Stack;

beforeAll(async () => {
  ({ ollama, server, browser } = stack = await startStack());
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(() => stack?.close());

/** A visitor asks on the demo page and waits for the answer to show. */
async function ask(shop: Page, question: string, answer: string): Promise<void> {
  const input = shop.getByRole('textbox', { name: 'Message' });
  await input.fill(question);
  await input.press('Enter');
  await shop.getByRole('log', { name: 'Conversation' }).getByText(answer, { exact: false }).waitFor();
}

const scrollWidth = () =>
  (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth;

describe('correcting the AI from the console', () => {
  let consoleContext: BrowserContext;
  let visitorContext: BrowserContext;
  afterAll(async () => {
    await consoleContext?.close();
    await visitorContext?.close();
  });

  it('an admin flags a wrong reply with a correction, approves its lesson, and edits a knowledge-base article', { timeout: 120_000 }, async () => {
    // A visitor gets a wrong answer.
    ollama.behaviour = { mode: 'reply', text: WRONG_REPLY };
    visitorContext = await browser.newContext();
    const shop = await visitorContext.newPage();
    await shop.goto(`${server.url}/`);
    await shop.getByRole('button', { name: 'Open support chat' }).click();
    await ask(shop, 'How long does delivery to Norway take?', WRONG_REPLY);

    consoleContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await consoleContext.newPage();
    const errors = watchForErrors(page);
    await signIn(page, server.url, OWNER);

    // Flag the reply in the chat's read-only history, saying what it should have said.
    await page.getByRole('list', { name: 'Chats' }).getByRole('link', { name: /How long does delivery to Norway take\?/ }).click();
    await page.getByRole('heading', { name: 'How long does delivery to Norway take?' }).waitFor();
    const reply = page.getByRole('list', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: WRONG_REPLY });
    await reply.getByRole('button', { name: 'Flag reply' }).click();
    await reply.getByLabel('What it should have said (optional)').fill('We deliver to Norway in 4–8 working days.');
    ollama.behaviour = { mode: 'reply', text: LESSON }; // the model writes the lesson line
    await reply.getByRole('button', { name: 'Send flag' }).click();
    await page.getByText('Reply flagged.', { exact: false }).waitFor();
    await reply.getByText('Flagged · lesson waiting for review').waitFor();
    await reply.getByText(WRONG_REPLY).waitFor(); // the reply itself is unchanged

    // Approve it on the Lessons page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lessons' }).click();
    await page.getByRole('heading', { name: 'Lessons', exact: true }).waitFor();
    const waiting = page.getByRole('list', { name: 'Waiting for review (1)' });
    const card = waiting.getByRole('listitem').filter({ hasText: LESSON });
    await card.getByText('Written by the model', { exact: false }).waitFor();
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(`Approved: “${LESSON}” now goes into related prompts.`).waitFor();
    await page.getByRole('list', { name: 'Approved (1)' }).getByText(LESSON).waitFor();
    await page.getByRole('heading', { name: 'Waiting for review (0)' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-lessons.png'), fullPage: true });

    // The next related question carries the lesson in the assistant's prompt.
    ollama.behaviour = { mode: 'reply', text: 'Yes, we deliver to Norway.' };
    await ask(shop, 'Do you deliver to Norway?', 'Yes, we deliver to Norway.');
    expect(ollama.requests.at(-1)!.messages.at(-1)!.content).toContain(LESSON); // in this turn's context block

    // Edit a knowledge-base article.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge base' }).click();
    await page.getByRole('heading', { name: 'Knowledge base' }).waitFor();
    await page.getByRole('list', { name: 'Articles' }).getByRole('link', { name: 'International delivery', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit “International delivery”' }).waitFor();
    const body = page.getByLabel('Body (Markdown)');
    await body.fill(`${await body.inputValue()}\n\n## Express to Norway\n\nExpress parcels to Norway arrive in 2 working days.`);
    await page.getByRole('button', { name: 'Save article' }).click();
    await page.getByText('Saved “International delivery”.').waitFor();
    const published = await fetch(`${server.url}/kb/international-delivery`).then((response) => response.text());
    expect(published).toContain('Express parcels to Norway arrive in 2 working days.');

    // "Test a question" finds the new passage.
    await page.getByRole('link', { name: '← Knowledge base' }).click();
    await page.getByLabel('Question a visitor might ask').fill('express parcel to Norway');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const passages = page.getByRole('list', { name: 'Passages the assistant would get' });
    await passages.getByRole('listitem').first().getByText('Express parcels to Norway arrive in 2 working days.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-knowledge.png'), fullPage: true });

    expect(errors).toEqual([]);
  });

  it('the new pages work at 360 px, and a member sees no admin-only page', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await signIn(page, server.url, OWNER);

    // The page list folds behind a Menu button.
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lessons' }).isVisible()).toBe(false);
    await menu.click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    // A member to look through.
    await page.getByLabel('Email').fill(MEMBER.email);
    await page.getByLabel('Name').fill('Mo Member');
    await page.getByLabel('Password (optional)').fill(MEMBER.password);
    await page.getByRole('button', { name: 'Add operator' }).click();
    await page.getByText('Mo Member was added.').waitFor();

    const chat = await page.goto(`${server.url}/admin/chats`).then(async () => {
      const link = page.getByRole('list', { name: 'Chats' }).getByRole('link').first();
      return link.getAttribute('href');
    });
    for (const path of ['/admin/review', '/admin/customers', '/admin/knowledge', '/admin/knowledge/new', '/admin/lessons', chat!]) {
      await page.goto(`${server.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
      expect({ path, overflow: await page.evaluate(scrollWidth) }).toEqual({ path, overflow: 360 });
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'console-chat-360.png'), fullPage: true });

    // On a phone, Sign out is in the menu, keeping the header to one row.
    await menu.click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await signIn(page, server.url, MEMBER);
    await menu.click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Review queue' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Knowledge base' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.goto(`${server.url}/admin/knowledge`);
    await page.getByText('Only an admin or owner can edit the knowledge base.').waitFor();
    await page.goto(`${server.url}/admin/lessons`);
    await page.getByText('Only an admin or owner can approve, edit, disable or delete lessons.').waitFor();
    await page.getByRole('list', { name: 'Approved (1)' }).getByText(LESSON).waitFor();
    expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  });
});
