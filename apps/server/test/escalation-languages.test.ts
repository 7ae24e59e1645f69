import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Message } from '../src/db/entities/index.js';
import { seedDemoKnowledgeBase } from '../src/domain/knowledge/demo-knowledge-base.js';
import { offerText } from '../src/domain/escalation/offers.js';
import { LEXICONS } from '../src/domain/escalation/lexicons/index.js';
import { collect, createHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function ask(text: string) {
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(
    visitor.caller.chat.send({
      clientMessageId: `lang-${Math.random().toString(36).slice(2, 12)}`,
      text,
    }),
  );
  const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
  return { ...visitor, events, done };
}

describe('a request for a person in the visitor’s language', () => {
  it('gets an offer without the model, stored with the rule that fired and the language', async () => {
    const { done, sessionId } = await ask('Je voudrais parler à un conseiller, s’il vous plaît.');
    expect(done.message).toMatchObject({
      kind: 'escalation_offer',
      escalationReason: 'human_requested',
      body: offerText('human_requested'),
    });
    expect(h.ollama.log).toHaveLength(0); // no model call of any kind
    const stored = await h.orm.em.fork().findOneOrFail(Message, { id: done.message.id });
    expect(stored).toMatchObject({
      escalationRule: 'human.contact_person',
      escalationLanguage: 'fr',
    });

    // The console shows which rule fired, what it recognises, and in which language.
    const agent = await h.operator('member');
    const chat = await agent.caller.admin.chats.get({ sessionId });
    expect(chat.messages.find((m) => m.kind === 'escalation_offer')).toMatchObject({
      escalationRule: {
        id: 'human.contact_person',
        language: 'fr',
        languageName: 'French',
        description: expect.stringContaining('person'),
      },
    });
  });

  it.each([
    ['Mir wurde der Betrag doppelt abgebucht', 'financial_dispute', 'de'],
    ['Conforme al RGPD, solicito que borren mis datos', 'data_privacy', 'es'],
    ['Abbiamo ricevuto una citazione in giudizio', 'legal_compliance', 'it'],
    ['Estou desesperada, preciso do remédio hoje', 'distress_urgent', 'pt'],
    ['Ik wil een medewerker spreken', 'human_requested', 'nl'],
  ] as const)('"%s" → %s (%s)', async (text, reason, language) => {
    const { done } = await ask(text);
    expect(done.message).toMatchObject({ kind: 'escalation_offer', escalationReason: reason });
    const stored = await h.orm.em.fork().findOneOrFail(Message, { id: done.message.id });
    expect(stored.escalationLanguage).toBe(language);
    expect(h.ollama.requests).toHaveLength(0);
  });

  it('an offer the model asked for names no rule', async () => {
    h.ollama.judgement = {
      can_answer: false,
      confidence: 80,
      needs_human: true,
      reason: 'financial_dispute',
    };
    const { done, sessionId } = await ask('The amount I paid is different from the receipt');
    expect(done.message).toMatchObject({
      kind: 'escalation_offer',
      escalationReason: 'financial_dispute',
    });
    const agent = await h.operator('member');
    const chat = await agent.caller.admin.chats.get({ sessionId });
    expect(chat.messages.find((m) => m.kind === 'escalation_offer')).toMatchObject({
      escalationRule: null,
    });
  });
});

describe('small talk', () => {
  beforeEach(async () => {
    // A knowledge base with nothing on thanks or "ok": without small talk, an "I don't know" offer.
    await seedDemoKnowledgeBase(h.orm.em.fork());
  });

  it('thanks get a kind reply in the visitor’s language, without the model or an offer', async () => {
    const { done, events } = await ask('Merci beaucoup, c’est réglé !');
    expect(done.message).toMatchObject({
      kind: 'text',
      author: 'ai',
      body: LEXICONS.fr.replies.thanks,
      escalationReason: null,
    });
    expect(events.map((e) => e.type)).toEqual(['accepted', 'delta', 'done']);
    expect(h.ollama.log).toHaveLength(0); // no model call of any kind
    const stored = await h.orm.em.fork().findOneOrFail(Message, { id: done.message.id });
    expect(stored.model).toBeNull();
  });

  it('is answered even while the model is down', async () => {
    await h.ollama.stop();
    const { done } = await ask('Danke, das hat geholfen!');
    expect(done.message).toMatchObject({
      kind: 'text',
      author: 'ai',
      body: LEXICONS.de.replies.thanks,
    });
  });

  it('a bare "ok" still goes to the model (it may answer the assistant’s question), never to an offer', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Great, I will send the link now.' };
    const { done } = await ask('ok');
    expect(done.message).toMatchObject({ kind: 'text', body: 'Great, I will send the link now.' });
    expect(h.ollama.requests).toHaveLength(1);
  });
});
