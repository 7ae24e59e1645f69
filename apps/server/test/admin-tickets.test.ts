import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Message, OutboxEmail, Ticket } from '../src/db/entities/index.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { createHarness, rejection, type Harness } from './support/harness.js';

let h: Harness;
let ana: Awaited<ReturnType<Harness['operator']>>;
let ben: Awaited<ReturnType<Harness['operator']>>;
beforeEach(async () => {
  h = await createHarness();
  ana = await h.operator('member', { name: 'Ana' });
  ben = await h.operator('member', { name: 'Ben' });
});
afterEach(async () => {
  await h.close();
});

async function ticket(subject: string, extra: Partial<Parameters<typeof createEmailTicket>[2]> = {}) {
  h.clock.advance(1000);
  return createEmailTicket(h.orm.em.fork(), h.services, { subject, requesterEmail: 'cus@example.com', ...extra });
}

describe('the ticket queue', () => {
  it('shows mine, unassigned or all email tickets, newest change first, and filters by status', async () => {
    const mine = await ticket('Mine', { assignee: ana.operator });
    const theirs = await ticket('Theirs', { assignee: ben.operator });
    const nobody = await ticket('Nobody');
    h.clock.advance(1000);
    await ana.caller.admin.tickets.setStatus({ id: theirs.id, status: 'pending' });
    const { sessionId } = await h.startVisitor(); // its chat ticket never shows in the queue
    expect(sessionId).toBeTruthy();

    const ids = async (input: Parameters<typeof ana.caller.admin.tickets.list>[0]) =>
      (await ana.caller.admin.tickets.list(input)).items.map((t) => t.id);
    expect(await ids({ view: 'mine' })).toEqual([mine.id]);
    expect(await ids({ view: 'unassigned' })).toEqual([nobody.id]);
    expect(await ids({ view: 'all' })).toEqual([theirs.id, nobody.id, mine.id]);
    expect(await ids({ view: 'all', status: 'pending' })).toEqual([theirs.id]);
    expect(await ids({ view: 'all', status: 'closed' })).toEqual([]);
  });

  it('pages through the queue with a cursor', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.unshift((await ticket(`T${i}`)).id);
    const first = await ana.caller.admin.tickets.list({ limit: 3 });
    const second = await ana.caller.admin.tickets.list({ limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((t) => t.id)).toEqual(created);
    expect(second.nextCursor).toBeNull();
  });
});

describe('a ticket', () => {
  it('shows its summary, escalation reason, tags, priority, requester, assignee and the chat it came from', async () => {
    const { sessionId } = await h.startVisitor();
    const created = await ana.caller.admin.tickets.create({
      requesterEmail: 'Carl@Example.com',
      subject: 'Refund for order 1234',
      summary: 'Customer was charged twice.',
      chatSessionId: sessionId,
      priority: 'high',
      tags: ['billing', 'Billing'],
    });
    const detail = await ana.caller.admin.tickets.get({ id: created.id });
    expect(detail).toMatchObject({
      subject: 'Refund for order 1234',
      status: 'open',
      priority: 'high',
      tags: ['billing'],
      requesterEmail: 'carl@example.com',
      aiSummary: 'Customer was charged twice.',
      assignee: { id: ana.operator.id, name: 'Ana' },
      chatSessionId: sessionId,
      escalationReason: null,
      messages: [],
    });
    const escalated = await ticket('Legal threat', { escalationReason: 'legal_compliance', tags: ['legal'], priority: 'urgent' });
    expect(await ana.caller.admin.tickets.get({ id: escalated.id })).toMatchObject({
      escalationReason: 'legal_compliance',
      tags: ['legal'],
      priority: 'urgent',
      chatSessionId: null,
    });
  });

  it('a chat spawns at most one email ticket, linked both ways', async () => {
    const { sessionId } = await h.startVisitor();
    const created = await ana.caller.admin.tickets.create({ requesterEmail: 'a@example.com', subject: 'One', chatSessionId: sessionId });
    const again = await rejection(
      ana.caller.admin.tickets.create({ requesterEmail: 'a@example.com', subject: 'Two', chatSessionId: sessionId }),
    );
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain(`#${created.id}`);
    const emailTicket = await h.orm.em.fork().findOneOrFail(Ticket, { id: created.id }, { populate: ['linkedTicket'] });
    expect(emailTicket.linkedTicket?.source).toBe('chat');
    const chatTicket = await h.orm.em.fork().findOneOrFail(Ticket, { id: emailTicket.linkedTicket!.id });
    expect(chatTicket.linkedTicket?.id).toBe(created.id);
  });

  it('a reply is stored on the ticket as the operator and queued as mail to the requester', async () => {
    const t = await ticket('Question');
    const detail = await ana.caller.admin.tickets.reply({ id: t.id, body: '  Thanks for writing in.  ' });
    expect(detail.messages).toMatchObject([{ author: 'operator', body: 'Thanks for writing in.', sentBy: 'Ana', delivery: 'queued' }]);
    const [mail] = await h.orm.em.fork().find(OutboxEmail, {}, { populate: ['message'] });
    expect(mail).toMatchObject({ to: 'cus@example.com', status: 'queued', subject: `Re: Question [#${t.id}]` });
    expect(mail!.message!.id).toBe(detail.messages[0]!.id);
  });

  it('cannot be replied to without a requester address, and stores nothing then', async () => {
    const t = await ticket('No address', { requesterEmail: null });
    const error = await rejection(ana.caller.admin.tickets.reply({ id: t.id, body: 'Hello?' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(await h.orm.em.fork().count(Message, {})).toBe(0);
    expect(await h.orm.em.fork().count(OutboxEmail, {})).toBe(0);
  });

  it('moves through every status', async () => {
    const t = await ticket('Status');
    for (const status of ['pending', 'snoozed', 'resolved', 'closed', 'open'] as const) {
      expect((await ana.caller.admin.tickets.setStatus({ id: t.id, status })).status).toBe(status);
    }
  });

  it('is reassigned to another operator, or back to unassigned', async () => {
    const t = await ticket('Assign', { assignee: ana.operator });
    expect((await ana.caller.admin.tickets.assign({ id: t.id, operatorId: ben.operator.id })).assignee?.name).toBe('Ben');
    expect((await ben.caller.admin.tickets.list({ view: 'mine' })).items.map((x) => x.id)).toEqual([t.id]);
    expect((await ana.caller.admin.tickets.assign({ id: t.id, operatorId: null })).assignee).toBeNull();
    expect((await rejection(ana.caller.admin.tickets.assign({ id: t.id, operatorId: 999 }))).code).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for a chat ticket id: those live in Live Chat', async () => {
    const { sessionId } = await h.startVisitor();
    const detail = await ana.caller.admin.chats.get({ sessionId });
    expect((await rejection(ana.caller.admin.tickets.get({ id: detail.ticketId }))).code).toBe('NOT_FOUND');
  });

  it('tells open consoles when it changes', async () => {
    const t = await ticket('Watched');
    const changed: number[] = [];
    const off = h.services.events.subscribe('ticket.changed', (e) => changed.push(e.ticketId));
    await ana.caller.admin.tickets.setStatus({ id: t.id, status: 'pending' });
    await ana.caller.admin.tickets.assign({ id: t.id, operatorId: ben.operator.id });
    off();
    expect(changed).toEqual([t.id, t.id]);
  });
});
