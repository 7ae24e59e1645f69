import type { LiveEvent } from '@ticket0/contracts';
import { describe, expect, it } from 'vitest';
import { ChatSession, Message } from '../src/db/entities/index.js';
import { collect, freshConsolePerTest, rejection, type Harness, type SignedInOperator } from './support/harness.js';

let h: Harness;
let agent: SignedInOperator;
freshConsolePerTest('member', (harness, operator) => {
  h = harness;
  agent = operator;
});

/** Starts a chat, sends `text`, lets the fake model answer; returns the session id. */
async function chat(text: string): Promise<string> {
  const { sessionId, caller } = await h.startVisitor({ origin: 'https://shop.example.com' });
  await collect(caller.chat.send({ clientMessageId: `m-${Math.random().toString(36).slice(2, 12)}`, text }));
  h.clock.advance(1000);
  return sessionId;
}

describe('Live Chat', () => {
  it('lists chats by most recent activity with their last message and message count', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
    const first = await chat('Do you ship to Norway?');
    const second = await chat('Can I change my order?');
    const { items, nextCursor } = await agent.caller.admin.chats.list();
    expect(items.map((c) => c.sessionId)).toEqual([second, first]);
    expect(items[0]).toMatchObject({
      subject: 'Can I change my order?',
      origin: 'https://shop.example.com',
      lastMessage: { author: 'ai', body: 'Happy to help with that.' },
      messageCount: 2,
      verifiedEmail: null,
      escalated: false,
      linkedTicketId: null,
      negativeFeedbackCount: 0,
      qualityFlags: [],
    });
    expect(nextCursor).toBeNull();
  });

  it('pages with a cursor without skipping or repeating chats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.unshift(await chat(`Question ${i}`));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await agent.caller.admin.chats.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.sessionId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it('filters escalated, verified and negative-feedback chats', async () => {
    const plain = await chat('Just browsing');
    const escalated = await chat('I want a human');
    const verified = await chat('Where is my order?');
    const unhappy = await chat('Is this any good?');

    await agent.caller.admin.tickets.create({ requesterEmail: 'eve@example.com', subject: 'Follow-up', chatSessionId: escalated });
    const em = h.orm.em.fork();
    const session = await em.findOneOrFail(ChatSession, { id: verified });
    session.verifiedEmail = 'vera@example.com';
    session.verifiedAt = h.clock.now();
    const unhappySession = await em.findOneOrFail(ChatSession, { id: unhappy });
    const reply = await em.findOneOrFail(Message, { ticket: unhappySession.ticket, author: 'ai' });
    reply.rating = 'down';
    await em.flush();

    const ids = async (filter: 'all' | 'escalated' | 'verified' | 'negative_feedback') =>
      (await agent.caller.admin.chats.list({ filter })).items.map((c) => c.sessionId);
    expect(await ids('escalated')).toEqual([escalated]);
    expect(await ids('verified')).toEqual([verified]);
    expect(await ids('negative_feedback')).toEqual([unhappy]);
    expect(await ids('all')).toEqual([unhappy, verified, escalated, plain]);

    const all = (await agent.caller.admin.chats.list()).items;
    expect(all.find((c) => c.sessionId === escalated)).toMatchObject({ escalated: true });
    expect(all.find((c) => c.sessionId === escalated)!.linkedTicketId).toBeGreaterThan(0);
    expect(all.find((c) => c.sessionId === verified)).toMatchObject({ verifiedEmail: 'vera@example.com' });
    expect(all.find((c) => c.sessionId === unhappy)).toMatchObject({ negativeFeedbackCount: 1 });
  });

  it('opens a chat as its full history with what the model did, and the email ticket it spawned', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Let me check that for you.' };
    const sessionId = await chat('My parcel is late');
    const ticket = await agent.caller.admin.tickets.create({
      requesterEmail: 'pat@example.com',
      subject: 'Late parcel',
      chatSessionId: sessionId,
    });
    const detail = await agent.caller.admin.chats.get({ sessionId });
    expect(detail.messages.map((m) => [m.author, m.body])).toEqual([
      ['visitor', 'My parcel is late'],
      ['ai', 'Let me check that for you.'],
    ]);
    expect(detail.messages[1]).toMatchObject({ model: 'llama3.2', interrupted: false });
    expect(detail.linkedTicket).toEqual({ id: ticket.id, subject: 'Late parcel', status: 'open' });
    expect(detail.escalated).toBe(true);
  });

  it('answers NOT_FOUND for a chat that does not exist', async () => {
    const error = await rejection(agent.caller.admin.chats.get({ sessionId: 'cs_AAAAAAAAAAAAAAAAAAAAAA' }));
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('live updates', () => {
  it('announce each message a visitor writes (and the reply) to open consoles', async () => {
    const stream = await h.console(agent.token).admin.live.events();
    const iterator = (stream as AsyncIterable<LiveEvent>)[Symbol.asyncIterator]();
    const first = iterator.next(); // listening before the visitor writes
    const sessionId = await chat('Hello there');
    const events = [(await first).value as LiveEvent];
    while (events.filter((e) => e.type === 'message').length < 2) events.push((await iterator.next()).value as LiveEvent);
    await iterator.return?.(undefined);
    const messages = events.filter((e) => e.type === 'message');
    expect(messages).toHaveLength(2);
    expect(messages.every((e) => e.sessionId === sessionId)).toBe(true);
  });

  it('are refused without a session', async () => {
    expect((await rejection(h.console().admin.live.events())).code).toBe('UNAUTHORIZED');
  });
});
