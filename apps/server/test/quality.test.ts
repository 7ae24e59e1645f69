import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatSession, SessionEvaluation } from '../src/db/entities/index.js';
import { compositeScore, heuristicScores, isCircular, QualityScheduler, type ChatFacts } from '../src/domain/quality/evaluation.js';
import { EVALUATE_AFTER_IDLE_MS } from '../src/domain/chat/messages.js';
import { createTestDatabase, testDialect } from './support/database.js';
import { collect, createHarness, type Harness } from './support/harness.js';

type Fact = ChatFacts['messages'][number];
const msg = (author: 'visitor' | 'ai', body: string, extra: Partial<Fact> = {}): Fact => ({
  author,
  kind: 'text',
  body,
  rating: null,
  offerStatus: null,
  interrupted: false,
  safetyVerdict: null,
  ...extra,
});

describe('judging a chat without a model', () => {
  it('notices the assistant repeating itself', () => {
    expect(isCircular(['You can track your order on the orders page of your account.', 'You can track your order on the orders page of your account!'])).toBe(true);
    expect(isCircular(['You can track your order on the orders page.', 'Returns are free within the policy window.'])).toBe(false);
  });

  it('scores a thanked, answered chat high and a thumbs-down chat low', () => {
    const good = heuristicScores({ messages: [msg('visitor', 'Do you ship to Spain?'), msg('ai', 'Yes, we ship to Spain.'), msg('visitor', 'Great, thanks!')] });
    expect(compositeScore(good)).toBeGreaterThanOrEqual(80);
    const bad = heuristicScores({ messages: [msg('visitor', 'Do you ship to Spain?'), msg('ai', 'No.', { rating: 'down' }), msg('visitor', 'That is wrong')] });
    expect(compositeScore(bad)).toBeLessThan(70);
  });

  it('flags a hallucination when the live check held back an unsupported claim', () => {
    const scores = heuristicScores({
      messages: [msg('visitor', 'Price?'), msg('ai', 'It costs 99 euros.', { kind: 'suppressed', safetyVerdict: { rules: ['ungrounded_fact'] } })],
    });
    expect(scores.hallucination).toBe(true);
  });
});

describe('quality monitoring', () => {
  let h: Harness;
  let scheduler: QualityScheduler;
  beforeEach(async () => {
    h = await createHarness();
    scheduler = new QualityScheduler(h.orm, { model: h.services.model, clock: h.clock, log: h.log, events: h.services.events }, { pollMs: 3_600_000 });
    scheduler.start();
  });
  afterEach(async () => {
    await scheduler.stop();
    await h.close();
  });

  async function chat(text = 'Do you ship to Spain?') {
    const visitor = await h.startVisitor();
    const events = await collect<SendMessageEvent>(visitor.caller.chat.send({ clientMessageId: `q-${Math.random().toString(36).slice(2, 10)}`, text }));
    await scheduler.runDue();
    return { ...visitor, reply: (events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>).message };
  }
  const evaluation = (sessionId: string) => h.orm.em.fork().findOne(SessionEvaluation, { session: sessionId });

  it('evaluates a chat once it has been quiet for a while, not before', async () => {
    const { sessionId } = await chat();
    expect((await h.orm.em.fork().findOneOrFail(ChatSession, { id: sessionId })).evaluationDueAt).not.toBeNull();
    expect(await scheduler.runDue()).toBe(0);
    h.clock.advance(EVALUATE_AFTER_IDLE_MS);
    expect(await scheduler.runDue()).toBe(1);
    expect(await evaluation(sessionId)).toMatchObject({ method: 'model', accuracy: 90, questionType: 'shipping', inReview: false, score: 90 });
    expect(h.ollama.structuredRequests.at(-1)!.format).toMatchObject({ required: expect.arrayContaining(['accuracy', 'hallucination']) });
  });

  it('evaluates at once after a thumbs down, and puts the chat in the review queue', async () => {
    const { sessionId, caller, reply } = await chat();
    await caller.chat.rate({ messageId: reply.id, rating: 'down', reason: 'wrong' });
    await expect.poll(() => evaluation(sessionId)).toMatchObject({ negativeFeedback: 1, inReview: true });
  });

  it('puts a chat scoring under 70 % in the review queue', async () => {
    h.ollama.evaluation = { accuracy: 40, completeness: 60, resolution: 30, hallucination: true, question_type: 'billing' };
    const { sessionId } = await chat();
    h.clock.advance(EVALUATE_AFTER_IDLE_MS + 60_000);
    await scheduler.runDue();
    expect(await evaluation(sessionId)).toMatchObject({ hallucination: true, inReview: true });
  });

  it('a pass the database cannot serve is logged and retried later, never an unhandled failure', async () => {
    const connection = h.orm.em.fork().getConnection();
    // SQLite would rewrite the foreign keys to the renamed table without this; PostgreSQL
    // keeps them on the table whatever its name.
    if (testDialect === 'sqlite') await connection.execute('pragma foreign_keys = off');
    await connection.execute('alter table chat_session rename to chat_session_away');
    try {
      expect(await scheduler.runDue()).toBe(0);
    } finally {
      await connection.execute('alter table chat_session_away rename to chat_session');
      if (testDialect === 'sqlite') await connection.execute('pragma foreign_keys = on');
    }
    expect(h.log.lines.some((line) => line.message === 'quality evaluation pass failed')).toBe(true);
  });

  it('falls back to heuristics when the model is down', async () => {
    const { sessionId } = await chat();
    await h.ollama.stop();
    h.clock.advance(EVALUATE_AFTER_IDLE_MS + 60_000);
    await scheduler.runDue();
    expect(await evaluation(sessionId)).toMatchObject({ method: 'heuristic' });
  });
});

describe('quality monitoring across a restart', () => {
  it('evaluates what came due while the server was down', async () => {
    const database = await createTestDatabase({ file: true });
    try {
      const before = await createHarness({ database });
      const first = new QualityScheduler(before.orm, { model: before.services.model, clock: before.clock, log: before.log, events: before.services.events }, { pollMs: 3_600_000 });
      first.start();
      const { sessionId, caller } = await before.startVisitor();
      await collect(caller.chat.send({ clientMessageId: 'before-restart', text: 'Hello there' }));
      await expect.poll(async () => (await before.orm.em.fork().findOneOrFail(ChatSession, { id: sessionId })).evaluationDueAt).not.toBeNull();
      await first.stop();
      await before.close(); // the server goes down before the chat is due

      const after = await createHarness({ database });
      after.clock.advance(EVALUATE_AFTER_IDLE_MS + 60_000);
      const second = new QualityScheduler(after.orm, { model: after.services.model, clock: after.clock, log: after.log, events: after.services.events }, { pollMs: 3_600_000 });
      second.start();
      await expect.poll(() => after.orm.em.fork().findOne(SessionEvaluation, { session: sessionId })).not.toBeNull();
      await second.stop();
      await after.close();
    } finally {
      await database.drop();
    }
  });
});
