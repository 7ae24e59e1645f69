import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, type SmtpReceiver } from '../test/support/smtp-receiver.js';
import { watchForErrors, signIn } from './support/browser.js';
import { OWNER, startStack, type Stack } from './support/stack.js';

const SCREENSHOTS = process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../test-results/', import.meta.url));

let stack: Stack;
let { ollama, server, browser } = {} as Stack;
let smtp: SmtpReceiver;

beforeAll(async () => {
  ({ ollama, server, browser } = stack = await startStack({ smtp: true, env: { MAIL_FROM: 'Demo Shop Support <support@shop.example.com>' } }));
  smtp = stack.smtp!;
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(() => stack?.close());

/** The little of the DOM these checks touch (the test itself compiles without DOM types). */
interface Focusable {
  tagName: string;
  textContent: string | null;
  shadowRoot: { activeElement: Focusable | null } | null;
}
interface BrowserGlobals {
  document: { activeElement: Focusable | null; documentElement: { scrollWidth: number } };
  getComputedStyle(element: Focusable): { outlineStyle: string; outlineWidth: string };
  notReloaded?: boolean;
}
const scrollWidth = () => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth;

/** The element that has focus, looking through shadow roots. */
function focused(page: Page): Promise<{ tag: string; text: string; outline: string }> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    const style = element ? getComputedStyle(element) : null;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: (element?.textContent ?? '').trim(),
      outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '',
    };
  });
}

describe('the operator console', () => {
  let consoleContext: BrowserContext;
  let visitorContext: BrowserContext;
  afterAll(async () => {
    await consoleContext?.close();
    await visitorContext?.close();
  });

  it('signs in, sees a widget chat arrive live, reads it, works its email ticket, and signs out', { timeout: 120_000 }, async () => {
    consoleContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await consoleContext.newPage();
    const errors = watchForErrors(page);

    await signIn(page, server.url, OWNER);
    const cookie = (await consoleContext.cookies()).find((c) => c.name === 't0_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    // A teammate to hand the ticket to later.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    await page.getByLabel('Email').fill('bea@example.com');
    await page.getByLabel('Name').fill('Bea Member');
    await page.getByLabel('Password (optional)').fill('bea has a long password');
    await page.getByRole('button', { name: 'Add operator' }).click();
    await page.getByText('Bea Member was added.').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live Chat' }).click();
    await page.getByText('No chats yet.', { exact: false }).waitFor();
    await page.getByText('· live').waitFor(); // the SSE stream is open
    await page.evaluate(() => ((globalThis as unknown as BrowserGlobals).notReloaded = true));

    // A visitor writes through the widget on the demo page.
    ollama.behaviour = { mode: 'reply', text: 'I am sorry it is late. Let me check the tracking for you.' };
    visitorContext = await browser.newContext();
    const shop = await visitorContext.newPage();
    await shop.goto(`${server.url}/`);
    await shop.getByRole('button', { name: 'Open support chat' }).click();
    const input = shop.getByRole('textbox', { name: 'Message' });
    await input.fill('Where is my parcel? Order 1234');
    await input.press('Enter');
    await shop.getByRole('log', { name: 'Conversation' }).getByText('Let me check the tracking', { exact: false }).waitFor();

    // It shows up in Live Chat by itself, with the AI's reply as its last message.
    const chats = page.getByRole('list', { name: 'Chats' });
    const row = chats.getByRole('link', { name: /Where is my parcel\? Order 1234/ });
    await row.waitFor();
    await row.getByText('AI: I am sorry it is late.', { exact: false }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).notReloaded)).toBe(true);

    // Its history opens read-only.
    await row.click();
    await page.getByRole('heading', { name: 'Where is my parcel? Order 1234' }).waitFor();
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('Where is my parcel? Order 1234').waitFor();
    await conversation.getByText('Let me check the tracking for you.', { exact: false }).waitFor();
    expect(await page.getByRole('textbox').count()).toBe(0);
    await page.getByText('Read-only.', { exact: false }).waitFor();

    // Follow up by email: the email ticket, linked to the chat.
    await page.getByRole('button', { name: 'Follow up by email' }).click();
    await page.getByLabel('Customer email').fill('carl@example.com');
    await page.getByRole('button', { name: 'Create email ticket' }).click();
    const heading = page.getByRole('heading', { name: /^#\d+ Where is my parcel\? Order 1234$/ });
    await heading.waitFor();
    const ticketId = Number(/#(\d+)/.exec((await heading.textContent()) ?? '')![1]);
    await page.getByRole('link', { name: 'Open the chat' }).waitFor();

    // Reply: stored on the ticket and received by the SMTP server.
    await page.getByLabel('Reply to carl@example.com').fill('Hi Carl,\n\nYour parcel left our warehouse today.');
    // Reply and act in one step.
    await page.getByLabel('After sending, mark the ticket').selectOption('pending');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const mail = await smtp.waitFor((m) => addressOf(m.to) === 'carl@example.com');
    expect(mail.subject).toBe(`Re: Where is my parcel? Order 1234 [#${ticketId}]`);
    expect(addressOf(mail.from)).toBe('support@shop.example.com');
    expect(mail.text).toContain('Your parcel left our warehouse today.');
    expect(mail.html).toContain('<p>Your parcel left our warehouse today.</p>');
    const thread = page.getByRole('list', { name: 'Messages' });
    await thread.getByText('Your parcel left our warehouse today.', { exact: false }).waitFor();
    await thread.getByText('Mailed').waitFor(); // the delivery status arrived live

    // The status followed the reply; then the assignee.
    await page.getByText('status changed to Pending.', { exact: false }).waitFor();
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('pending');
    await page.getByLabel('Assignee').selectOption({ label: 'Bea Member' });
    await page.getByText('Assigned to Bea Member.').waitFor();

    // The queue agrees, and the chat links to its ticket.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('navigation', { name: 'Ticket views' }).getByRole('link', { name: 'All' }).click();
    const card = page.getByRole('list', { name: 'Tickets' }).getByRole('link', { name: new RegExp(`#${ticketId} `) });
    await card.getByText('Assigned to Bea Member').waitFor();
    await card.getByText('Pending').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live Chat' }).click();
    await page.getByRole('navigation', { name: 'Chat filters' }).getByRole('link', { name: 'Escalated' }).click();
    await page.getByRole('list', { name: 'Chats' }).getByRole('link', { name: /Where is my parcel/ }).click();
    await page.getByRole('link', { name: `Ticket #${ticketId}: Where is my parcel? Order 1234` }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-chat.png'), fullPage: true });

    // Sign out: the server forgets the session too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    expect((await consoleContext.cookies()).find((c) => c.name === 't0_session')).toBeUndefined();
    await page.goto(`${server.url}/admin/tickets/${ticketId}`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();

    expect(errors).toEqual([]);
  });

  it('works at 360 px wide and from the keyboard', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}/admin/`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();

    // Keyboard only: the form's fields and button are reachable and focus is visible.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'input' });
    await page.keyboard.type(OWNER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OWNER.password);
    await page.keyboard.press('Tab');
    const button = await focused(page);
    expect(button).toMatchObject({ tag: 'button', text: 'Sign in' });
    expect(button.outline).toMatch(/^solid [1-9]/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Live Chat' }).waitFor();
    // Signed in, focus moves to the page heading, so a screen reader announces the page.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', text: 'Live Chat' });

    // On a fresh load the skip link comes first and lands on the page heading.
    await page.reload();
    await page.getByRole('heading', { name: 'Live Chat' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Skip to content' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'Live Chat' });

    for (const path of ['/admin/chats', '/admin/tickets?view=all', '/admin/team', '/admin/settings', '/admin/outbox']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
      const overflow = await page.evaluate(scrollWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 360 });
    }
    await page.goto(`${server.url}/admin/tickets?view=all`);
    await page.getByRole('list', { name: 'Tickets' }).getByRole('link').first().click();
    await page.getByLabel('Status').waitFor();
    expect(await page.evaluate(scrollWidth)).toBe(360);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-ticket-360.png'), fullPage: true });

    await page.goto(`${server.url}/admin/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
