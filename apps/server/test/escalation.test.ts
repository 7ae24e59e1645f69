import type { EscalationReason, SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pickAssignee, type AssignmentCandidate } from '../src/domain/operators/assignment.js';
import { detectEscalation } from '../src/domain/escalation/detect.js';
import { offerText } from '../src/domain/escalation/offers.js';
import { collect, createHarness, type Harness } from './support/harness.js';

describe('escalation rules (no model needed)', () => {
  const cases: Array<[EscalationReason, string]> = [
    ['human_requested', 'Can I talk to a human please?'],
    ['human_requested', 'I want a real person'],
    ['human_requested', 'agent'],
    ['human_requested', 'Je voudrais parler à un humain'],
    ['legal_compliance', 'If this is not fixed my lawyer will be in touch.'],
    ['legal_compliance', "I'm going to sue you for this"],
    ['legal_compliance', 'I will report you to consumer protection'],
    ['data_privacy', 'Please delete my account and all my data under GDPR.'],
    ['data_privacy', 'I want you to erase everything you have about me... delete my personal data'],
    ['data_privacy', 'What personal data do you hold about me?'],
    ['financial_dispute', 'You charged me twice for the same order!'],
    ['financial_dispute', "I'm going to file a chargeback with my bank"],
    ['financial_dispute', "There's an unauthorized charge on my card"],
    ['distress_urgent', "I'm desperate, I need this fixed today or I lose my job"],
    ['distress_urgent', 'Please please help me, it is an emergency'],
  ];
  it.each(cases)('sends %s to a human: "%s"', (reason, text) => {
    expect(detectEscalation(text)?.reason).toBe(reason);
  });

  const ordinary = [
    'What is your returns policy?',
    'Where can I read your privacy policy?',
    'I would like to return a dress that does not fit',
    "I'm desperate for that dress in blue, do you have it?",
    'Is the human hair wig available in black?',
    'How do I update my payment method?',
    'Can I change my delivery address today?',
    'Please help me find my order number',
    'What are your opening hours on Sunday?',
    'The agent of change: is that book in stock?',
  ];
  it.each(ordinary)('answers ordinary questions itself: "%s"', (text) => {
    expect(detectEscalation(text)).toBeNull();
  });
});

describe('choosing who gets a ticket', () => {
  const t = (day: number) => new Date(`2026-01-0${day}T09:00:00Z`);
  const op = (id: number, load: number, joined: number, extra: Partial<AssignmentCandidate> = {}): AssignmentCandidate => ({
    id,
    load,
    joinedAt: t(joined),
    availability: 'available',
    capacity: 5,
    ...extra,
  });

  it('picks the available operator with the fewest open + pending tickets', () => {
    expect(pickAssignee([op(1, 3, 1), op(2, 1, 2), op(3, 2, 3)])).toBe(2);
  });
  it('breaks a tie in favour of the earliest joined', () => {
    expect(pickAssignee([op(1, 2, 3), op(2, 2, 1), op(3, 2, 2)])).toBe(2);
  });
  it('skips operators who are away', () => {
    expect(pickAssignee([op(1, 0, 1, { availability: 'away' }), op(2, 4, 2)])).toBe(2);
  });
  it('skips operators at capacity, and never picks capacity 0', () => {
    expect(pickAssignee([op(1, 5, 1), op(2, 0, 2, { capacity: 0 }), op(3, 1, 3, { capacity: 2 })])).toBe(3);
    expect(pickAssignee([op(1, 0, 1, { capacity: 0 })])).toBeNull();
  });
  it('returns nobody when everyone is away or full', () => {
    expect(pickAssignee([op(1, 5, 1), op(2, 0, 2, { availability: 'away' })])).toBeNull();
    expect(pickAssignee([])).toBeNull();
  });
});

describe('the assistant offers a human instead of replying', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const ask = async (text: string) => {
    const { caller } = await h.startVisitor();
    return collect<SendMessageEvent>(caller.chat.send({ clientMessageId: `ask-${Math.random().toString(36).slice(2, 12)}`, text }));
  };

  it('on a rule, without asking the model at all', async () => {
    const events = await ask('I need to speak to a real person about my order');
    expect(events.map((e) => e.type)).toEqual(['accepted', 'done']);
    expect(events.at(-1)).toMatchObject({
      message: { kind: 'escalation_offer', escalationReason: 'human_requested', offerStatus: 'pending', body: offerText('human_requested') },
    });
    expect(h.ollama.log).toHaveLength(0);
  });

  it('when the model judges it cannot answer (structured output)', async () => {
    h.ollama.judgement = { can_answer: false, confidence: 25, needs_human: false };
    const events = await ask('Why was my invoice 12 cents higher this month?');
    expect(events.at(-1)).toMatchObject({ message: { kind: 'escalation_offer', escalationReason: 'ai_uncertain' } });
    // The answer came after the judgement in the same reply; none of it reached the visitor.
    expect(events.map((e) => e.type)).toEqual(['accepted', 'done']);
    const { Message } = await import('../src/db/entities/index.js');
    expect((await h.orm.em.fork().find(Message, {}, { orderBy: { id: 'asc' } })).map((m) => m.kind)).toEqual(['text', 'escalation_offer']);
    expect(h.ollama.log).toHaveLength(1); // one call: the judgement and the answer together
    const judged = h.ollama.requests[0]!;
    expect(judged.format).toMatchObject({ type: 'object', required: ['can_answer', 'confidence', 'needs_human', 'reason', 'answer'] });
    expect(judged.messages.at(-1)!.content).toContain('Why was my invoice 12 cents higher this month?');
  });

  it('releases the first sentence while the model is still writing, the judgement having come first', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'We ship to Canada. Delivery takes a week or so, sometimes more.', delayMs: 40 };
    const { caller } = await h.startVisitor();
    const iterator = (await caller.chat.send({ clientMessageId: 'beside-judge-1', text: 'Do you ship to Canada?' }))[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'accepted' });
    expect((await iterator.next()).value).toEqual({ type: 'delta', text: 'We ship to Canada. ' });
    expect(h.ollama.requests[0]!.sent.map((piece) => piece.text)).not.toContain('"}'); // still writing
    const rest: unknown[] = [];
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) rest.push(step.value);
    expect(rest.at(-1)).toMatchObject({ type: 'done', message: { kind: 'text', body: 'We ship to Canada. Delivery takes a week or so, sometimes more.' } });
  });

  it('holds the answer until the end when a model writes the judgement after it', async () => {
    h.ollama.shape = 'answer-first';
    h.ollama.behaviour = { mode: 'reply', text: 'We ship to Canada. Delivery takes a week.' };
    h.ollama.judgement = { can_answer: true, confidence: 75, needs_human: false, reason: 'none' };
    const answered = await ask('Do you ship to Canada?');
    expect(answered.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text)).toEqual(['We ship to Canada. ', 'Delivery takes a week.']);
    expect(answered.at(-1)).toMatchObject({ message: { kind: 'text', body: 'We ship to Canada. Delivery takes a week.' } });
    const { Message } = await import('../src/db/entities/index.js');
    expect((await h.orm.em.fork().find(Message, { author: 'ai' })).map((m) => m.confidence)).toEqual([75]);

    h.ollama.judgement = { can_answer: false, confidence: 30, needs_human: true, reason: 'financial_dispute' };
    const refused = await ask('Why was I charged twice?');
    expect(refused.map((e) => e.type)).toEqual(['accepted', 'done']);
    expect(refused.at(-1)).toMatchObject({ message: { kind: 'escalation_offer', escalationReason: 'financial_dispute' } });
  });

  it('when the judged confidence is under the floor of 60, and not at 60', async () => {
    h.ollama.judgement = { can_answer: true, confidence: 59, needs_human: false };
    expect((await ask('question one')).at(-1)).toMatchObject({ message: { kind: 'escalation_offer', escalationReason: 'ai_uncertain' } });
    h.ollama.judgement = { can_answer: true, confidence: 60, needs_human: false };
    expect((await ask('question two')).at(-1)).toMatchObject({ message: { kind: 'text', author: 'ai' } });
  });

  it('with the reason the model gives when it says a human is needed', async () => {
    h.ollama.judgement = { can_answer: false, confidence: 80, needs_human: true, reason: 'financial_dispute' };
    expect((await ask('The amount I paid is different from the receipt')).at(-1)).toMatchObject({
      message: { escalationReason: 'financial_dispute' },
    });
  });

  it('answers normally when the judgement is malformed', async () => {
    h.ollama.judgement = { verdict: 'maybe' };
    expect((await ask('What are your opening hours?')).at(-1)).toMatchObject({ message: { kind: 'text', author: 'ai' } });
  });

  it('stores the judged confidence with the reply', async () => {
    h.ollama.judgement = { can_answer: true, confidence: 87, needs_human: false };
    const events = await ask('Do you ship to Canada?');
    const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
    const { Message } = await import('../src/db/entities/index.js');
    const stored = await h.orm.em.fork().findOneOrFail(Message, { id: done.message.id });
    expect(stored.confidence).toBe(87);
  });
});
