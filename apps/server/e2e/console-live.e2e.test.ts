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

/** A visitor's chat with one question, written through the real API. */
async function visitorAsks(text: string): Promise<string> {
  const visitor = visitorClient(stack.server.url);
  await visitor.start();
  for await (const event of await visitor.api.chat.send.mutate({ clientMessageId: `m-${Date.now()}`, text })) void event;
  return visitor.sessionId();
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
});
