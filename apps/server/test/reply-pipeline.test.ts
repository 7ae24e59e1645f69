import type { SendMessageEvent } from '@ticket0/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChatSession, Message } from '../src/db/entities/index.js';
import { acceptMessage } from '../src/domain/chat/messages.js';
import { startSession } from '../src/domain/chat/sessions.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { OFFER_QUESTION } from '../src/domain/escalation/offers.js';
import { createArticle } from '../src/domain/knowledge/articles.js';
import { seedDemoKnowledgeBase } from '../src/domain/knowledge/demo-knowledge-base.js';
import type { PassageHit } from '../src/domain/knowledge/search.js';
import type { ReplyContext } from '../src/domain/reply/context.js';
import { decideByRules, isSmallTalk, judgeAndStream, replyToMessage, withExcerpt } from '../src/domain/reply/pipeline.js';
import { SAFE_FALLBACK_REPLY } from '../src/domain/reply/safety/safety.js';
import { newOutcome, storeReply, type ReplyOutcome } from '../src/domain/reply/store.js';
import { ModelUnavailableError } from '../src/llm/model.js';
import { FOREIGN_DATA, injectionCorpus, OTHER_CUSTOMERS } from './fixtures/injection-corpus.js';
import { SHOP_VERIFIED_CUSTOMER } from './fixtures/ordinary-answers.js';
import { collect, freshHarnessPerTest, verifyVisitor, type Harness } from './support/harness.js';

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

type Done = Extract<SendMessageEvent, { type: 'done' }>;
const stored = () => h.orm.em.fork().find(Message, {}, { orderBy: { id: 'asc' } });
let counter = 0;
async function ask(caller: Awaited<ReturnType<Harness['startVisitor']>>['caller'], text: string) {
  const events = await collect<SendMessageEvent>(caller.chat.send({ clientMessageId: `pipeline-${++counter}-abc`, text }));
  const released = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
  return { events, released, done: events.at(-1) as Done };
}

/** A passage as search returns it. */
const passage = (text: string, articleId = 1): PassageHit => ({ articleId, slug: `a-${articleId}`, title: 'Shipping', heading: '', text, score: 1 });

/** A context as buildReplyContext makes it, with no knowledge base, customer or secrets. */
function contextFor(question: string, passages: PassageHit[] | null = null): ReplyContext {
  return {
    messages: [
      { role: 'system', content: 'You are the support assistant of shop.example.com.' },
      { role: 'user', content: question },
    ],
    passages,
    customer: null,
    safety: { groundingTexts: (passages ?? []).map((p) => p.text), secrets: [], allowedLinkDomains: ['shop.example.com'] },
    promptContext: { block: '', historyFrom: null, verifiedEmail: null },
  };
}

/** Runs step 4 to the end: what it released, and the outcome it recorded. */
async function judgeAndStreamAll(question: string, passages: PassageHit[] | null = null) {
  const outcome = newOutcome();
  const released: string[] = [];
  for await (const text of judgeAndStream(h.services.model, contextFor(question, passages), outcome)) released.push(text);
  return { released, outcome };
}

/** A chat session with one stored visitor message, as step 1 leaves it. */
async function storedMessage(text = 'Where is my parcel?') {
  const em = h.orm.em.fork();
  const { session } = await startSession(em, h.services, { origin: 'https://shop.example.com', clientAddress: 'test' });
  const { message } = await acceptMessage(em, h.services, { session, clientAddress: 'test' }, { clientMessageId: `step-${++counter}-abc`, text });
  return { em, session, message };
}

describe('the reply pipeline, step by step', () => {
  describe('3. the rules decide first', () => {
    it('offers a person when the visitor asks for one, whatever the knowledge base says', () => {
      expect(decideByRules('Can I talk to a real person please?', { passages: [passage('Delivery takes 3 days.')], customer: null })).toBe('human_requested');
    });

    it('says it does not know when the knowledge base has nothing on the question', () => {
      expect(decideByRules('What is the airspeed of a swallow?', { passages: [], customer: null })).toBe('ai_uncertain');
    });

    it('lets the model try when a passage matches, when the site has no knowledge base, or for small talk', () => {
      expect(decideByRules('How long is delivery?', { passages: [passage('Delivery takes 3 days.')], customer: null })).toBeNull();
      expect(decideByRules('How long is delivery?', { passages: null, customer: null })).toBeNull();
      expect(decideByRules('Thanks so much!', { passages: [], customer: null })).toBeNull();
      expect(isSmallTalk('  hello!! ')).toBe(true);
      expect(isSmallTalk('hello, where is my order?')).toBe(false);
    });

    it('lets the model try for a verified customer even without a matching passage', () => {
      expect(decideByRules('Where is my order?', { passages: [], customer: { email: 'ana@example.com' } })).toBeNull();
    });
  });

  describe('4. one call: the judgement, then the streamed answer, through the gate', () => {
    it('releases the reply sentence by sentence once the judgement says answer, and records its confidence', async () => {
      h.ollama.judgement = { can_answer: true, confidence: 87, needs_human: false };
      h.ollama.behaviour = { mode: 'reply', text: 'Delivery takes 3 days. You can track it online.' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?', [passage('Delivery takes 3 days.')]);
      expect(released).toEqual(['Delivery takes 3 days. ', 'You can track it online.']);
      expect(outcome).toMatchObject({ text: 'Delivery takes 3 days. You can track it online.', confidence: 87, offer: null, failure: null, suppressed: null });
      expect(h.ollama.log).toHaveLength(1); // the judgement and the answer in one call
      expect(h.ollama.requests[0]!.format).toMatchObject({ required: ['can_answer', 'confidence', 'needs_human', 'reason', 'answer'] });
    });

    it('answers at the confidence floor when the model ignores the format and writes plain text', async () => {
      h.ollama.shape = 'plain-text';
      h.ollama.behaviour = { mode: 'reply', text: 'Delivery takes 3 days. You can track it online.' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?', [passage('Delivery takes 3 days.')]);
      expect(released).toEqual(['Delivery takes 3 days. ', 'You can track it online.']);
      expect(outcome).toMatchObject({ confidence: 60, offer: null, failure: null });
    });

    it('answers at the confidence floor when the judgement is malformed, and still checks every sentence', async () => {
      h.ollama.judgement = { can_answer: 'maybe', confidence: 'very', needs_human: false, reason: 'none' };
      h.ollama.behaviour = { mode: 'reply', text: 'Delivery takes 3 days. I will refund you 100% today.' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?', [passage('Delivery takes 3 days.')]);
      expect(released).toEqual(['Delivery takes 3 days. ']);
      expect(outcome).toMatchObject({ confidence: 60, offer: null });
      expect(outcome.suppressed).toMatchObject({ rule: 'promised_compensation' });
    });

    it('answers at the confidence floor when the judgement is missing from the JSON', async () => {
      h.ollama.judgement = {};
      h.ollama.behaviour = { mode: 'reply', text: 'Delivery takes 3 days.' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?', [passage('Delivery takes 3 days.')]);
      expect(released).toEqual(['Delivery takes 3 days.']);
      expect(outcome).toMatchObject({ confidence: 60, offer: null, failure: null });
    });

    it('counts JSON that breaks off before any answer as a failure, and releases nothing', async () => {
      h.ollama.judgement = '{"can_answer": tru';
      h.ollama.behaviour = { mode: 'reply', text: 'Delivery takes 3 days.' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?');
      expect(released).toEqual([]);
      expect(outcome.failure?.message).toBe('The model returned an empty answer.');
    });

    it('escalates for low confidence as the judgement arrives, before the answer is written', async () => {
      h.ollama.judgement = { can_answer: true, confidence: 40, needs_human: false, reason: 'none' };
      h.ollama.behaviour = { mode: 'reply', text: `Here is a guess. ${'More words follow. '.repeat(40)}`, delayMs: 5 };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?');
      expect(released).toEqual([]);
      expect(outcome).toMatchObject({ offer: 'ai_uncertain', confidence: 40 });
      await expect.poll(() => h.ollama.aborted).toBe(1);
      expect(h.ollama.requests[0]!.sent.length).toBeLessThan(10); // stopped early
    });

    it('releases nothing and records the offer when the judgement says a person is needed', async () => {
      h.ollama.judgement = { can_answer: false, confidence: 20, needs_human: true, reason: 'financial_dispute' };
      h.ollama.behaviour = { mode: 'reply', text: `Here is what I think. ${'More words follow. '.repeat(40)}`, delayMs: 5 };
      const { released, outcome } = await judgeAndStreamAll('I was charged twice');
      expect(released).toEqual([]);
      expect(outcome).toMatchObject({ text: '', offer: 'financial_dispute', confidence: 20, suppressed: null });
      await expect.poll(() => h.ollama.aborted).toBe(1);
    });

    it('holds a refused sentence back, stops the model, and keeps what came before it', async () => {
      h.ollama.behaviour = { mode: 'reply', text: `Sorry about that. I will refund you 100% today. ${'More words follow. '.repeat(40)}`, delayMs: 5 };
      const { released, outcome } = await judgeAndStreamAll('My parcel is late');
      expect(released.join('')).toBe('Sorry about that. ');
      expect(outcome.suppressed).toMatchObject({ rule: 'promised_compensation', wholeReply: false, text: 'Sorry about that. I will refund you 100% today. ' });
      await expect.poll(() => h.ollama.aborted).toBe(1);
    });

    it('turns [n] markers into citations of the passages shown', async () => {
      h.ollama.behaviour = { mode: 'reply', text: 'Delivery takes 3 days [2].' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?', [passage('Returns are free.', 7), passage('Delivery takes 3 days.', 9)]);
      expect(released.join('')).toBe('Delivery takes 3 days.');
      expect(outcome.citations).toEqual([9]);
    });

    it('records the failure when the model is down, and releases nothing', async () => {
      h.ollama.behaviour = { mode: 'error', status: 500, message: 'model runner crashed' };
      const { released, outcome } = await judgeAndStreamAll('How long is delivery?');
      expect(released).toEqual([]);
      expect(outcome.failure).toBeInstanceOf(ModelUnavailableError);
      expect(outcome.failure!.failure).not.toBe('aborted');
    });

    it('counts an empty answer as a failure', async () => {
      h.ollama.behaviour = { mode: 'reply', text: '' };
      const { outcome } = await judgeAndStreamAll('Hello');
      expect(outcome.failure?.message).toBe('The model returned an empty answer.');
    });
  });

  describe('5. falling back to an excerpt', () => {
    const failed = (text = ''): ReplyOutcome => ({ ...newOutcome(), text, failure: new ModelUnavailableError('unreachable', 'down') });

    it('shows the best passage when the model failed and said nothing', () => {
      const best = passage('Delivery takes 3 days.');
      expect(withExcerpt(failed(), { passages: [best, passage('Other.', 2)] })).toBe(best);
    });

    it('shows no excerpt when something was said, when the visitor stopped it, or when there is no passage', () => {
      expect(withExcerpt(failed('Delivery takes'), { passages: [passage('x')] })).toBeNull();
      expect(withExcerpt({ ...newOutcome(), failure: new ModelUnavailableError('aborted', 'left') }, { passages: [passage('x')] })).toBeNull();
      expect(withExcerpt(failed(), { passages: null })).toBeNull();
    });
  });

  describe('6. storing the result', () => {
    it('stores what was said, what was held back and the offer, in that order', async () => {
      const { em, session, message } = await storedMessage();
      const outcome: ReplyOutcome = {
        ...newOutcome(),
        text: 'Sorry about that. ',
        confidence: 80,
        suppressed: { text: 'Sorry about that. I will refund you.', rule: 'promised_compensation', reason: 'promises compensation', wholeReply: false },
      };
      const reply = await storeReply(em, h.services, session, message, outcome, 12);
      expect(reply).toMatchObject({ kind: 'escalation_offer', escalationReason: 'unsafe_output', offerStatus: 'pending' });
      const stored = await h.orm.em.fork().find(Message, { replyTo: message.id }, { orderBy: { id: 'asc' } });
      expect(stored.map((m) => [m.kind, m.body])).toEqual([
        ['text', 'Sorry about that.'],
        ['suppressed', 'Sorry about that. I will refund you.'],
        ['escalation_offer', expect.stringContaining(OFFER_QUESTION)],
      ]);
      expect(stored[0]).toMatchObject({ interrupted: true, confidence: 80, latencyMs: 12 });
      expect(stored[1]!.safetyVerdict).toEqual({ rules: ['promised_compensation'], note: 'promises compensation' });
    });

    it('stores nothing when the visitor stopped before anything was said', async () => {
      const { em, session, message } = await storedMessage();
      const outcome = { ...newOutcome(), failure: new ModelUnavailableError('aborted', 'The visitor left.') };
      expect(await storeReply(em, h.services, session, message, outcome, 5)).toBeNull();
      expect(await h.orm.em.fork().count(Message, { replyTo: message.id })).toBe(0);
    });

    it('offers a person with the best excerpt when the model was unavailable, and marks the chat due for review', async () => {
      const { em, session, message } = await storedMessage();
      const outcome = { ...newOutcome(), failure: new ModelUnavailableError('unreachable', 'down'), excerpt: passage('Delivery takes 3 days.', 4) };
      const reply = await storeReply(em, h.services, session, message, outcome, 5);
      expect(reply).toMatchObject({ kind: 'escalation_offer', escalationReason: 'ai_unavailable', citations: [4], safetyVerdict: { modelFailure: 'unreachable' } });
      expect(reply!.body).toContain('This excerpt from our help article “Shipping” may help');
      const stored = await h.orm.em.fork().findOneOrFail(ChatSession, { id: session.id });
      expect(stored.evaluationDueAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());
    });
  });

  describe('all the steps together', () => {
    it('answers a greeting kindly in the visitor\'s language without asking the model', async () => {
      const { em, session, message } = await storedMessage('Bonjour !');
      const { released, reply } = await collectReply(replyToMessage(em, h.services, session, message));
      expect(released).toHaveLength(1);
      expect(reply).toMatchObject({ kind: 'text', author: 'ai', model: null, body: released[0] });
      expect(h.ollama.requests).toHaveLength(0);
    });

    it('answers a stored message, yielding what it releases and returning the stored reply', async () => {
      h.ollama.behaviour = { mode: 'reply', text: 'Hello! How can I help?' };
      const { em, session, message } = await storedMessage('Can you help me with something?');
      const stream = replyToMessage(em, h.services, session, message);
      const released: string[] = [];
      let next = await stream.next();
      for (; !next.done; next = await stream.next()) released.push(next.value);
      expect(released).toEqual(['Hello! ', 'How can I help?']);
      expect(next.value).toMatchObject({ kind: 'text', author: 'ai', body: 'Hello! How can I help?' });
    });

    it('a second call for the same message waits for the reply being written instead of asking again', async () => {
      h.ollama.behaviour = { mode: 'reply', text: 'One answer only. Written slowly.', delayMs: 20 };
      const { session, message } = await storedMessage('Can you help me with something?');
      const first = collectReply(replyToMessage(h.orm.em.fork(), h.services, session, message));
      const second = collectReply(replyToMessage(h.orm.em.fork(), h.services, session, message));
      const [a, b] = await Promise.all([first, second]);
      expect(a.reply!.id).toBe(b.reply!.id);
      expect(b.released).toEqual([]);
      expect(h.ollama.requests).toHaveLength(1);
      expect(h.services.replies.size).toBe(0);
    });
  });
});

async function collectReply(stream: AsyncGenerator<string, Message | null>) {
  const released: string[] = [];
  let next = await stream.next();
  for (; !next.done; next = await stream.next()) released.push(next.value);
  return { released, reply: next.value };
}

describe('output safety while streaming', () => {
  it('holds back an unsafe sentence: not a byte of it is sent, the original is kept for operators', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'I am sorry about the delay. I will refund you 100% right away. Anything else?' };
    const { caller } = await h.startVisitor();
    const { events, released, done } = await ask(caller, 'My parcel is late');

    expect(events.map((e) => e.type)).toEqual(['accepted', 'delta', 'done']);
    expect(released).toBe('I am sorry about the delay. ');
    expect(JSON.stringify(events)).not.toContain('refund you');
    expect(done.message).toMatchObject({ kind: 'escalation_offer', escalationReason: 'unsafe_output', offerStatus: 'pending' });

    const messages = await stored();
    expect(messages.map((m) => m.kind)).toEqual(['text', 'text', 'suppressed', 'escalation_offer']);
    const suppressed = messages[2]!;
    expect(suppressed.body).toContain('I will refund you 100% right away.');
    expect(suppressed.safetyVerdict?.rules).toEqual(['promised_compensation']);
    expect(messages[1]).toMatchObject({ body: 'I am sorry about the delay.', interrupted: true });

    // The visitor's history never shows the held-back text.
    const { messages: history } = await caller.chat.history();
    expect(JSON.stringify(history)).not.toContain('refund you');
  });

  it('gives the safe fallback and an offer when the very first sentence is unsafe', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'You should sue the courier. They are liable.' };
    const { caller } = await h.startVisitor();
    const { released, done } = await ask(caller, 'The courier broke my vase');
    expect(released).toBe('');
    expect(done.message.body).toContain(OFFER_QUESTION);
    expect((await stored()).map((m) => m.kind)).toEqual(['text', 'suppressed', 'escalation_offer']);
    expect(SAFE_FALLBACK_REPLY).toBeTruthy();
  });

  it('stops the model once a sentence is held back', async () => {
    h.ollama.behaviour = { mode: 'reply', text: `I will refund you in full. ${'More words follow here. '.repeat(40)}`, delayMs: 5 };
    const { caller } = await h.startVisitor();
    await ask(caller, 'Refund please');
    await expect.poll(() => h.ollama.aborted).toBe(1);
  });

  it('lets an ordinary answer through untouched', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'You can reset your password from the sign-in page. Click "Forgot password" and follow the email.' };
    const { caller } = await h.startVisitor();
    const { done, released } = await ask(caller, 'How do I reset my password?');
    expect(done.message).toMatchObject({ kind: 'text', author: 'ai' });
    expect(released).toBe('You can reset your password from the sign-in page. Click "Forgot password" and follow the email.');
  });
});

describe('prompt injection corpus against a model that complies', () => {
  it(`lets nothing harmful reach the visitor across ${injectionCorpus.length} attacks`, async () => {
    for (const other of OTHER_CUSTOMERS) await upsertCustomer(h.orm.em.fork(), h.services, { email: other.email, name: other.name });
    await upsertCustomer(h.orm.em.fork(), h.services, { email: SHOP_VERIFIED_CUSTOMER.email, name: 'Alice Martin' });

    const leaks: string[] = [];
    for (const attack of injectionCorpus) {
      h.ollama.behaviour = { mode: 'reply', text: attack.compliantOutput };
      const { caller } = await h.startVisitor({ origin: 'https://shop.example.com' });
      if (attack.verified) {
        h.clock.advance(61 * 60_000); // past the hourly limit on codes for one address
        await verifyVisitor(h, caller, SHOP_VERIFIED_CUSTOMER.email);
      }
      const { events } = await ask(caller, attack.visitorMessage);
      // What the assistant showed (the visitor's own message, echoed in `accepted`, is theirs).
      const visible = events.map((e) => (e.type === 'delta' ? e.text : e.type === 'done' ? e.message.body : '')).join('\n');
      if (visible.includes(attack.offending)) leaks.push(`${attack.id}: ${attack.offending}`);
      for (const foreign of FOREIGN_DATA) if (visible.includes(foreign)) leaks.push(`${attack.id}: ${foreign}`);
    }
    console.log(`injection corpus: ${injectionCorpus.length} attacks, ${leaks.length} reached the visitor`);
    expect(leaks).toEqual([]);
  }, 120_000);
});

describe('answers grounded in the knowledge base', () => {
  beforeEach(async () => {
    await seedDemoKnowledgeBase(h.orm.em.fork());
  });

  it('puts the top passages in the prompt and turns [n] markers into citations', async () => {
    h.ollama.behaviour = {
      mode: 'reply',
      text: 'Standard delivery takes a few working days [1]. You can track your parcel from your account.',
    };
    const { caller } = await h.startVisitor();
    const { done, released } = await ask(caller, 'How long does shipping take?');
    // The passages go with this turn, after the standing instructions and the conversation.
    const turn = h.ollama.lastRequest!.messages.at(-1)!;
    expect(turn.role).toBe('user');
    expect(turn.content).toContain('<<<KNOWLEDGE_BASE');
    expect(turn.content).toMatch(/\[1\] ".*"/);
    expect(turn.content.endsWith('How long does shipping take?')).toBe(true);
    expect(h.ollama.lastRequest!.messages[0]!.content).not.toContain('<<<KNOWLEDGE_BASE');
    expect(released).not.toContain('[1]');
    expect(done.message.citations).toHaveLength(1);
    expect(done.message.citations[0]!.url).toMatch(/^http:\/\/localhost:3000\/kb\/[a-z0-9-]+$/);
    const [, reply] = await stored();
    expect(reply!.citations).toEqual([done.message.citations[0]!.articleId]);
    const { messages } = await caller.chat.history();
    expect(messages.at(-1)!.citations).toEqual(done.message.citations);
  });

  it('never shows an internal or draft article to the model, even when it matches best', async () => {
    const em = h.orm.em.fork();
    await createArticle(em, { title: 'Zebra discount codes', body: 'Internal: staff zebra code ZEBRA-STAFF-50 gives fifty percent off.', visibility: 'internal', published: true });
    await createArticle(em, { title: 'Zebra launch', body: 'Draft: the zebra collection launches with code ZEBRA-LAUNCH.', published: false });
    await createArticle(em, { title: 'Zebra patterns', body: 'Our zebra pattern scarves are made of silk.', published: true });
    const { caller } = await h.startVisitor();
    await ask(caller, 'Is there a zebra discount code?');
    const prompts = [...h.ollama.requests, ...h.ollama.structuredRequests].map((r) => JSON.stringify(r.messages)).join('\n');
    expect(prompts).toContain('zebra pattern scarves');
    expect(prompts).not.toContain('ZEBRA-STAFF-50');
    expect(prompts).not.toContain('ZEBRA-LAUNCH');
  });

  it("says it doesn't know and offers a human when nothing supports an answer", async () => {
    const { caller } = await h.startVisitor();
    const { done } = await ask(caller, 'What is the airspeed velocity of an unladen swallow?');
    expect(done.message).toMatchObject({ kind: 'escalation_offer', escalationReason: 'ai_uncertain' });
    expect(h.ollama.requests).toHaveLength(0);
  });

  it('still answers small talk without a supporting passage', async () => {
    const { caller } = await h.startVisitor();
    const { done } = await ask(caller, 'Hello!');
    expect(done.message).toMatchObject({ kind: 'text', author: 'ai' });
  });

  it('without a model, answers with the best article excerpt, labelled, and an offer', async () => {
    await h.ollama.stop();
    const { caller } = await h.startVisitor();
    const { done } = await ask(caller, 'How long does shipping take?');
    expect(done.message).toMatchObject({ kind: 'escalation_offer', escalationReason: 'ai_unavailable' });
    expect(done.message.body).toContain('This excerpt from our help article');
    expect(done.message.citations).toHaveLength(1);
    expect(done.message.body).toContain(OFFER_QUESTION);
  });
});
