import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lesson, Message } from '../src/db/entities/index.js';
import { collect, createHarness, errorShape, rejection, type Harness } from './support/harness.js';

let h: Harness;
let member: Awaited<ReturnType<Harness['operator']>>;
let admin: Awaited<ReturnType<Harness['operator']>>;
beforeEach(async () => {
  h = await createHarness();
  member = await h.operator('member', { name: 'Mia Member' });
  admin = await h.operator('admin', { name: 'Ada Admin' });
});
afterEach(async () => {
  await h.close();
});

const WRONG_REPLY = 'We do not ship to Norway at the moment.';
const LESSON = 'Tell visitors that parcels to Norway take 5 working days.';

/** A visitor asks, the fake model answers `reply`; returns the AI reply's id and the chat. */
async function askAndGetReply(question = 'How long does delivery to Norway take?', reply = WRONG_REPLY) {
  h.ollama.behaviour = { mode: 'reply', text: reply };
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(
    visitor.caller.chat.send({ clientMessageId: `m-${Math.random().toString(36).slice(2, 12)}`, text: question }),
  );
  const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
  expect(done.message).toMatchObject({ author: 'ai', kind: 'text', body: reply });
  h.clock.advance(1000);
  return { ...visitor, messageId: done.message.id };
}

/** The visitor turn (its context block included) of the reply to a new visitor's `question`. */
async function promptFor(question: string): Promise<string> {
  h.ollama.behaviour = { mode: 'reply', text: 'Happy to help with that.' };
  const before = h.ollama.requests.length;
  const visitor = await h.startVisitor();
  await collect(visitor.caller.chat.send({ clientMessageId: `p-${Math.random().toString(36).slice(2, 12)}`, text: question }));
  expect(h.ollama.requests.length).toBe(before + 1); // the model was asked for this reply
  return h.ollama.requests.at(-1)!.messages.at(-1)!.content;
}

describe('flagging an AI reply', () => {
  it('turns the correction into a one-line lesson written by the model, waiting for review', async () => {
    const { messageId, sessionId } = await askAndGetReply();
    h.ollama.behaviour = { mode: 'reply', text: `${LESSON}\n` };
    const lesson = await member.caller.admin.lessons.flag({ messageId, correction: 'It takes 5 working days to Norway.' });
    expect(lesson).toMatchObject({
      text: LESSON,
      writtenBy: 'model',
      status: 'pending',
      correction: 'It takes 5 working days to Norway.',
      reply: { messageId, body: WRONG_REPLY, question: 'How long does delivery to Norway take?', sessionId },
      flaggedBy: { id: member.operator.id, name: 'Mia Member' },
      reviewedBy: null,
    });
    // The model was shown the exchange and the correction.
    const request = h.ollama.requests.at(-1)!;
    expect(request.messages.at(-1)!.content).toContain(WRONG_REPLY);
    expect(request.messages.at(-1)!.content).toContain('It takes 5 working days to Norway.');
    // The history shows the flag on the reply, which is unchanged.
    const chat = await member.caller.admin.chats.get({ sessionId });
    expect(chat.messages.find((m) => m.id === messageId)).toMatchObject({
      body: WRONG_REPLY,
      lessons: [{ id: lesson.id, status: 'pending', text: LESSON }],
    });
  });

  it("uses the operator's own words when the model is down", async () => {
    const { messageId } = await askAndGetReply();
    await h.ollama.stop();
    const lesson = await member.caller.admin.lessons.flag({ messageId, correction: '  Delivery to Norway takes 5 working days.  ' });
    expect(lesson).toMatchObject({ text: 'Delivery to Norway takes 5 working days.', writtenBy: 'operator', status: 'pending' });
  });

  it('works without a correction', async () => {
    const { messageId } = await askAndGetReply();
    await h.ollama.stop();
    const lesson = await member.caller.admin.lessons.flag({ messageId });
    expect(lesson).toMatchObject({ correction: null, writtenBy: 'operator', status: 'pending' });
    expect(lesson.text).toContain('Do not answer');
  });

  it('never rewrites the reply that was sent, even once the lesson is approved and edited', async () => {
    const { messageId, caller } = await askAndGetReply();
    h.ollama.behaviour = { mode: 'reply', text: LESSON };
    const lesson = await member.caller.admin.lessons.flag({ messageId, correction: 'Five working days.' });
    await admin.caller.admin.lessons.update({ id: lesson.id, status: 'approved' });
    await admin.caller.admin.lessons.update({ id: lesson.id, text: 'Say 5 working days for Norway.' });
    const stored = await h.orm.em.fork().findOneOrFail(Message, { id: messageId });
    expect(stored.body).toBe(WRONG_REPLY);
    const history = await caller.chat.history();
    expect(history.messages.find((m) => m.id === messageId)!.body).toBe(WRONG_REPLY);
  });

  it('refuses visitor messages and replies the safety rules held back (never sent)', async () => {
    const { sessionId } = await askAndGetReply();
    const chat = await member.caller.admin.chats.get({ sessionId });
    const visitorMessage = chat.messages.find((m) => m.author === 'visitor')!;
    const error = await rejection(member.caller.admin.lessons.flag({ messageId: visitorMessage.id }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Only replies written by the assistant can be flagged.' });

    h.ollama.behaviour = { mode: 'reply', text: 'Sure, I will refund you in full today.' };
    const unsafe = await h.startVisitor();
    await collect(unsafe.caller.chat.send({ clientMessageId: 'unsafe-1', text: 'My parcel arrived broken.' }));
    const held = (await member.caller.admin.chats.get({ sessionId: unsafe.sessionId })).messages.find((m) => m.kind === 'suppressed')!;
    expect((await rejection(member.caller.admin.lessons.flag({ messageId: held.id }))).code).toBe('NOT_FOUND');
    expect(await h.orm.em.fork().count(Lesson)).toBe(0);
  });

  it('refuses a correction that is too long, with a readable message', async () => {
    const { messageId } = await askAndGetReply();
    const error = await rejection(member.caller.admin.lessons.flag({ messageId, correction: 'x'.repeat(2001) }));
    expect(errorShape(error)).toMatchObject({
      message: 'Keep the correction under 2,000 characters.',
      data: { code: 'BAD_REQUEST', fieldErrors: { correction: 'Keep the correction under 2,000 characters.' } },
    });
  });
});

describe('approved lessons in later prompts', () => {
  async function flaggedLesson() {
    const { messageId } = await askAndGetReply();
    h.ollama.behaviour = { mode: 'reply', text: LESSON };
    return member.caller.admin.lessons.flag({ messageId, correction: 'Five working days.' });
  }

  it('an approved lesson appears in the next relevant prompt; a pending one does not', async () => {
    const lesson = await flaggedLesson();
    expect(await promptFor('How long do parcels to Norway take?')).not.toContain(LESSON);

    const approved = await admin.caller.admin.lessons.update({ id: lesson.id, status: 'approved' });
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: { id: admin.operator.id, name: 'Ada Admin' } });
    expect(await promptFor('How long do parcels to Norway take?')).toContain(LESSON);
    // An unrelated question does not carry it.
    expect(await promptFor('Can I pay with a gift card?')).not.toContain(LESSON);
  });

  it('a disabled lesson stays out of prompts, and an edited one goes in with its new words', async () => {
    const lesson = await flaggedLesson();
    await admin.caller.admin.lessons.update({ id: lesson.id, status: 'approved' });
    await admin.caller.admin.lessons.update({ id: lesson.id, status: 'disabled' });
    expect(await promptFor('How long do parcels to Norway take?')).not.toContain(LESSON);

    const edited = await admin.caller.admin.lessons.update({ id: lesson.id, status: 'approved', text: 'Say parcels reach Norway in 5 working days.' });
    expect(edited).toMatchObject({ text: 'Say parcels reach Norway in 5 working days.', writtenBy: 'operator', status: 'approved' });
    expect(await promptFor('How long do parcels to Norway take?')).toContain('Say parcels reach Norway in 5 working days.');
  });

  it('a deleted lesson is gone from the list and from prompts', async () => {
    const lesson = await flaggedLesson();
    await admin.caller.admin.lessons.update({ id: lesson.id, status: 'approved' });
    expect(await admin.caller.admin.lessons.delete({ id: lesson.id })).toEqual({ ok: true });
    expect((await member.caller.admin.lessons.list()).items).toEqual([]);
    expect(await promptFor('How long do parcels to Norway take?')).not.toContain(LESSON);
    expect((await rejection(admin.caller.admin.lessons.delete({ id: lesson.id }))).code).toBe('NOT_FOUND');
  });
});

describe('the Lessons page', () => {
  it('lists the review queue first (oldest flag first), then approved and disabled lessons', async () => {
    const names = ['one', 'two', 'three', 'four'] as const;
    const replies: number[] = [];
    for (const name of names) replies.push((await askAndGetReply(`Question ${name} about Norway?`, `Reply ${name}.`)).messageId);
    await h.ollama.stop(); // lessons in the operators' own words, easy to tell apart
    const ids: Record<string, number> = {};
    for (const [i, name] of names.entries()) {
      ids[name] = (await member.caller.admin.lessons.flag({ messageId: replies[i]!, correction: `Lesson ${name}.` })).id;
      h.clock.advance(1000);
    }
    await admin.caller.admin.lessons.update({ id: ids.one!, status: 'approved' });
    h.clock.advance(1000);
    await admin.caller.admin.lessons.update({ id: ids.three!, status: 'disabled' });

    const { items } = await member.caller.admin.lessons.list();
    expect(items.map((l) => [l.text, l.status])).toEqual([
      ['Lesson two.', 'pending'],
      ['Lesson four.', 'pending'],
      ['Lesson three.', 'disabled'],
      ['Lesson one.', 'approved'],
    ]);
    expect((await member.caller.admin.lessons.list({ status: 'approved' })).items.map((l) => l.id)).toEqual([ids.one]);
    expect((await member.caller.admin.lessons.list({ status: 'pending' })).items.map((l) => l.id)).toEqual([ids.two, ids.four]);
  });

  it('members may flag and read lessons, but only admins review them', async () => {
    const { messageId } = await askAndGetReply();
    const lesson = await member.caller.admin.lessons.flag({ messageId });
    const error = await rejection(member.caller.admin.lessons.update({ id: lesson.id, status: 'approved' }));
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'Only an admin or owner can do this.' });
    expect((await rejection(member.caller.admin.lessons.delete({ id: lesson.id }))).code).toBe('FORBIDDEN');
    expect((await member.caller.admin.lessons.list()).items.map((l) => l.status)).toEqual(['pending']);
  });

  it('refuses an empty lesson text or an update that changes nothing, in words', async () => {
    const { messageId } = await askAndGetReply();
    const lesson = await member.caller.admin.lessons.flag({ messageId });
    const empty = await rejection(admin.caller.admin.lessons.update({ id: lesson.id, text: '   ' }));
    expect(errorShape(empty)).toMatchObject({ message: 'A lesson needs some text.', data: { code: 'BAD_REQUEST' } });
    const nothing = await rejection(admin.caller.admin.lessons.update({ id: lesson.id }));
    expect(errorShape(nothing)).toMatchObject({ message: 'Say what to change: the text or the status.', data: { code: 'BAD_REQUEST' } });
    expect((await rejection(admin.caller.admin.lessons.update({ id: 999, status: 'approved' }))).code).toBe('NOT_FOUND');
  });
});
