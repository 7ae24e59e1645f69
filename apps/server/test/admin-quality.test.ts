import type { SendMessageEvent } from '@ticket0/contracts';
import { describe, expect, it } from 'vitest';
import { ChatSession, Message, SessionEvaluation } from '../src/db/entities/index.js';
import { evaluateSession } from '../src/domain/quality/evaluation.js';
import { createArticle } from '../src/domain/knowledge/articles.js';
import { collect, freshConsolePerTest, rejection, type Harness, type SignedInOperator } from './support/harness.js';

let h: Harness;
let agent: SignedInOperator;
freshConsolePerTest('member', (harness, operator) => {
  h = harness;
  agent = operator;
});

/** Starts a chat, sends `text`, lets the fake model answer; returns the session and the last event. */
async function chat(text: string) {
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(
    visitor.caller.chat.send({ clientMessageId: `m-${Math.random().toString(36).slice(2, 12)}`, text }),
  );
  h.clock.advance(1000);
  return { ...visitor, done: events.at(-1) as Extract<SendMessageEvent, { type: 'done' }> };
}

/** Stores an evaluation for a chat as quality monitoring would (scores chosen by the test). */
async function judge(sessionId: string, values: Partial<SessionEvaluation> = {}) {
  const em = h.orm.em.fork();
  const session = await em.findOneOrFail(ChatSession, { id: sessionId });
  const evaluation = em.create(SessionEvaluation, {
    session,
    accuracy: 90,
    completeness: 90,
    resolution: 90,
    score: 90,
    method: 'model',
    questionType: 'shipping',
    messageCount: 2,
    evaluatedAt: h.clock.now(),
    ...values,
  });
  await em.flush();
  h.clock.advance(1000);
  return evaluation;
}

async function rateDown(sessionId: string) {
  const em = h.orm.em.fork();
  const session = await em.findOneOrFail(ChatSession, { id: sessionId });
  const reply = await em.findOneOrFail(Message, { ticket: session.ticket, author: 'ai' });
  reply.rating = 'down';
  await em.flush();
}

describe('quality on Live Chat', () => {
  it('shows each chat its latest evaluation as a score, its flags, and the live negative-feedback count', async () => {
    const good = (await chat('Do you ship to Spain?')).sessionId;
    const bad = (await chat('Where is my refund?')).sessionId;
    const unjudged = (await chat('Hello')).sessionId;
    await judge(good);
    await judge(bad, { score: 41, accuracy: 30, hallucination: true, circular: true, inReview: true, negativeFeedback: 1, method: 'heuristic', questionType: null });
    await rateDown(bad);

    const { items } = await agent.caller.admin.chats.list();
    const row = (id: string) => items.find((c) => c.sessionId === id)!;
    expect(row(good)).toMatchObject({ qualityFlags: [], negativeFeedbackCount: 0, quality: { score: 90, method: 'model', questionType: 'shipping', inReview: false } });
    expect(row(bad)).toMatchObject({
      qualityFlags: ['low_quality', 'hallucination', 'circular', 'in_review'],
      negativeFeedbackCount: 1,
      quality: { score: 41, accuracy: 30, hallucination: true, circular: true, inReview: true, method: 'heuristic', reviewedAt: null },
    });
    expect(row(unjudged)).toMatchObject({ quality: null, qualityFlags: [] });
    expect(await agent.caller.admin.chats.get({ sessionId: bad })).toMatchObject({ quality: { score: 41 }, negativeFeedbackCount: 1 });
  });

  it('filters low quality (under 70 %), hallucination, circular, negative feedback and in review', async () => {
    const low = (await chat('Question two')).sessionId;
    const invented = (await chat('Question three')).sessionId;
    const looping = (await chat('Question four')).sessionId;
    const unhappy = (await chat('Question five')).sessionId;
    const edge = (await chat('Question six')).sessionId;
    await judge((await chat('Question one')).sessionId);
    await judge(low, { score: 55, inReview: true });
    await judge(invented, { score: 72, hallucination: true });
    await judge(looping, { score: 75, circular: true });
    await judge(edge, { score: 70 }); // exactly 70 % is not low quality
    await rateDown(unhappy); // not judged yet: the count is live

    const ids = async (filter: 'low_quality' | 'hallucination' | 'circular' | 'negative_feedback' | 'in_review' | 'all') =>
      (await agent.caller.admin.chats.list({ filter })).items.map((c) => c.sessionId);
    expect(await ids('low_quality')).toEqual([low]);
    expect(await ids('hallucination')).toEqual([invented]);
    expect(await ids('circular')).toEqual([looping]);
    expect(await ids('negative_feedback')).toEqual([unhappy]);
    expect(await ids('in_review')).toEqual([low]);
    expect(await ids('all')).toHaveLength(6);
  });

  it('pages a quality filter with a cursor', async () => {
    const low: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { sessionId } = await chat(`Low ${i}`);
      await judge(sessionId, { score: 30 + i });
      low.unshift(sessionId);
    }
    await judge((await chat('Fine')).sessionId);
    const first = await agent.caller.admin.chats.list({ filter: 'low_quality', limit: 2 });
    const second = await agent.caller.admin.chats.list({ filter: 'low_quality', limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((c) => c.sessionId)).toEqual(low);
    expect(second.nextCursor).toBeNull();
  });
});

describe('the review queue', () => {
  it('lists chats waiting for review, most recently judged first, until an operator marks them reviewed', async () => {
    const a = (await chat('First bad chat')).sessionId;
    const b = (await chat('Second bad chat')).sessionId;
    const ok = (await chat('Good chat')).sessionId;
    await judge(a, { score: 50, inReview: true });
    await judge(ok);
    await judge(b, { score: 88, negativeFeedback: 1, inReview: true });

    const queue = await agent.caller.admin.quality.reviewQueue();
    expect(queue.items.map((c) => c.sessionId)).toEqual([b, a]);
    expect(queue.items[1]).toMatchObject({ subject: 'First bad chat', quality: { score: 50, inReview: true }, qualityFlags: ['low_quality', 'in_review'] });

    const reviewed = await agent.caller.admin.quality.markReviewed({ sessionId: a });
    expect(reviewed).toMatchObject({ inReview: false, reviewedAt: h.clock.now() });
    expect((await agent.caller.admin.quality.reviewQueue()).items.map((c) => c.sessionId)).toEqual([b]);
    // Still low quality on Live Chat, no longer waiting.
    expect(await agent.caller.admin.chats.get({ sessionId: a })).toMatchObject({ qualityFlags: ['low_quality'] });
    // Marking again changes nothing.
    expect(await agent.caller.admin.quality.markReviewed({ sessionId: a })).toMatchObject({ inReview: false, reviewedAt: reviewed.reviewedAt });
  });

  it('pages with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { sessionId } = await chat(`Bad ${i}`);
      await judge(sessionId, { score: 20, inReview: true });
      ids.unshift(sessionId);
    }
    const first = await agent.caller.admin.quality.reviewQueue({ limit: 2 });
    const second = await agent.caller.admin.quality.reviewQueue({ limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((c) => c.sessionId)).toEqual(ids);
  });

  it('receives a chat from quality monitoring after a thumbs down', async () => {
    const { sessionId, caller, done } = await chat('Do you ship to Spain?');
    await caller.chat.rate({ messageId: done.message.id, rating: 'down', reason: 'wrong' });
    const em = h.orm.em.fork();
    const session = await em.findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    await evaluateSession(em, { model: h.services.model, clock: h.clock, log: h.log }, session);
    const queue = await agent.caller.admin.quality.reviewQueue();
    expect(queue.items.map((c) => [c.sessionId, c.negativeFeedbackCount, c.quality.negativeFeedback])).toEqual([[sessionId, 1, 1]]);
  });

  it('previews the reply the chat is in the queue for, with the visitor\'s reason and words', async () => {
    await createArticle(h.orm.em.fork(), { title: 'Shipping to Spain', body: 'We ship to Spain. Parcels to Spain arrive in two days.', published: true });
    h.ollama.behaviour = { mode: 'reply', text: 'We ship to Spain in two days.' };
    const { sessionId, caller, done } = await chat('Do you ship to Spain?');
    expect(done.message).toMatchObject({ author: 'ai', kind: 'text' });
    await caller.chat.rate({ messageId: done.message.id, rating: 'down', reason: 'wrong', comment: 'It took two weeks last time.' });
    h.ollama.behaviour = { mode: 'reply', text: 'Anything else I can help with?' };
    await caller.chat.send({ clientMessageId: 'later-message', text: 'And to Portugal?' }).then(collect);
    await judge(sessionId, { score: 40, inReview: true });
    const [item] = (await agent.caller.admin.quality.reviewQueue()).items;
    expect(item!.flaggedReply).toEqual({
      id: done.message.id,
      body: 'We ship to Spain in two days.',
      rating: 'down',
      ratingReason: 'wrong',
      ratingComment: 'It took two weeks last time.',
    });
    // And the chat view shows the same reason and words on the reply itself.
    const detail = await agent.caller.admin.chats.get({ sessionId });
    expect(detail.messages.find((m) => m.id === done.message.id)).toMatchObject({
      rating: 'down',
      ratingReason: 'wrong',
      ratingComment: 'It took two weeks last time.',
    });
  });

  it('without a thumbs down, previews the latest AI reply of a chat judged poor', async () => {
    await createArticle(h.orm.em.fork(), { title: 'Opening hours', body: 'The shop opens at nine every weekday.', published: true });
    h.ollama.behaviour = { mode: 'reply', text: 'Our shop opens at nine.' };
    const { sessionId, done } = await chat('When does the shop open?');
    await judge(sessionId, { score: 40, inReview: true });
    const [item] = (await agent.caller.admin.quality.reviewQueue()).items;
    expect(item!.flaggedReply).toMatchObject({ id: done.message.id, body: 'Our shop opens at nine.', rating: null });
  });

  it('cannot mark a chat reviewed that was never judged, or does not exist', async () => {
    const { sessionId } = await chat('Hello');
    const unjudged = await rejection(agent.caller.admin.quality.markReviewed({ sessionId }));
    expect(unjudged).toMatchObject({ code: 'NOT_FOUND', message: 'This chat has not been evaluated yet, so there is nothing to review.' });
    const missing = await rejection(agent.caller.admin.quality.markReviewed({ sessionId: 'cs_AAAAAAAAAAAAAAAAAAAAAA' }));
    expect(missing.code).toBe('NOT_FOUND');
  });
});

describe('the read-only history', () => {
  it('shows a reply the safety rules held back, with its rule and reason, and the offer that replaced it', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Sure, I will refund you in full today.' };
    const { sessionId, caller, done } = await chat('My parcel arrived broken.');
    expect(done.message.kind).toBe('escalation_offer');

    const { messages } = await agent.caller.admin.chats.get({ sessionId });
    const held = messages.find((m) => m.kind === 'suppressed')!;
    expect(held).toMatchObject({
      author: 'ai',
      body: expect.stringContaining('I will refund you'),
      safety: { rules: ['promised_compensation'], note: expect.stringContaining('i will refund') },
    });
    const offer = messages.find((m) => m.kind === 'escalation_offer')!;
    expect(offer).toMatchObject({ escalationReason: 'unsafe_output', offerStatus: 'pending' });
    expect(messages.indexOf(held)).toBeLessThan(messages.indexOf(offer));

    // The visitor never sees the held-back text.
    const history = await caller.chat.history();
    expect(history.messages.some((m) => m.body.includes('refund you'))).toBe(false);
  });

  it('shows an accepted offer and its confirmation with the reason', async () => {
    const { sessionId, caller, done } = await chat('I want to talk to a person');
    expect(done.message.kind).toBe('escalation_offer');
    await caller.escalation.confirm({ offerId: done.message.id, email: 'ana@example.com' });
    const { messages } = await agent.caller.admin.chats.get({ sessionId });
    expect(messages.find((m) => m.kind === 'escalation_offer')).toMatchObject({ escalationReason: 'human_requested', offerStatus: 'accepted' });
    expect(messages.find((m) => m.kind === 'escalation_confirmation')).toMatchObject({ escalationReason: 'human_requested', offerStatus: null });
  });
});
