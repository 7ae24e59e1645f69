import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, watchForErrors } from './support/browser.js';
import { OWNER, startStack, type Stack } from './support/stack.js';
import { visitorClient } from './support/visitor.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { SHUTDOWN_GRACE_MS: '2000' } });
});
afterAll(() => stack?.close());

interface BrowserGlobals {
  notReloaded?: boolean;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }>;
}

/** What axe-core finds on the page above "minor" (it reads open shadow roots). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<AxeResult> } }).axe.run());
  return result.violations
    .filter((v) => v.impact !== 'minor' && v.impact !== null)
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** A visitor's chat with one question, written through the real API. */
async function visitorAsks(text: string): Promise<string> {
  const visitor = visitorClient(stack.server.url);
  await visitor.start();
  for await (const event of await visitor.api.chat.send.mutate({ clientMessageId: `m-${Date.now()}`, text })) void event;
  return visitor.sessionId();
}

type Box = { x: number; y: number; width: number; height: number };

/** Where the list, the conversation and the details of an open chat or ticket are drawn. */
async function inboxBoxes(page: Page): Promise<{ list: Box | null; conversation: Box; details: Box }> {
  const box = async (selector: string) => ((await page.locator(selector).count()) ? page.locator(selector).first().boundingBox() : null);
  const conversation = await box('.story > .conversation');
  const details = await box('.story > .details');
  if (!conversation || !details) throw new Error('the page has no conversation or no details');
  return { list: await box('.list-pane'), conversation, details };
}

describe('the console stays live', () => {
  it('across a server restart: says so while the server is gone, reconnects, and shows the chats written meanwhile', { timeout: 120_000 }, async () => {
    const { server, ollama, browser } = stack;
    ollama.behaviour = { mode: 'reply', text: 'Delivery takes three working days.' };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await signIn(page, server.url, OWNER);
    const status = page.getByRole('status').filter({ hasText: '·' });
    await status.getByText('· live').waitFor();
    await page.evaluate(() => ((globalThis as unknown as BrowserGlobals).notReloaded = true));

    expect(await server.stop()).toBe(0);
    // Honest while the server is away: not "live", and when it last heard from it.
    await status.getByText(/reconnecting…|offline/).waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toMatch(/last update \d\d:\d\d:\d\d/);

    await server.restart();
    // Written before the console has its stream back: the catch-up brings it.
    await visitorAsks('Is my order 777 on its way?');
    const chats = page.getByRole('list', { name: 'Chats' });
    await chats.getByRole('link', { name: /Is my order 777 on its way\?/ }).waitFor({ timeout: 30_000 });
    await status.getByText('· live').waitFor({ timeout: 30_000 });

    // And the reopened stream carries new chats live again.
    await visitorAsks('Can I change the delivery address?');
    await chats.getByRole('link', { name: /Can I change the delivery address\?/ }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).notReloaded)).toBe(true);

    // Both chats are unread for this operator: the title and the menu count them; reading one counts down.
    const title = () => page.evaluate(() => (globalThis as unknown as { document: { title: string } }).document.title);
    await expect.poll(title, { timeout: 10_000 }).toBe('(2) Live Chat — Ticket0 Chat');
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Live Chat 2 unread' }).waitFor();
    await chats.getByRole('link', { name: /Unread Is my order 777/ }).click();
    await page.getByRole('heading', { name: 'Is my order 777 on its way?' }).waitFor();
    await expect.poll(title, { timeout: 10_000 }).toBe('(1) Chat — Ticket0 Chat');
    // The failed attempts while the server was down are the browser's network log, not script errors.
    expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|EventSource/.test(e))).toEqual([]);
    await context.close();
  });

  it('fits one row at 1280 px and a compact header at 375 px, finds a chat by a word, shows a thumbs-down reason, and passes axe', { timeout: 120_000 }, async () => {
    const { server, browser, ollama } = stack;
    ollama.behaviour = { mode: 'reply', text: 'You can return it within 30 days for a full refund.' };
    // bypassCSP: only so axe-core can be added to the page for the check.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, server.url, OWNER);
    await page.getByRole('status').filter({ hasText: '· live' }).waitFor();
    // The menu fits on one row: every entry has the same top.
    const tops = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll((links) =>
      links.map((link) => Math.round((link as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top)),
    );
    expect(new Set(tops).size).toBe(1);

    // A visitor rates a reply down with a reason and words.
    const visitor = visitorClient(server.url);
    await visitor.start();
    let replyId = 0;
    for await (const event of await visitor.api.chat.send.mutate({ clientMessageId: 'teapot-question', text: 'My blue teapot arrived cracked, can I return it for a refund?' })) {
      if (event.type === 'done') replyId = event.message.id;
    }
    await visitor.api.chat.rate.mutate({ messageId: replyId, rating: 'down', reason: 'unhelpful', comment: 'It did not say how to return it.' });

    // Search by a word of its text finds it, and the chat shows the reason and the words where they happened.
    await page.getByLabel('Search chats, tickets and customers').fill('teapot');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Search' }).waitFor();
    const found = page.getByRole('list', { name: 'Chats' }).getByRole('link', { name: /My blue teapot arrived cracked/ });
    await found.click();
    const reply = page.getByRole('list', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: 'Rated down: Not helpful' });
    await reply.getByText('It did not say how to return it.').waitFor();

    // `?` lists the keyboard shortcuts.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('Assign the open ticket to me').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });

    for (const path of ['/admin/chats', `/admin/chats/${visitor.sessionId()}`, '/admin/tickets', '/admin/search?q=teapot', '/admin/account', '/admin/review']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.getByRole('status').filter({ hasText: /^Loading/ }).waitFor({ state: 'detached' });
      expect({ path, problems: await accessibilityProblems(page) }).toEqual({ path, problems: [] });
    }

    // A phone: one compact header row, nothing wider than the screen.
    const phone = await browser.newContext({ viewport: { width: 375, height: 700 } });
    const small = await phone.newPage();
    await signIn(small, server.url, OWNER);
    for (const path of ['/admin/chats', `/admin/chats/${visitor.sessionId()}`, '/admin/tickets', '/admin/search?q=teapot']) {
      await small.goto(`${server.url}${path}`);
      await small.locator('h1').first().waitFor();
      const size = await small.evaluate(() => {
        const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number }; querySelector(s: string): { shadowRoot: { querySelector(s: string): { getBoundingClientRect(): { height: number } } } } } }).document;
        return { width: doc.documentElement.scrollWidth, header: Math.round(doc.querySelector('t0-console-app').shadowRoot.querySelector('header').getBoundingClientRect().height) };
      });
      expect({ path, width: size.width }).toEqual({ path, width: 375 });
      expect(size.header).toBeLessThanOrEqual(60);
    }
    await phone.close();
    await context.close();
  });

  it('lays out list, conversation and details side by side at 1440 px, one column at 375 px, and names a held-back sentence\'s rule in words', { timeout: 120_000 }, async () => {
    const { server, browser, ollama } = stack;
    // A reply the safety rules hold back, so the conversation shows the rule in words.
    ollama.behaviour = { mode: 'reply', text: 'I will refund you in full right away.' };
    const sessionId = await visitorAsks('When does my green kettle ship?');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, OWNER);
    await page.goto(`${server.url}/admin/chats/${sessionId}`);
    await page.getByRole('complementary', { name: 'Details' }).getByText('Not verified').waitFor();
    const held = page.getByRole('list', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: 'Held back — not sent' });
    await held.getByText('Promised a refund or compensation').waitFor();
    expect(await held.locator('code').first().textContent()).toBe('promised_compensation');
    const chat = await inboxBoxes(page);

    // A ticket from the chat: its view has the same three columns.
    await page.getByRole('button', { name: 'Follow up by email' }).click();
    await page.getByLabel('Customer email').fill('kettle@example.com');
    await page.getByRole('button', { name: 'Create email ticket' }).click();
    const heading = page.getByRole('heading', { name: /^#\d+ When does my green kettle ship\?$/ });
    await heading.waitFor();
    const ticketPath = `/admin/tickets/${/#(\d+)/.exec((await heading.textContent()) ?? '')![1]}`;
    await page.getByRole('complementary', { name: 'Details' }).getByText('kettle@example.com').waitFor();
    const ticket = await inboxBoxes(page);

    for (const [view, { list, conversation, details }] of [['chat', chat], ['ticket', ticket]] as const) {
      // Three columns, left to right, none overlapping, all starting near the top, all on screen.
      expect({ view, list: list !== null }).toEqual({ view, list: true });
      expect(list!.x + list!.width).toBeLessThanOrEqual(conversation.x);
      expect(conversation.x + conversation.width).toBeLessThanOrEqual(details.x);
      expect(details.x + details.width).toBeLessThanOrEqual(1440);
      expect(Math.abs(details.y - conversation.y)).toBeLessThan(5);
      expect(details.width).toBeGreaterThan(200);
      expect(conversation.width).toBeGreaterThan(details.width);
    }
    await context.close();

    // A phone: one column, the details above the conversation, nothing beside them.
    const phone = await browser.newContext({ viewport: { width: 375, height: 700 } });
    const small = await phone.newPage();
    await signIn(small, server.url, OWNER);
    for (const path of [`/admin/chats/${sessionId}`, ticketPath]) {
      await small.goto(`${server.url}${path}`);
      await small.getByRole('complementary', { name: 'Details' }).waitFor();
      const { list, conversation, details } = await inboxBoxes(small);
      expect({ path, list }).toEqual({ path, list: null });
      expect(Math.abs(details.x - conversation.x)).toBeLessThan(2);
      expect(details.y + details.height).toBeLessThanOrEqual(conversation.y);
      expect(await small.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBe(375);
    }
    await phone.close();
  });
});
