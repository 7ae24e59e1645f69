import type { OperatorRole } from '@ticket0/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, ChatSession, Customer, KnowledgeArticle, Lesson, Message, SessionEvaluation, Ticket } from '../src/db/entities/index.js';
import { hasRole } from '../src/domain/operators/auth.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { createArticle } from '../src/domain/knowledge/articles.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { appRouter } from '../src/router/index.js';
import { createHarness, type Harness } from './support/harness.js';

type Access = 'public' | OperatorRole;
interface Fixture {
  sessionId: string;
  ticketId: number;
  memberId: number;
  ownerToken: string;
  customerId: number;
  /** Erased by the first role allowed to: nothing else depends on it. */
  erasableCustomerId: number;
  articleId: number;
  aiMessageId: number;
  lessonId: number;
}

/**
 * Every procedure under `admin.` with the least role that may call it, and an input that
 * passes validation (so an allowed call reaches its handler). A new procedure fails the
 * first test until it is listed here: nobody ships an operator procedure unreviewed.
 */
const ACCESS: Record<string, { min: Access; input?: (f: Fixture) => unknown }> = {
  'admin.auth.signIn': { min: 'public' },
  'admin.auth.session': { min: 'public' },
  'admin.auth.signOut': { min: 'public' },
  'admin.auth.changePassword': {
    min: 'member',
    input: () => ({ currentPassword: 'not the password', newPassword: 'a brand new password' }),
  },
  'admin.auth.setAvailability': { min: 'member', input: () => ({ availability: 'away' }) },
  'admin.chats.list': { min: 'member', input: () => ({ filter: 'all' }) },
  'admin.chats.get': { min: 'member', input: (f) => ({ sessionId: f.sessionId }) },
  'admin.quality.reviewQueue': { min: 'member', input: () => ({}) },
  'admin.quality.markReviewed': { min: 'member', input: (f) => ({ sessionId: f.sessionId }) },
  'admin.lessons.flag': { min: 'member', input: (f) => ({ messageId: f.aiMessageId, correction: 'Say we ship in 2 days.' }) },
  'admin.lessons.list': { min: 'member', input: () => ({}) },
  'admin.lessons.update': { min: 'admin', input: (f) => ({ id: f.lessonId, status: 'approved' }) },
  'admin.lessons.delete': { min: 'admin', input: (f) => ({ id: f.lessonId }) },
  'admin.customers.list': { min: 'member', input: () => ({ query: 'ana' }) },
  'admin.customers.get': { min: 'member', input: (f) => ({ id: f.customerId }) },
  'admin.customers.export': { min: 'admin', input: (f) => ({ id: f.customerId }) },
  'admin.customers.erase': { min: 'admin', input: (f) => ({ id: f.erasableCustomerId }) },
  'admin.audit.list': { min: 'admin', input: () => ({}) },
  'admin.knowledge.list': { min: 'admin', input: () => ({}) },
  'admin.knowledge.get': { min: 'admin', input: (f) => ({ id: f.articleId }) },
  'admin.knowledge.create': {
    min: 'admin',
    input: () => ({ title: `Access check ${Math.random().toString(36).slice(2)}`, body: 'Checking who may write articles.' }),
  },
  'admin.knowledge.update': { min: 'admin', input: (f) => ({ id: f.articleId, published: true }) },
  'admin.knowledge.delete': { min: 'admin', input: (f) => ({ id: f.articleId }) },
  'admin.knowledge.search': { min: 'admin', input: () => ({ query: 'shipping' }) },
  'admin.tickets.list': { min: 'member', input: () => ({ view: 'queue' }) },
  'admin.inbox.counts': { min: 'member' },
  'admin.inbox.markRead': { min: 'member', input: (f) => ({ ticketId: f.ticketId, upToMessageId: 1 }) },
  'admin.inbox.search': { min: 'member', input: () => ({ query: 'parcel' }) },
  'admin.tickets.get': { min: 'member', input: (f) => ({ id: f.ticketId }) },
  'admin.tickets.create': {
    min: 'member',
    input: () => ({ requesterEmail: 'someone@example.com', subject: 'Authorisation check' }),
  },
  'admin.tickets.reply': { min: 'member', input: (f) => ({ id: f.ticketId, body: 'Checking access.' }) },
  'admin.tickets.setStatus': { min: 'member', input: (f) => ({ id: f.ticketId, status: 'pending' }) },
  'admin.tickets.assign': { min: 'member', input: (f) => ({ id: f.ticketId, operatorId: f.memberId }) },
  'admin.team.list': { min: 'member' },
  'admin.team.create': {
    min: 'admin',
    input: () => ({ email: `new-${Math.random().toString(36).slice(2)}@example.com`, name: 'New', role: 'member' }),
  },
  'admin.team.update': { min: 'admin', input: (f) => ({ id: f.memberId, capacity: 3 }) },
  'admin.settings.get': { min: 'admin' },
  'admin.settings.update': { min: 'admin', input: () => ({ autoAssign: false }) },
  'admin.outbox.list': { min: 'admin', input: () => ({}) },
  'admin.outbox.retry': { min: 'admin', input: () => ({ id: 1 }) },
  'admin.live.events': { min: 'member' },
  'admin.mail.original': { min: 'member', input: () => ({ messageId: 1 }) },
  'admin.mail.attachment': { min: 'member', input: () => ({ id: 1 }) },
  'admin.mail.blockedSenders': { min: 'admin' },
  'admin.mail.block': { min: 'admin', input: () => ({ pattern: '@spam.example.com' }) },
  'admin.mail.unblock': { min: 'admin', input: () => ({ id: 1 }) },
  'admin.webhooks.list': { min: 'admin' },
  'admin.webhooks.create': { min: 'admin', input: () => ({ url: 'https://hooks.example.com/t0', events: ['ticket.created'] }) },
  'admin.webhooks.update': { min: 'admin', input: () => ({ id: 1, enabled: false }) },
  'admin.webhooks.delete': { min: 'admin', input: () => ({ id: 999 }) },
  'admin.webhooks.deliveries': { min: 'admin', input: () => ({ endpointId: 1 }) },
  'admin.webhooks.sendTest': { min: 'admin', input: () => ({ id: 1 }) },
};

// At run time `_def.procedures` is flat, keyed by dotted path (its type says otherwise).
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const adminPaths = Object.keys(procedures).filter((path) => path.startsWith('admin.'));
const guarded = adminPaths.filter((path) => ACCESS[path] && ACCESS[path].min !== 'public');

let h: Harness;
let fixture: Fixture;
let callers: Record<'anonymous' | OperatorRole, ReturnType<Harness['console']>>;

beforeAll(async () => {
  h = await createHarness();
  const member = await h.operator('member');
  const admin = await h.operator('admin');
  const owner = await h.operator('owner');
  const { sessionId } = await h.startVisitor();
  const em = h.orm.em.fork();
  const ticket = await createEmailTicket(em, h.services, { subject: 'Refund', requesterEmail: 'ana@example.com' });
  const { customer } = await upsertCustomer(em, h.services, { email: 'ana@example.com', name: 'Ana' });
  const erasable = (await upsertCustomer(em, h.services, { email: 'bo@example.com', name: 'Bo' })).customer;
  const article = await createArticle(em, { title: 'Shipping times', body: 'Parcels arrive in 2 days.', published: true });
  const session = await em.findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
  const reply = em.create(Message, { ticket: session.ticket, author: 'ai', body: 'Parcels arrive in a week.' });
  const now = h.clock.now();
  em.create(SessionEvaluation, {
    session,
    accuracy: 40,
    completeness: 50,
    resolution: 40,
    score: 43,
    method: 'heuristic',
    inReview: true,
    messageCount: 1,
    evaluatedAt: now,
  });
  await em.flush();
  const lesson = em.create(Lesson, { message: reply, text: 'Say parcels arrive in 2 days.', writtenBy: 'operator', createdAt: now, updatedAt: now });
  await em.flush();
  fixture = {
    sessionId,
    ticketId: ticket.id,
    memberId: member.operator.id,
    ownerToken: owner.token,
    customerId: customer.id,
    erasableCustomerId: erasable.id,
    articleId: article.id,
    aiMessageId: reply.id,
    lessonId: lesson.id,
  };
  callers = { anonymous: h.console(), member: member.caller, admin: admin.caller, owner: owner.caller };
});
afterAll(async () => {
  await h.close();
});

/** Calls `path` through `caller` and returns the tRPC error code, or 'OK'. */
async function outcome(caller: ReturnType<Harness['console']>, path: string): Promise<string> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input?: unknown,
  ) => Promise<unknown>;
  try {
    const result = await fn(ACCESS[path]?.input?.(fixture));
    // A subscription that was allowed: close it again.
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.(undefined);
    }
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('operator procedures', () => {
  it('every admin procedure has a minimum role in the access table, and the table lists no others', () => {
    expect(adminPaths.length).toBeGreaterThan(10);
    expect(adminPaths.filter((path) => !ACCESS[path])).toEqual([]);
    expect(Object.keys(ACCESS).filter((path) => !adminPaths.includes(path))).toEqual([]);
  });

  it.each(guarded)('%s refuses anonymous callers with UNAUTHORIZED', async (path) => {
    expect(await outcome(callers.anonymous, path)).toBe('UNAUTHORIZED');
  });

  it.each(guarded)('%s refuses a session cookie that is not (or no longer) valid', async (path) => {
    expect(await outcome(h.console('x'.repeat(43)), path)).toBe('UNAUTHORIZED');
  });

  for (const role of ['member', 'admin', 'owner'] as const) {
    it.each(guarded)(`%s: ${role} gets exactly what the table says`, async (path) => {
      const result = await outcome(callers[role], path);
      if (hasRole(role, ACCESS[path]!.min as OperatorRole)) {
        expect(['UNAUTHORIZED', 'FORBIDDEN']).not.toContain(result);
      } else {
        expect(result).toBe('FORBIDDEN');
      }
    });
  }

  it.each(guarded.filter((path) => procedures[path]!._def.type !== 'subscription'))(
    '%s refuses a signed-in call that does not come from the console (CSRF)',
    async (path) => {
      const foreign = h.anonymous({ cookie: `t0_session=${fixture.ownerToken}` });
      expect(await outcome(foreign as ReturnType<Harness['console']>, path)).toBe('FORBIDDEN');
    },
  );

  it('the anonymous, member and admin checks ran against real work, not empty tables', async () => {
    const ticket = await h.orm.em.fork().findOneOrFail(Ticket, { id: fixture.ticketId });
    expect(ticket.status).toBe('pending'); // admin.tickets.setStatus reached its handler
    const em = h.orm.em.fork();
    expect(await em.count(Lesson, { id: fixture.lessonId })).toBe(0); // admin.lessons.delete did
    expect(await em.count(KnowledgeArticle, { id: fixture.articleId })).toBe(0); // admin.knowledge.delete did
    expect(await em.count(Lesson, { message: fixture.aiMessageId })).toBe(3); // flagged by member, admin, owner
    expect(await em.count(Customer, { id: fixture.erasableCustomerId })).toBe(0); // admin.customers.erase did
    expect(await em.count(AuditEntry, { action: 'customer_exported' })).toBe(2); // by admin and owner
  });
});
