import type { SendMessageEvent } from '@ticket0/contracts';
import { describe, expect, it } from 'vitest';
import { Message } from '../src/db/entities/index.js';
import { seedDemoKnowledgeBase } from '../src/domain/knowledge/demo-knowledge-base.js';
import { collect, freshHarnessPerTest, rejection, type Harness } from './support/harness.js';

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

async function visitorWithReply() {
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(visitor.caller.chat.send({ clientMessageId: `fb-${Math.random().toString(36).slice(2, 10)}`, text: 'Do you ship to Norway?' }));
  const reply = (events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>).message;
  return { ...visitor, reply, question: (events[0] as Extract<SendMessageEvent, { type: 'accepted' }>).message };
}

describe('visitor feedback on replies', () => {
  it('stores a thumbs up, and changes it to a thumbs down with a reason', async () => {
    const { caller, reply } = await visitorWithReply();
    expect((await caller.chat.rate({ messageId: reply.id, rating: 'up' })).rating).toBe('up');
    await caller.chat.rate({ messageId: reply.id, rating: 'down', reason: 'wrong', comment: 'We do not ship there' });
    const stored = await h.orm.em.fork().findOneOrFail(Message, { id: reply.id });
    expect(stored).toMatchObject({ rating: 'down', ratingReason: 'wrong', ratingComment: 'We do not ship there' });
    expect(stored.ratedAt).toBeInstanceOf(Date);
  });

  it('can be taken back, which clears the reason', async () => {
    const { caller, reply } = await visitorWithReply();
    await caller.chat.rate({ messageId: reply.id, rating: 'down', reason: 'rude' });
    await caller.chat.rate({ messageId: reply.id, rating: null });
    expect(await h.orm.em.fork().findOneOrFail(Message, { id: reply.id })).toMatchObject({ rating: null, ratingReason: null, ratedAt: null });
  });

  it('rating the same way twice changes nothing and announces once', async () => {
    const { caller, reply } = await visitorWithReply();
    const announced: unknown[] = [];
    h.services.events.subscribe('message.rated', (event) => announced.push(event));
    await caller.chat.rate({ messageId: reply.id, rating: 'down', reason: 'unhelpful' });
    await caller.chat.rate({ messageId: reply.id, rating: 'down', reason: 'unhelpful' });
    expect(announced).toHaveLength(1);
  });

  it('the history shows the rating, so a reloaded widget shows it too', async () => {
    const { caller, reply } = await visitorWithReply();
    await caller.chat.rate({ messageId: reply.id, rating: 'up' });
    const { messages } = await caller.chat.history();
    expect(messages.find((m) => m.id === reply.id)?.rating).toBe('up');
  });

  it('the rated reply keeps its sources, so they stay under it after a rating', async () => {
    await seedDemoKnowledgeBase(h.orm.em.fork());
    h.ollama.behaviour = { mode: 'reply', text: 'Standard delivery takes a few working days [1].' };
    const { caller, reply } = await visitorWithReply();
    expect(reply.citations).toHaveLength(1);
    const rated = await caller.chat.rate({ messageId: reply.id, rating: 'up' });
    expect(rated.citations).toEqual(reply.citations);
  });

  it("refuses the visitor's own messages and other chats' replies", async () => {
    const mine = await visitorWithReply();
    const other = await visitorWithReply();
    expect((await rejection(mine.caller.chat.rate({ messageId: mine.question.id, rating: 'up' }))).code).toBe('NOT_FOUND');
    expect((await rejection(mine.caller.chat.rate({ messageId: other.reply.id, rating: 'down' }))).code).toBe('NOT_FOUND');
    expect(await h.orm.em.fork().findOneOrFail(Message, { id: other.reply.id })).toMatchObject({ rating: null });
  });

  it('rejects an unknown reason with a readable message', async () => {
    const { caller, reply } = await visitorWithReply();
    const error = await rejection(caller.chat.rate({ messageId: reply.id, rating: 'down', reason: 'boring' as 'wrong' }));
    expect(error.code).toBe('BAD_REQUEST');
  });
});
