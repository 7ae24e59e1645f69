import type { SendMessageEvent } from '@ticket0/contracts';
import { describe, expect, it } from 'vitest';
import { Message, Operator, OutboxEmail, Ticket } from '../src/db/entities/index.js';
import { assignWaitingTickets } from '../src/domain/operators/assignment.js';
import { updateSettings } from '../src/domain/settings/settings.js';
import { collect, freshHarnessPerTest, rejection, type Harness } from './support/harness.js';

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

const em = () => h.orm.em.fork();

/** A visitor whose last message earned an escalation offer; returns the offer's id. */
async function visitorWithOffer(text = 'I will take you to court over this') {
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(visitor.caller.chat.send({ clientMessageId: `offer-${Math.random().toString(36).slice(2, 10)}`, text }));
  const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
  expect(done.message.kind).toBe('escalation_offer');
  return { ...visitor, offerId: done.message.id };
}

describe('confirming an escalation', () => {
  it('creates an email ticket with summary, reason, requester, link back, tags and priority, linked both ways', async () => {
    h.ollama.behaviour = { mode: 'reply', text: 'Customer threatens legal action over a late delivery.' };
    const { caller, offerId, sessionId } = await visitorWithOffer();
    const result = await caller.escalation.confirm({ offerId, email: 'Ana@Example.com' });

    const ticket = await em().findOneOrFail(Ticket, { id: result.ticketId }, { populate: ['linkedTicket'] });
    expect(ticket).toMatchObject({
      source: 'email',
      status: 'open',
      requesterEmail: 'ana@example.com',
      escalationReason: 'legal_compliance',
      aiSummary: 'Customer threatens legal action over a late delivery.',
      priority: 'urgent',
    });
    expect(ticket.subject).toBe('Chat follow-up: I will take you to court over this');
    expect(ticket.tags).toEqual(expect.arrayContaining(['escalated', 'legal']));
    const chatTicket = await em().findOneOrFail(Ticket, { id: ticket.linkedTicket!.id }, { populate: ['linkedTicket'] });
    expect(chatTicket.source).toBe('chat');
    expect(chatTicket.linkedTicket!.id).toBe(ticket.id);
    expect(chatTicket.status).toBe('open');

    const note = await em().findOneOrFail(Message, { ticket: ticket.id, author: 'system' });
    expect(note.body).toContain(`/admin/chats/${sessionId}`);

    expect(result.confirmation).toMatchObject({ kind: 'escalation_confirmation', author: 'system' });
    expect(result.confirmation.body).toContain('ana@example.com');
    expect(result.offer.offerStatus).toBe('accepted');

    const mail = await em().findOneOrFail(OutboxEmail, { ticket: ticket.id });
    expect(mail.to).toBe('ana@example.com');
    expect(mail.subject).toContain(`#${ticket.id}`);
    expect(mail.html).toBeTruthy();
  });

  it.each([
    ['financial_dispute', 'You charged me twice!', ['billing'], 'high'],
    ['data_privacy', 'Delete my personal data now', ['privacy'], 'high'],
    ['distress_urgent', "I'm desperate, I need help right now", ['urgent'], 'urgent'],
    ['human_requested', 'Let me talk to a person', [], 'normal'],
  ])('tags and prioritises %s from the reason map', async (reason, text, tags, priority) => {
    const { caller, offerId } = await visitorWithOffer(text);
    const { ticketId } = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    const ticket = await em().findOneOrFail(Ticket, { id: ticketId });
    expect(ticket.escalationReason).toBe(reason);
    expect(ticket.tags).toEqual(['escalated', ...tags]);
    expect(ticket.priority).toBe(priority);
  });

  it('follows the reason map as changed in the settings', async () => {
    await updateSettings(em(), h.services, { reasonMap: { legal_compliance: { tags: ['lawyers'], priority: 'high' } } });
    const { caller, offerId } = await visitorWithOffer();
    const { ticketId } = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    expect(await em().findOneOrFail(Ticket, { id: ticketId })).toMatchObject({ tags: ['escalated', 'lawyers'], priority: 'high' });
  });

  it('confirming twice, or twice at once, creates one ticket', async () => {
    const { caller, offerId } = await visitorWithOffer();
    const [a, b] = await Promise.all([
      caller.escalation.confirm({ offerId, email: 'x@example.com' }),
      caller.escalation.confirm({ offerId, email: 'x@example.com' }),
    ]);
    const c = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    expect(new Set([a.ticketId, b.ticketId, c.ticketId]).size).toBe(1);
    expect(a.confirmation.id).toBe(c.confirmation.id);
    expect(await em().count(Ticket, { source: 'email' })).toBe(1);
    expect(await em().count(Message, { kind: 'escalation_confirmation' })).toBe(1);
    expect(await em().count(OutboxEmail, {})).toBe(1);
  });

  it("refuses an offer from another session's chat", async () => {
    const mine = await visitorWithOffer();
    const other = await h.startVisitor();
    const error = await rejection(other.caller.escalation.confirm({ offerId: mine.offerId, email: 'x@example.com' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(await em().count(Ticket, { source: 'email' })).toBe(0);
  });

  it('refuses a message that is not an offer', async () => {
    const { caller } = await h.startVisitor();
    const events = await collect<SendMessageEvent>(caller.chat.send({ clientMessageId: 'plain-question', text: 'Hello' }));
    const error = await rejection(caller.escalation.confirm({ offerId: (events[0] as { message: { id: number } }).message.id, email: 'x@example.com' }));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('asks for an email address when the chat has none, and checks it', async () => {
    const { caller, offerId } = await visitorWithOffer();
    const missing = await rejection(caller.escalation.confirm({ offerId }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(missing.message).toContain('email address');
    const invalid = await rejection(caller.escalation.confirm({ offerId, email: 'not-an-email' }));
    expect(invalid.code).toBe('BAD_REQUEST');
    expect(invalid.message).toContain('valid email address');
    expect(await em().count(Ticket, { source: 'email' })).toBe(0);
  });

  it('writes an extractive summary when the model is down', async () => {
    const { caller, offerId } = await visitorWithOffer('I want a human, my parcel 4471 never arrived');
    await h.ollama.stop();
    const { ticketId } = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    const ticket = await em().findOneOrFail(Ticket, { id: ticketId });
    expect(ticket.aiSummary).toContain('my parcel 4471 never arrived');
  });

  it('keeps the chat open: the assistant answers the next message', async () => {
    const { caller, offerId } = await visitorWithOffer();
    await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    h.ollama.behaviour = { mode: 'reply', text: 'Sure, our opening hours are nine to five.' };
    const events = await collect<SendMessageEvent>(caller.chat.send({ clientMessageId: 'after-escalation', text: 'When are you open?' }));
    expect(events.at(-1)).toMatchObject({ message: { kind: 'text', author: 'ai' } });
  });

  it('a later escalation in the same chat adds to the existing email ticket', async () => {
    const { caller, offerId } = await visitorWithOffer();
    const first = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    const again = await collect<SendMessageEvent>(caller.chat.send({ clientMessageId: 'second-escalation', text: 'You charged me twice as well!' }));
    const secondOffer = (again.at(-1) as Extract<SendMessageEvent, { type: 'done' }>).message;
    const second = await caller.escalation.confirm({ offerId: secondOffer.id, email: 'x@example.com' });
    expect(second.ticketId).toBe(first.ticketId);
    expect(await em().count(Ticket, { source: 'email' })).toBe(1);
    const ticket = await em().findOneOrFail(Ticket, { id: first.ticketId });
    expect(ticket.tags).toEqual(expect.arrayContaining(['legal', 'billing']));
    expect(await em().count(Message, { ticket: first.ticketId, author: 'system' })).toBe(2);
  });

  it('declining keeps the chat going and the offer can still be accepted later', async () => {
    const { caller, offerId } = await visitorWithOffer();
    const declined = await caller.escalation.decline({ offerId });
    expect(declined.offerStatus).toBe('declined');
    expect(await em().count(Ticket, { source: 'email' })).toBe(0);
    const later = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    expect(later.offer.offerStatus).toBe('accepted');
  });
});

describe('"Talk to a human"', () => {
  it('stores a human_requested offer, once while it is pending', async () => {
    const { caller } = await h.startVisitor();
    const offer = await caller.escalation.request();
    expect(offer).toMatchObject({ kind: 'escalation_offer', escalationReason: 'human_requested', offerStatus: 'pending' });
    expect((await caller.escalation.request()).id).toBe(offer.id);
    const { ticketId } = await caller.escalation.confirm({ offerId: offer.id, email: 'x@example.com' });
    expect(await em().findOneOrFail(Ticket, { id: ticketId })).toMatchObject({ escalationReason: 'human_requested' });
  });

  it('needs the chat session credential', async () => {
    const error = await rejection(h.anonymous().escalation.request());
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('auto-assignment of escalated tickets', () => {
  async function setOperator(id: number, change: Partial<Pick<Operator, 'availability' | 'capacity' | 'joinedAt'>>) {
    const fork = em();
    const operator = await fork.findOneOrFail(Operator, { id });
    Object.assign(operator, change);
    await fork.flush();
  }
  async function escalate() {
    const { caller, offerId } = await visitorWithOffer();
    const { ticketId } = await caller.escalation.confirm({ offerId, email: 'x@example.com' });
    return em().findOneOrFail(Ticket, { id: ticketId }, { populate: ['assignee'] });
  }

  it('gives the ticket to the least-loaded available operator', async () => {
    const { operator: busy } = await h.operator('member');
    const { operator: free } = await h.operator('member');
    await setOperator(busy.id, { joinedAt: new Date('2025-01-01') });
    await setOperator(free.id, { joinedAt: new Date('2025-06-01') });
    expect((await escalate()).assignee?.id).toBe(busy.id); // tie: earliest joined
    expect((await escalate()).assignee?.id).toBe(free.id); // now the least loaded
  });

  it('leaves the ticket unassigned when auto-assign is off', async () => {
    await h.operator('member');
    await updateSettings(em(), h.services, { autoAssign: false });
    expect((await escalate()).assignee).toBeNull();
  });

  it('assigns a waiting ticket by itself when an operator comes back from away', async () => {
    h.services.assignment.start();
    try {
      const { operator, caller } = await h.operator('member');
      await caller.admin.auth.setAvailability({ availability: 'away' });
      const ticket = await escalate();
      expect(ticket.assignee).toBeNull();
      await caller.admin.auth.setAvailability({ availability: 'available' });
      await expect
        .poll(async () => (await em().findOneOrFail(Ticket, { id: ticket.id }, { populate: ['assignee'] })).assignee?.id)
        .toBe(operator.id);
    } finally {
      await h.services.assignment.stop();
    }
  });

  it('waits unassigned while nobody is free, then goes to whoever frees up', async () => {
    const { operator } = await h.operator('member');
    await setOperator(operator.id, { availability: 'away' });
    const ticket = await escalate();
    expect(ticket.assignee).toBeNull();

    await setOperator(operator.id, { availability: 'available', capacity: 0 });
    expect(await assignWaitingTickets(em(), h.services)).toEqual([]);

    await setOperator(operator.id, { capacity: 1 });
    const assigned = await assignWaitingTickets(em(), h.services);
    expect(assigned.map((t) => t.id)).toEqual([ticket.id]);
  });
});
