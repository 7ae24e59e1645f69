import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxEmail } from '../src/db/entities/index.js';
import { collect, createHarness, rejection, verifyVisitor, type Harness } from './support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const transcripts = () => h.orm.em.fork().find(OutboxEmail, { subject: { $like: 'Your conversation with %' } });

async function chatWithAnswer() {
  h.ollama.behaviour = { mode: 'reply', text: 'Hello! How can I help you today?' };
  const visitor = await h.startVisitor({ origin: 'https://shop.example.com' });
  await collect<SendMessageEvent>(visitor.caller.chat.send({ clientMessageId: 'transcript-0001', text: 'Hello there' }));
  return visitor.caller;
}

describe('"Email me this conversation"', () => {
  it('mails the conversation as the visitor saw it to the verified address, through the outbox', async () => {
    const caller = await chatWithAnswer();
    await verifyVisitor(h, caller, 'ana@example.com');
    expect(await caller.chat.emailTranscript()).toEqual({ email: 'ana@example.com' });
    const [mail] = await transcripts();
    expect(mail).toMatchObject({ to: 'ana@example.com', subject: 'Your conversation with shop.example.com', status: 'queued' });
    expect(mail!.text).toMatch(/You \(.*\):\nHello there\n/);
    expect(mail!.text).toMatch(/AI assistant \(.*\):\nHello! How can I help you today\?/);
  });

  it('refuses a chat without a verified address, so it cannot mail anybody else', async () => {
    const caller = await chatWithAnswer();
    const error = await rejection(caller.chat.emailTranscript());
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Verify your email first');
    expect(await transcripts()).toHaveLength(0);
  });

  it('sends one mail a minute, even to parallel requests', async () => {
    const caller = await chatWithAnswer();
    await verifyVisitor(h, caller, 'ana@example.com');
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => caller.chat.emailTranscript()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code: string }).code).toBe('TOO_MANY_REQUESTS');
    expect(await transcripts()).toHaveLength(1);
    h.clock.advance(61_000);
    await caller.chat.emailTranscript();
    expect(await transcripts()).toHaveLength(2);
  });
});
