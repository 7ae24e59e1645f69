import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, type SmtpReceiver } from '../test/support/smtp-receiver.js';
import { watchForErrors } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

// The widget on the demo page as visitors of other languages, screen-reader users and
// people with two tabs meet it: the real server, the built widget, Chromium.

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** What axe-core finds above "minor" on the page as it is now, shadow roots included. */
async function violationsAboveMinor(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page keeps its strict CSP.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // The page's globals (this file is compiled without the DOM's types).
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> }> };
    };
    const { violations } = await page.axe.run(page.document);
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return (violations as Violation[])
    .filter((v) => v.impact !== 'minor')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.join(' ')}`);
}

let stack: Stack;
let { ollama, server, browser } = {} as Stack;
let smtp: SmtpReceiver;

beforeAll(async () => {
  ({ ollama, server, browser } = stack = await startStack({ smtp: true }));
  smtp = stack.smtp!;
});
afterAll(() => stack?.close());

const OPENING_HOURS = 'Our support team is there from nine to six on weekdays.';

async function openChat(page: Page, launcherName: string): Promise<void> {
  await page.getByRole('button', { name: launcherName }).click();
  const input = page.getByRole('textbox').last();
  await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as unknown as { activeElement: unknown }).activeElement)).toBe(true);
}

async function sendMessage(page: Page, text: string): Promise<void> {
  const input = page.locator('ticket0-chat .composer textarea');
  await input.fill(text);
  await input.press('Enter');
}

describe('the widget on the demo page', () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it('axe-core finds nothing above minor: launcher, open panel, a reply with sources and an offer, light and dark', async () => {
    ollama.behaviour = { mode: 'reply', text: `${OPENING_HOURS} [1]` };
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Open support chat' }).waitFor();
    expect(await violationsAboveMinor(page), 'launcher, panel closed').toEqual([]);

    await openChat(page, 'Open support chat');
    expect(await violationsAboveMinor(page), 'panel open').toEqual([]);

    await sendMessage(page, 'What are your opening hours?');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText(OPENING_HOURS, { exact: false }).waitFor();
    await log.getByRole('button', { name: 'Helpful', exact: true }).waitFor();
    await log.getByText('Sources', { exact: true }).waitFor();
    await sendMessage(page, 'I want to talk to a person about my order');
    await log.getByRole('button', { name: 'Yes, contact me' }).waitFor();
    expect(await violationsAboveMinor(page), 'conversation, light').toEqual([]);

    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await violationsAboveMinor(page), 'conversation, dark').toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('what a page downloads, read off the network', () => {
  it('the launcher and its language before the visitor reaches for it, the rest on the way to the first open', async () => {
    ollama.behaviour = { mode: 'reply', text: OPENING_HOURS };
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const loaded: Array<{ file: string; bytes: number; encoding: string | undefined }> = [];
    const pending: Array<Promise<void>> = [];
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (pathname !== '/widget.js' && !pathname.startsWith('/chunks/')) return;
      pending.push(
        response.request().sizes().then(async ({ responseBodySize }) => {
          loaded.push({ file: pathname, bytes: responseBodySize, encoding: (await response.allHeaders())['content-encoding'] });
        }),
      );
    });
    const settled = async () => {
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
      return loaded.reduce((sum, { bytes }) => sum + bytes, 0);
    };
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Ouvrir le chat d’assistance' }).waitFor();
    const launcherStage = await settled();
    expect(loaded.map(({ file }) => file).filter((file) => /\/(panel|trpc-transport)-/.test(file))).toEqual([]);
    expect(loaded.some(({ file }) => /\/fr-\w+\.js$/.test(file))).toBe(true);
    expect(loaded.every(({ encoding }) => encoding === 'br')).toBe(true);
    expect(launcherStage).toBeLessThanOrEqual(8 * 1024);

    // Pointing at the launcher fetches the panel before the click.
    await page.getByRole('button', { name: 'Ouvrir le chat d’assistance' }).hover();
    await expect.poll(() => loaded.some(({ file }) => file.startsWith('/chunks/panel-'))).toBe(true);
    await openChat(page, 'Ouvrir le chat d’assistance');
    await sendMessage(page, 'Quels sont vos horaires ?');
    await page.locator('ticket0-chat .message.ai').first().waitFor(); // an answer or an offer
    expect(await settled()).toBeLessThanOrEqual(30 * 1024);
    await context.close();
  });
});

describe('a visitor whose browser speaks French, on a site with no configuration', () => {
  it('gets the widget, its offer, the confirmation and both mails in French', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    await openChat(page, 'Ouvrir le chat d’assistance');
    const panel = page.getByRole('dialog', { name: 'Assistance' });
    await panel.getByText('Assistant IA').first().waitFor();
    await panel.getByText('Bonjour ! Comment pouvons-nous vous aider ?').waitFor();
    await panel.getByText('Une personne de notre équipe peut prendre le relais par e-mail.', { exact: false }).waitFor();

    await sendMessage(page, 'Je voudrais parler à une personne de ma commande');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Souhaitez-vous que notre équipe d’assistance vous recontacte par e-mail ?', { exact: false }).waitFor();
    await log.getByRole('button', { name: 'Oui, contactez-moi' }).click();
    await page.getByRole('textbox', { name: 'Votre adresse e-mail' }).fill('camille@example.fr');
    await page.getByRole('button', { name: 'Me contacter' }).click();
    await log.getByText('camille@example.fr', { exact: false }).first().waitFor();
    const acknowledgement = await smtp.waitFor((m) => addressOf(m.to) === 'camille@example.fr');
    expect(acknowledgement.subject).toMatch(/^Nous avons bien reçu votre demande \[#\d+\]$/);
    expect(acknowledgement.text).toContain('Bonjour');

    await page.getByRole('button', { name: 'Vérifier votre e-mail' }).first().click();
    await page.getByRole('textbox', { name: 'Adresse e-mail' }).fill('camille.v@example.fr');
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    const code = await smtp.waitFor((m) => addressOf(m.to) === 'camille.v@example.fr');
    expect(code.subject).toMatch(/^\d{6} est votre code de vérification pour /);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a visitor whose browser speaks Arabic', () => {
  it('gets the widget right to left, in Arabic, at the left edge', async () => {
    const context = await browser.newContext({ locale: 'ar-EG', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const launcher = page.getByRole('button', { name: 'فتح دردشة الدعم' });
    expect((await launcher.boundingBox())!.x).toBeLessThan(640);

    await openChat(page, 'فتح دردشة الدعم');
    const panel = page.getByRole('dialog', { name: 'الدعم' });
    expect(await panel.evaluate((el) => (globalThis as unknown as { getComputedStyle(el: unknown): { direction: string } }).getComputedStyle(el).direction)).toBe('rtl');
    await panel.getByText('مساعد ذكاء اصطناعي').first().waitFor();
    await page.getByRole('textbox', { name: 'الرسالة' }).waitFor();
    await context.close();
  });
});

describe('attention and tabs', () => {
  it('a reply that arrives while the panel is closed puts a count on the launcher', async () => {
    ollama.behaviour = { mode: 'reply', text: OPENING_HOURS, delayMs: 150 };
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await openChat(page, 'Open support chat');
    await sendMessage(page, 'When are you open?');
    await page.locator('ticket0-chat .message.visitor').waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Open support chat, 1 new' }).waitFor();
    expect(await page.locator('ticket0-chat [part="unread"]').innerText()).toBe('1');
    await page.getByRole('button', { name: 'Open support chat, 1 new' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText(OPENING_HOURS).waitFor();
    expect(await page.locator('ticket0-chat [part="unread"]').count()).toBe(0);
    await context.close();
  });

  it('two tabs opened before the first message keep one conversation, in step and after reload', async () => {
    ollama.behaviour = { mode: 'reply', text: OPENING_HOURS };
    const context = await browser.newContext();
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(`${server.url}/`);
    await second.goto(`${server.url}/`);
    await openChat(first, 'Open support chat');
    await openChat(second, 'Open support chat');

    await sendMessage(first, 'What are your opening hours?');
    await first.getByRole('log', { name: 'Conversation' }).getByText(OPENING_HOURS).waitFor();
    // The second tab shows the first tab's conversation and continues it.
    const secondLog = second.getByRole('log', { name: 'Conversation' });
    await secondLog.getByText('What are your opening hours?').waitFor();
    await secondLog.getByText(OPENING_HOURS).waitFor();
    await sendMessage(second, 'And on Saturdays?');
    await first.getByRole('log', { name: 'Conversation' }).getByText('And on Saturdays?').waitFor();

    const stored = () => first.evaluate(() => JSON.stringify(Object.entries((globalThis as unknown as { localStorage: Record<string, string> }).localStorage).filter(([key]) => key.startsWith('ticket0-chat'))));
    const before = await stored();
    await first.reload();
    await openChat(first, 'Open support chat');
    const restored = first.getByRole('log', { name: 'Conversation' });
    await restored.getByText('What are your opening hours?').waitFor();
    await restored.getByText('And on Saturdays?').waitFor();
    expect(await stored()).toBe(before);
    expect(await second.evaluate(() => Object.keys((globalThis as unknown as { localStorage: Record<string, string> }).localStorage).filter((key) => key.startsWith('ticket0-chat')).length)).toBe(1);
    await context.close();
  });
});
