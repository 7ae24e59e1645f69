import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Message } from '../src/db/entities/index.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { OFFER_QUESTION } from '../src/domain/escalation/escalation.js';
import { createArticle } from '../src/domain/knowledge/articles.js';
import { SAFE_FALLBACK_REPLY } from '../src/domain/reply/safety/safety.js';
import { seedDemoKnowledgeBase } from '../src/domain/knowledge/demo-knowledge-base.js';
import { FOREIGN_DATA, injectionCorpus, OTHER_CUSTOMERS } from './fixtures/injection-corpus.js';
import { SHOP_VERIFIED_CUSTOMER } from './fixtures/ordinary-answers.js';
import { collect, createHarness, verifyVisitor, type Harness } from './support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

type Done = Extract<SendMessageEvent, { type: 'done' }>;
const stored = () => h.orm.em.fork().find(Message, {}, { orderBy: { id: 'asc' } });
let counter = 0;
async function ask(caller: Awaited<ReturnType<Harness['startVisitor']>>['caller'], text: string) {
  const events = await collect<SendMessageEvent>(caller.chat.send({ clientMessageId: `pipeline-${++counter}-abc`, text }));
  const released = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
  return { events, released, done: events.at(-1) as Done };
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
    for (const other of OTHER_CUSTOMERS) await upsertCustomer(h.orm.em.fork(), h.clock, { email: other.email, name: other.name });
    await upsertCustomer(h.orm.em.fork(), h.clock, { email: SHOP_VERIFIED_CUSTOMER.email, name: 'Alice Martin' });

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
    const system = h.ollama.lastRequest!.messages[0]!.content;
    expect(system).toContain('<<<KNOWLEDGE_BASE');
    expect(system).toMatch(/\[1\] ".*"/);
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
    const prompts = [...h.ollama.requests, ...h.ollama.judgementRequests].map((r) => JSON.stringify(r.messages)).join('\n');
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
