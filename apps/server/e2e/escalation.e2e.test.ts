import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, type SmtpReceiver } from '../test/support/smtp-receiver.js';
import { signIn, watchForErrors } from './support/browser.js';
import { OWNER, startStack, type Stack } from './support/stack.js';

let stack: Stack;
let { ollama, server, browser } = {} as Stack;
let smtp: SmtpReceiver;

beforeAll(async () => {
  ({ ollama, server, browser } = stack = await startStack({ smtp: true }));
  smtp = stack.smtp!;
});
afterAll(() => stack?.close());

describe('a visitor who wants a person', () => {
  it('asks for one in the widget, confirms with an email, and the team finds the ticket in the console', async () => {
    ollama.behaviour = { mode: 'reply', text: 'Visitor wants a person to check a delayed parcel.' }; // the summary
    const visitor = await browser.newPage();
    const visitorErrors = watchForErrors(visitor);
    await visitor.goto(`${server.url}/`);
    await visitor.getByRole('button', { name: 'Open support chat' }).click();
    const input = visitor.getByRole('textbox', { name: 'Message' });
    await input.fill('I want to talk to a person about my late parcel');
    await input.press('Enter');

    // The rule fires without the model: an offer, not a reply.
    const log = visitor.getByRole('log', { name: 'Conversation' });
    await log.getByText('Would you like our support team to follow up with you by email?', { exact: false }).waitFor();
    expect(ollama.requests).toHaveLength(0);
    await log.getByRole('button', { name: 'Yes, contact me' }).click();
    await visitor.getByRole('textbox', { name: 'Your email address' }).fill('dana@example.com');
    await visitor.getByRole('button', { name: 'Contact me' }).click();
    await log.getByText('our support team will follow up by email at dana@example.com', { exact: false }).waitFor();
    const reference = Number(/reference #(\d+)/.exec(await log.innerText())![1]);

    // The visitor's acknowledgement mail went out through SMTP.
    const mail = await smtp.waitFor((m) => addressOf(m.to) === 'dana@example.com');
    expect(mail.subject).toContain(`#${reference}`);

    // The team: the ticket is in the queue with its summary, reason, the chat and a link to it.
    const team = await browser.newPage();
    const teamErrors = watchForErrors(team);
    await signIn(team, server.url, OWNER);
    await team.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    await team.getByRole('navigation', { name: 'Ticket views' }).getByRole('link', { name: 'All' }).click();
    await team.getByRole('list', { name: 'Tickets' }).getByRole('link', { name: new RegExp(`#${reference} `) }).click();
    await team.getByRole('heading', { name: new RegExp(`^#${reference} `) }).waitFor();
    await team.getByText('Visitor wants a person to check a delayed parcel.').first().waitFor();
    // The reason in words, never the code, and the chat it came from inline.
    await team.getByText('Asked for a human').first().waitFor();
    expect(await team.getByText('human_requested').count()).toBe(0);
    const transcript = team.getByRole('list', { name: 'Chat transcript' });
    await transcript.getByText('I want to talk to a person about my late parcel').waitFor();
    // The chat's address in the ticket's note is a link, not plain text.
    await team.getByRole('list', { name: 'Messages' }).getByRole('link', { name: /\/admin\/chats\/cs_/ }).waitFor();
    await team.getByText('dana@example.com').first().waitFor();
    await team.getByRole('link', { name: 'Open the chat' }).click();
    await team.getByText('I want to talk to a person about my late parcel').first().waitFor();
    // The offer says which rule made it, and in which language it read the message.
    const offer = team.getByRole('listitem').filter({ hasText: 'Escalation offer' });
    await offer.getByText('Rule: human.contact_person', { exact: false }).waitFor();
    await offer.getByText('language: English', { exact: false }).waitFor();

    expect(visitorErrors).toEqual([]);
    expect(teamErrors).toEqual([]);
  });
});
