import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SendMessageEvent } from '@ticket0/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InboundEmail, MailboxCursor, Message, OutboxEmail, Ticket } from '../src/db/entities/index.js';
import { TestDovecot } from './support/dovecot.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { collect, createHarness, rejection, type Harness } from './support/harness.js';
import { rawMail } from './support/mail-message.js';

const USERS = Array.from({ length: 8 }, (_, i) => ({ user: `box${i + 1}`, password: `mailbox-password-${i + 1}` }));
let dovecot: TestDovecot;
let next = 0;
let dir: string;
const opened: Harness[] = [];

beforeAll(async () => {
  dovecot = await TestDovecot.start(USERS);
  dir = mkdtempSync(join(tmpdir(), 't0-inbound-'));
});
afterAll(async () => {
  await dovecot?.stop();
  for (const database of shared.values()) await (await database).drop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
});

/** Databases shared by the servers of one test (a restart, two readers), by name. */
const shared = new Map<string, Promise<TestDatabase>>();
function sharedDatabase(name: string): Promise<TestDatabase> {
  if (!shared.has(name)) shared.set(name, createTestDatabase({ file: true }));
  return shared.get(name)!;
}

/** A server reading its own mailbox on the test Dovecot; `db` names a database to share. */
async function server(user = USERS[next++]!, db?: string, env: Record<string, string> = {}): Promise<Harness & { user: typeof user }> {
  const h = await createHarness({
    env: { IMAP_URL: dovecot.url('INBOX', user), MAIL_FROM: 'Shop Support <support@shop.example>', ...env },
    ...(db ? { database: await sharedDatabase(db) } : {}),
  });
  opened.push(h);
  return Object.assign(h, { user });
}

const em = (h: Harness) => h.orm.em.fork();

/** A visitor escalates a chat and leaves their address: the ticket and its acknowledgement mail. */
async function escalated(h: Harness, email = 'ana@example.com') {
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(visitor.caller.chat.send({ clientMessageId: 'message-0001', text: 'I will take you to court over this' }));
  const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
  const { ticketId } = await visitor.caller.escalation.confirm({ offerId: done.message.id, email });
  const acknowledgement = await em(h).findOneOrFail(OutboxEmail, { ticket: ticketId });
  return { ticketId, sessionId: visitor.sessionId, acknowledgement };
}

async function customerMessages(h: Harness, ticketId: number) {
  return em(h).find(Message, { ticket: ticketId, author: 'customer' }, { orderBy: { id: 'asc' } });
}

describe('customer replies by mail', () => {
  it('a reply to the acknowledgement lands on its ticket, trimmed, with the original kept, and is marked read after', async () => {
    const h = await server();
    const { ticketId, acknowledgement } = await escalated(h);
    expect(acknowledgement.messageIdHeader).toMatch(/^t0\.[0-9a-f-]+@shop\.example$/);
    const changed: number[] = [];
    h.services.events.subscribe('ticket.changed', (e) => changed.push(e.ticketId));
    await dovecot.append(
      [
        await rawMail({
          from: 'Ana <ana@example.com>',
          subject: `Re: ${acknowledgement.subject}`,
          inReplyTo: `<${acknowledgement.messageIdHeader}>`,
          text: `My order number is 1234.\n\nOn Mon, 30 Nov 2026, Shop Support <support@shop.example> wrote:\n> ${acknowledgement.text.split('\n')[0]}\n`,
        }),
      ],
      'INBOX',
      h.user,
    );
    expect(await dovecot.seenUids('INBOX', h.user)).toEqual([]);

    await h.services.mailbox!.runOnce();

    const [message] = await customerMessages(h, ticketId);
    expect(message!.body).toBe('My order number is 1234.');
    const stored = await em(h).findOneOrFail(InboundEmail, { message: message!.id });
    expect(stored).toMatchObject({ disposition: 'ticket', fromAddress: 'ana@example.com' });
    expect(stored.text).toContain('wrote:');
    expect(await dovecot.seenUids('INBOX', h.user)).toEqual([stored.uid]);
    const ticket = await em(h).findOneOrFail(Ticket, { id: ticketId }, { populate: ['linkedTicket'] });
    // The console's ticket and the chat it came from (its Live Chat badge) both hear of it.
    expect(changed).toEqual(expect.arrayContaining([ticketId, ticket.linkedTicket!.id]));
    expect(await em(h).count(Ticket, { source: 'email' })).toBe(1);
  });

  it("a reply to an operator's answer lands on the same ticket, reopens it, and the assignee is told", async () => {
    const h = await server();
    const { ticketId, sessionId, acknowledgement } = await escalated(h);
    const { operator, caller } = await h.operator('member', { email: 'olga@shop.example', name: 'Olga' });
    await caller.admin.tickets.assign({ id: ticketId, operatorId: operator.id });
    await caller.admin.tickets.reply({ id: ticketId, body: 'Please send a photo of the parcel.' });
    await caller.admin.tickets.setStatus({ id: ticketId, status: 'resolved' });
    const answer = await em(h).findOneOrFail(OutboxEmail, { ticket: ticketId, operator: operator.id });
    await dovecot.append(
      [
        await rawMail({
          from: 'ana@example.com',
          subject: `Re: ${answer.subject}`,
          messageId: '<photo-1@client.example>',
          inReplyTo: `<${answer.messageIdHeader}>`,
          references: [`<${acknowledgement.messageIdHeader}>`, `<${answer.messageIdHeader}>`],
          text: 'Here it is.\n\n-- \nAna Lima',
          attachments: [{ filename: 'parcel.jpg', content: Buffer.from('not really a jpeg'), contentType: 'image/jpeg' }],
        }),
      ],
      'INBOX',
      h.user,
    );
    await h.services.mailbox!.runOnce();

    const [message] = await customerMessages(h, ticketId);
    expect(message!.body).toBe('Here it is.\n\n[attachment: parcel.jpg, 17 bytes]');
    expect((await em(h).findOneOrFail(Ticket, { id: ticketId })).status).toBe('open');
    const notice = await em(h).findOneOrFail(OutboxEmail, { to: 'olga@shop.example' });
    expect(notice.subject).toContain(`#${ticketId}`);
    const chat = await caller.admin.chats.get({ sessionId });
    expect(chat.linkedTicket).toMatchObject({ id: ticketId, status: 'open' });

    // The console shows the file; operators download it. The next answer threads under the reply.
    const detail = await caller.admin.tickets.get({ id: ticketId });
    const shown = detail.messages.find((m) => m.id === message!.id)!;
    expect(shown.attachments).toEqual([expect.objectContaining({ filename: 'parcel.jpg', size: 17, kept: true })]);
    const file = await caller.admin.mail.attachment({ id: shown.attachments![0]!.id });
    expect(Buffer.from(file.base64, 'base64').toString()).toBe('not really a jpeg');
    expect((await caller.admin.mail.original({ messageId: message!.id })).text).toContain('Ana Lima');
    expect((await rejection(h.console().admin.mail.attachment({ id: shown.attachments![0]!.id }))).code).toBe('UNAUTHORIZED');
    await caller.admin.tickets.reply({ id: ticketId, body: 'Thanks, a new parcel is on its way.' });
    const second = await em(h).findOneOrFail(OutboxEmail, { ticket: ticketId, operator: operator.id }, { orderBy: { id: 'desc' } });
    expect(second.inReplyTo).toBe('photo-1@client.example');
  });

  it('threads by [#n] in the subject only for the ticket requester; anyone else opens a new ticket', async () => {
    const h = await server();
    const { ticketId } = await escalated(h);
    await dovecot.append(
      [
        await rawMail({ from: 'ana@example.com', subject: `About my case [#${ticketId}]`, text: 'One more thing.' }),
        await rawMail({ from: 'mallory@example.net', subject: `About my case [#${ticketId}]`, text: 'Let me in.' }),
      ],
      'INBOX',
      h.user,
    );
    await h.services.mailbox!.runOnce();
    expect((await customerMessages(h, ticketId)).map((m) => m.body)).toEqual(['One more thing.']);
    const other = await em(h).findOneOrFail(Ticket, { requesterEmail: 'mallory@example.net' });
    expect(other.id).not.toBe(ticketId);
  });

  it('an auto-reply, our own mail and a blocked sender are stored but open nothing and get no answer', async () => {
    const h = await server();
    const { ticketId, acknowledgement } = await escalated(h);
    const admin = await h.operator('admin');
    await admin.caller.admin.mail.block({ pattern: '@spam.example' });
    const outboxBefore = await em(h).count(OutboxEmail, {});
    await dovecot.append(
      [
        await rawMail({
          from: 'ana@example.com',
          subject: 'Out of office',
          inReplyTo: `<${acknowledgement.messageIdHeader}>`,
          headers: { 'Auto-Submitted': 'auto-replied' },
          text: 'I am away until Monday.',
        }),
        await rawMail({ from: 'ana@example.com', subject: 'Re: away', headers: { 'X-Autoreply': 'yes' }, text: 'Away.' }),
        await rawMail({ from: 'support@shop.example', subject: 'Copy of our answer', text: 'Sent by us.' }),
        await rawMail({ from: 'offers@mail.spam.example', subject: 'Cheap watches', text: 'Buy now.' }),
      ],
      'INBOX',
      h.user,
    );
    await h.services.mailbox!.runOnce();

    const stored = await em(h).find(InboundEmail, {}, { orderBy: { uid: 'asc' } });
    expect(stored.map((e) => e.disposition)).toEqual(['auto_reply', 'auto_reply', 'own_mail', 'blocked']);
    expect(stored.every((e) => e.ticket === null)).toBe(true);
    expect(await customerMessages(h, ticketId)).toEqual([]);
    expect(await em(h).count(Ticket, { source: 'email' })).toBe(1);
    expect(await em(h).count(OutboxEmail, {})).toBe(outboxBefore);
    expect(await dovecot.seenUids('INBOX', h.user)).toEqual(stored.map((e) => e.uid));
  });

  it('mail that matches no ticket opens a new email ticket, assigned like escalations; oversized files are noted', async () => {
    const h = await server(undefined, undefined, { MAIL_ATTACHMENT_MAX_BYTES: '100' });
    const { operator } = await h.operator('member');
    await dovecot.append(
      [
        await rawMail({
          from: 'Bob <bob@example.org>',
          subject: 'Invoice question',
          text: 'Why was I charged twice?',
          attachments: [
            { filename: 'small.txt', content: 'a receipt' },
            { filename: 'scan.pdf', content: Buffer.alloc(5000, 1), contentType: 'application/pdf' },
          ],
        }),
      ],
      'INBOX',
      h.user,
    );
    await h.services.mailbox!.runOnce();
    const ticket = await em(h).findOneOrFail(Ticket, { requesterEmail: 'bob@example.org' }, { populate: ['assignee'] });
    expect(ticket).toMatchObject({ source: 'email', status: 'open', subject: 'Invoice question', tags: ['email'] });
    expect(ticket.assignee?.id).toBe(operator.id);
    const [message] = await customerMessages(h, ticket.id);
    expect(message!.body).toContain('Why was I charged twice?');
    expect(message!.body).toContain('[attachment not kept: scan.pdf, 5000 bytes, over the size limit]');
    const caller = (await h.operator('member')).caller;
    const { attachments } = await caller.admin.mail.original({ messageId: message!.id });
    expect(attachments.map((a) => [a.filename, a.kept])).toEqual([
      ['small.txt', true],
      ['scan.pdf', false],
    ]);
    const refused = await rejection(caller.admin.mail.attachment({ id: attachments[1]!.id }));
    expect(refused.message).toContain('over the size limit');
  });
});

describe('reading as mail arrives', () => {
  it('IDLE brings a new message in at once, long before the next poll', async () => {
    const h = await server(undefined, undefined, { IMAP_POLL_SECONDS: '3600' });
    await h.services.mailbox!.start();
    // Wait until the first pass is over and the reader sits in IDLE.
    for (let i = 0; i < 100 && (await em(h).count(MailboxCursor, {})) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await dovecot.append([await rawMail({ from: 'dee@example.org', subject: 'Right now', text: 'Hello?' })], 'INBOX', h.user);
    let tickets = 0;
    for (let i = 0; i < 250 && tickets === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tickets = await em(h).count(Ticket, { requesterEmail: 'dee@example.org' });
    }
    expect(tickets).toBe(1);
  });
});

describe('reading exactly once', () => {
  it('a restart does not import a message twice, even one stored but not yet marked read', async () => {
    const user = USERS[next++]!;
    const first = await server(user, 'restart.sqlite');
    await dovecot.append(
      [await rawMail({ from: 'cy@example.org', subject: 'First', text: 'One.' }), await rawMail({ from: 'cy@example.org', subject: 'Second', text: 'Two.' })],
      'INBOX',
      user,
    );
    await first.services.mailbox!.runOnce();
    expect(await em(first).count(Ticket, { source: 'email' })).toBe(2);
    await first.close();

    // As if the process died after storing a message but before flagging it \Seen, and the
    // cursor had not moved: the next server must find it and still do nothing.
    const client = await dovecot.client(user);
    await client.mailboxOpen('INBOX');
    await client.messageFlagsRemove('1:*', ['\\Seen']);
    await client.logout();

    const second = await server(user, 'restart.sqlite');
    await em(second).nativeDelete(MailboxCursor, {});
    await second.services.mailbox!.runOnce();
    expect(await em(second).count(Ticket, { source: 'email' })).toBe(2);
    expect(await em(second).count(InboundEmail, {})).toBe(2);
    expect(await dovecot.seenUids('INBOX', user)).toHaveLength(2);

    await dovecot.append([await rawMail({ from: 'cy@example.org', subject: 'Third', text: 'Three.' })], 'INBOX', user);
    await second.services.mailbox!.runOnce();
    expect(await em(second).count(Ticket, { source: 'email' })).toBe(3);
  });

  it('two servers reading the same mailbox at once act on each message once', async () => {
    const user = USERS[next++]!;
    const a = await server(user, 'shared.sqlite');
    const b = await server(user, 'shared.sqlite');
    await dovecot.append(
      await Promise.all(Array.from({ length: 5 }, (_, i) => rawMail({ from: `p${i}@example.org`, subject: `Question ${i}`, text: `Text ${i}.` }))),
      'INBOX',
      user,
    );
    await Promise.all([a.services.mailbox!.runOnce(), b.services.mailbox!.runOnce()]);
    expect(await em(a).count(Ticket, { source: 'email' })).toBe(5);
    expect(await em(a).count(Message, { author: 'customer' })).toBe(5);
    expect(await dovecot.seenUids('INBOX', user)).toHaveLength(5);
  });
});
