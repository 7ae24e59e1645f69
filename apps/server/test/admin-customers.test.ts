import { describe, expect, it } from 'vitest';
import { ChatSession } from '../src/db/entities/index.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { freshConsolePerTest, rejection, type Harness, type SignedInOperator } from './support/harness.js';

let h: Harness;
let agent: SignedInOperator;
freshConsolePerTest('member', (harness, operator) => {
  h = harness;
  agent = operator;
});

async function customer(email: string, name: string | null, extra: { externalId?: string; metadata?: Record<string, string> } = {}) {
  const { customer } = await upsertCustomer(h.orm.em.fork(), h.services, { email, name, ...extra });
  h.clock.advance(1000);
  return customer;
}

describe('customers in the console', () => {
  it('lists customers newest first and finds them by part of their email or name', async () => {
    const ana = await customer('ana@example.com', 'Ana Lima', { externalId: 'cus_1' });
    const bob = await customer('bob@shop.test', 'Bob Stone');
    const carla = await customer('carla@example.com', 'Carla Diaz');

    const all = await agent.caller.admin.customers.list();
    expect(all.items.map((c) => c.email)).toEqual([carla.email, bob.email, ana.email]);
    expect(all.items[2]).toMatchObject({ id: ana.id, name: 'Ana Lima', externalId: 'cus_1' });

    const byEmail = await agent.caller.admin.customers.list({ query: 'example.com' });
    expect(byEmail.items.map((c) => c.email)).toEqual([carla.email, ana.email]);
    const byName = await agent.caller.admin.customers.list({ query: 'stone' });
    expect(byName.items.map((c) => c.id)).toEqual([bob.id]);
    expect((await agent.caller.admin.customers.list({ query: 'nobody' })).items).toEqual([]);
  });

  it('pages through customers with a cursor without skipping or repeating anyone', async () => {
    const emails: string[] = [];
    for (let i = 0; i < 5; i++) emails.unshift((await customer(`c${i}@example.com`, `Customer ${i}`)).email);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await agent.caller.admin.customers.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(emails);
  });

  it('shows one customer with their metadata, their email tickets and the chats verified as them', async () => {
    const ana = await customer('ana@example.com', 'Ana Lima', { metadata: { plan: 'Pro', country: 'PT' } });
    const em = h.orm.em.fork();
    const older = await createEmailTicket(em, h.services, { subject: 'Late parcel', requesterEmail: 'ana@example.com' });
    h.clock.advance(1000);
    const newer = await createEmailTicket(em, h.services, { subject: 'Refund', requesterEmail: 'ana@example.com' });
    await createEmailTicket(em, h.services, { subject: 'Someone else', requesterEmail: 'bob@example.com' });
    const { sessionId } = await h.startVisitor();
    const session = await em.findOneOrFail(ChatSession, { id: sessionId });
    session.verifiedEmail = 'ana@example.com';
    session.verifiedAt = h.clock.now();
    await em.flush();
    await h.startVisitor(); // an unverified chat is nobody's

    const detail = await agent.caller.admin.customers.get({ id: ana.id });
    expect(detail).toMatchObject({ email: 'ana@example.com', name: 'Ana Lima', metadata: { plan: 'Pro', country: 'PT' } });
    expect(detail.tickets.map((t) => [t.id, t.subject, t.status])).toEqual([
      [newer.id, 'Refund', 'open'],
      [older.id, 'Late parcel', 'open'],
    ]);
    expect(detail.chats.map((c) => c.sessionId)).toEqual([sessionId]);
  });

  it('answers NOT_FOUND for a customer that does not exist', async () => {
    const error = await rejection(agent.caller.admin.customers.get({ id: 999 }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Customer #999 does not exist.');
  });

  it('Live Chat shows the verified email, and the chat links to the customer with it', async () => {
    const ana = await customer('ana@example.com', 'Ana Lima');
    const { sessionId } = await h.startVisitor();
    const { sessionId: stranger } = await h.startVisitor();
    const em = h.orm.em.fork();
    for (const [id, email] of [[sessionId, 'ana@example.com'], [stranger, 'nobody@example.com']] as const) {
      const session = await em.findOneOrFail(ChatSession, { id });
      session.verifiedEmail = email;
      session.verifiedAt = h.clock.now();
    }
    await em.flush();

    const { items } = await agent.caller.admin.chats.list({ filter: 'verified' });
    expect(items.map((c) => [c.sessionId, c.verifiedEmail]).sort()).toEqual(
      [[sessionId, 'ana@example.com'], [stranger, 'nobody@example.com']].sort(),
    );
    expect(await agent.caller.admin.chats.get({ sessionId })).toMatchObject({ verifiedEmail: 'ana@example.com', verifiedCustomerId: ana.id });
    expect(await agent.caller.admin.chats.get({ sessionId: stranger })).toMatchObject({ verifiedCustomerId: null });
  });
});
