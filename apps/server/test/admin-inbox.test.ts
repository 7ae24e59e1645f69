import { describe, expect, it } from 'vitest';
import { ChatSession, Customer, Operator } from '../src/db/entities/index.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { collect, errorShape, freshHarnessPerTest, rejection, type Harness, type SignedInOperator } from './support/harness.js';

let h: Harness;
let ana: SignedInOperator;
let ben: SignedInOperator;
freshHarnessPerTest(async (harness) => {
  h = harness;
  ana = await h.operator('member', { email: 'ana@example.com', name: 'Ana' });
  ben = await h.operator('member', { email: 'ben@example.com', name: 'Ben' });
  h.clock.advance(1000);
});

/** Starts a chat, sends `text`, lets the fake model answer; returns the session id and its ticket. */
async function chat(text: string): Promise<{ sessionId: string; ticketId: number; send(text: string): Promise<void> }> {
  const { sessionId, caller } = await h.startVisitor({ origin: 'https://shop.example.com' });
  const send = async (body: string) => {
    await collect(caller.chat.send({ clientMessageId: `m-${Math.random().toString(36).slice(2, 12)}`, text: body }));
    h.clock.advance(1000);
  };
  await send(text);
  const session = await h.orm.em.fork().findOneOrFail(ChatSession, { id: sessionId });
  return { sessionId, ticketId: session.ticket.id, send };
}

/** The newest message id the console would show for a chat. */
async function newestShown(operator: SignedInOperator, sessionId: string): Promise<number> {
  const detail = await operator.caller.admin.chats.get({ sessionId });
  return detail.messages.at(-1)!.id;
}

describe('unread state', () => {
  it('is per operator: a chat one operator read stays unread for the other, and counts say so', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
    const parcel = await chat('Where is my parcel?');
    const refund = await chat('Can I get a refund?');
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 2, tickets: 0 });

    await ana.caller.admin.inbox.markRead({ ticketId: parcel.ticketId, upToMessageId: await newestShown(ana, parcel.sessionId) });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 1, tickets: 0 });
    expect(await ben.caller.admin.inbox.counts()).toEqual({ chats: 2, tickets: 0 });

    const { items } = await ana.caller.admin.chats.list();
    expect(Object.fromEntries(items.map((c) => [c.sessionId, c.unread]))).toEqual({
      [parcel.sessionId]: false,
      [refund.sessionId]: true,
    });
  });

  it('a new message makes a read chat unread again; what arrived after the console showed it is not marked read', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
    const parcel = await chat('Where is my parcel?');
    const shown = await newestShown(ana, parcel.sessionId);
    await parcel.send('It was due yesterday.');
    // The console marks what it showed, not what the server has by now.
    await ana.caller.admin.inbox.markRead({ ticketId: parcel.ticketId, upToMessageId: shown });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 1, tickets: 0 });
    await ana.caller.admin.inbox.markRead({ ticketId: parcel.ticketId, upToMessageId: await newestShown(ana, parcel.sessionId) });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 0 });
    // An older mark (a second tab behind) never takes the read state back, and a mark past the end is clamped.
    await ana.caller.admin.inbox.markRead({ ticketId: parcel.ticketId, upToMessageId: shown });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 0 });
    await ana.caller.admin.inbox.markRead({ ticketId: parcel.ticketId, upToMessageId: 1_000_000 });
    await parcel.send('Any news?');
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 1, tickets: 0 });
  });

  it('two tabs marking the same chat at once leave one mark, the furthest', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
    const parcel = await chat('Where is my parcel?');
    const newest = await newestShown(ana, parcel.sessionId);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ana.caller.admin.inbox.markRead({ ticketId: parcel.ticketId, upToMessageId: i % 2 ? newest : newest - 1 }),
      ),
    );
    const rows = await h.orm.em.fork().getConnection().execute('select last_message_id from operator_read');
    expect(rows).toEqual([{ last_message_id: newest }]);
  });

  it('an unassigned escalation is unread for everyone who can take it, and listed in their queue next to their own', async () => {
    const em = h.orm.em.fork();
    const unassigned = await createEmailTicket(em, h.services, { subject: 'Refund dispute', requesterEmail: 'carl@example.com', escalationReason: 'financial_dispute' });
    const bens = await createEmailTicket(em, h.services, {
      subject: 'Ben has this one',
      requesterEmail: 'dora@example.com',
      assignee: await em.findOneOrFail(Operator, { id: ben.operator.id }),
    });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 1 });
    expect(await ben.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 2 });

    const queue = await ana.caller.admin.tickets.list({ view: 'queue' });
    expect(queue.items.map((t) => [t.id, t.unread])).toEqual([[unassigned.id, true]]);
    const bensQueue = await ben.caller.admin.tickets.list({ view: 'queue' });
    expect(bensQueue.items.map((t) => t.id).sort()).toEqual([unassigned.id, bens.id].sort());

    await ana.caller.admin.inbox.markRead({ ticketId: unassigned.id, upToMessageId: 0 });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 0 });
    expect(await ben.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 2 });
  });

  it('what happened before an operator joined is not news to them', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
    await chat('Where is my parcel?');
    h.clock.advance(1000);
    const cleo = await h.operator('member', { email: 'cleo@example.com', name: 'Cleo' });
    expect(await cleo.caller.admin.inbox.counts()).toEqual({ chats: 0, tickets: 0 });
    expect(await ana.caller.admin.inbox.counts()).toEqual({ chats: 1, tickets: 0 });
  });

  it('marking a ticket that does not exist is refused in words', async () => {
    const error = await rejection(ana.caller.admin.inbox.markRead({ ticketId: 424242, upToMessageId: 1 }));
    expect(errorShape(error)).toMatchObject({ message: 'Ticket #424242 does not exist.', data: { code: 'NOT_FOUND' } });
  });
});

describe('search', () => {
  it('finds a chat by a word of its text, ignoring case, with the words around it', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
    const parcel = await chat('My PARCEL with the blue teapot never arrived');
    await chat('Can I get a refund?');
    const found = await ana.caller.admin.inbox.search({ query: 'teapot' });
    expect(found.chats).toEqual([
      expect.objectContaining({ sessionId: parcel.sessionId, excerpt: expect.stringContaining('blue teapot') }),
    ]);
    expect((await ana.caller.admin.inbox.search({ query: 'parcel' })).chats.map((c) => c.sessionId)).toEqual([parcel.sessionId]);
  });

  it('finds tickets by number, requester and text, and customers by email, name and reference', async () => {
    const em = h.orm.em.fork();
    const ticket = await createEmailTicket(em, h.services, { subject: 'Broken kettle', requesterEmail: 'kettle.fan@example.com' });
    em.create(Customer, { email: 'kettle.fan@example.com', name: 'Kit Fan', externalId: 'CRM-8812' });
    await em.flush();
    expect((await ana.caller.admin.inbox.search({ query: `#${ticket.id}` })).tickets.map((t) => t.id)).toEqual([ticket.id]);
    const byEmail = await ana.caller.admin.inbox.search({ query: 'Kettle.Fan' });
    expect(byEmail.tickets.map((t) => t.id)).toEqual([ticket.id]);
    expect(byEmail.customers.map((c) => c.email)).toEqual(['kettle.fan@example.com']);
    expect((await ana.caller.admin.inbox.search({ query: 'crm-8812' })).customers.map((c) => c.name)).toEqual(['Kit Fan']);
    expect(await ana.caller.admin.inbox.search({ query: 'nothing like this' })).toEqual({ chats: [], tickets: [], customers: [] });
  });

  it('refuses a search too short or too long to be useful', async () => {
    expect(errorShape(await rejection(ana.caller.admin.inbox.search({ query: ' a ' })))).toMatchObject({
      message: 'Type at least 2 characters to search.',
      data: { code: 'BAD_REQUEST' },
    });
    expect(errorShape(await rejection(ana.caller.admin.inbox.search({ query: 'x'.repeat(201) })))).toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
  });
});
