import { readFileSync, existsSync } from 'node:fs';
import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditEntry,
  ChatSession,
  ChatSessionKey,
  Customer,
  IdentityTokenUse,
  Message,
  OtpChallenge,
  OutboxEmail,
  Ticket,
} from '../src/db/entities/index.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { deleteExpiredChats } from '../src/domain/privacy/erase.js';
import { signIdentity, checkIdentityToken } from '../src/domain/verification/identity-token.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { collect, createHarness, rejection, verifyVisitor, type Harness } from './support/harness.js';
import { createTestDatabase, testDialect, type TestDatabase } from './support/database.js';

/**
 * Everything the database holds, as text. SQLite: the bytes of its file and write-ahead log,
 * free pages included. PostgreSQL (whose files are the server's): every row of every table.
 */
async function storedText(h: Harness, database: TestDatabase): Promise<string> {
  if (testDialect === 'sqlite') {
    const file = String(database.options.dbName);
    return Buffer.concat([file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path))).toString('latin1');
  }
  const connection = h.orm.em.getConnection();
  const tables = await connection.execute<Array<{ table_name: string }>>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  const rows = await Promise.all(tables.map(({ table_name }) => connection.execute(`select * from "${table_name}"`)));
  return JSON.stringify(rows);
}

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const OTHER_SECRET = 'another-secret-of-at-least-thirty-two-bytes!';

const opened: Harness[] = [];
async function harness(env: Record<string, string> = { IDENTITY_SECRET: SECRET }, database?: TestDatabase): Promise<Harness> {
  const h = await createHarness({ env, ...(database ? { database } : {}) });
  opened.push(h);
  return h;
}
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
});

type Caller = Awaited<ReturnType<Harness['startVisitor']>>['caller'];
const nowSeconds = (h: Harness) => Math.floor(h.clock.now().getTime() / 1000);
const tokenFor = (h: Harness, email: string, extra: { secret?: string; ageSeconds?: number; name?: string } = {}) =>
  signIdentity(extra.secret ?? SECRET, { email, ...(extra.name ? { name: extra.name } : {}), issuedAt: nowSeconds(h) - (extra.ageSeconds ?? 0) });
const send = (caller: Caller, text: string) =>
  collect<SendMessageEvent>(caller.chat.send({ clientMessageId: `m-${Math.random().toString(36).slice(2, 12)}`, text }));
const audit = (h: Harness) => h.orm.em.fork().find(AuditEntry, {}, { orderBy: { id: 'asc' } });

describe('signed identity', () => {
  it('verifies the chat for that customer exactly as a confirmed code does', async () => {
    const h = await harness();
    const em = h.orm.em.fork();
    const { customer } = await upsertCustomer(em, h.services, { email: 'ana@example.com', name: 'Ana' });
    const { sessionId, caller } = await h.startVisitor();

    const result = await caller.verification.identify({ token: tokenFor(h, 'Ana@Example.com', { name: 'Ana' }) });
    expect(result).toEqual({ verified: true, email: 'ana@example.com', verifiedAt: h.clock.now() });
    expect(await caller.verification.status()).toMatchObject({ verified: true, email: 'ana@example.com' });
    const session = await h.orm.em.fork().findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    expect(session.ticket.customer?.id).toBe(customer.id);
  });

  it.each([
    ['signed with another secret', (h: Harness) => tokenFor(h, 'ana@example.com', { secret: OTHER_SECRET }), 'not valid', 'bad_signature'],
    ['older than the age limit', (h: Harness) => tokenFor(h, 'ana@example.com', { ageSeconds: 601 }), 'expired', 'expired'],
    ['issued in the future', (h: Harness) => tokenFor(h, 'ana@example.com', { ageSeconds: -3600 }), 'not valid yet', 'not_yet_valid'],
    ['with a payload edited after signing', (h: Harness) => {
      const [, signature] = tokenFor(h, 'ana@example.com').split('.');
      const forged = Buffer.from(JSON.stringify({ email: 'eve@example.com', issuedAt: nowSeconds(h) })).toString('base64url');
      return `${forged}.${signature}`;
    }, 'not valid', 'bad_signature'],
    ['without a signature that fits', () => 'eyJlbWFpbCI6ImFuYUBleGFtcGxlLmNvbSJ9.abc', 'not valid', 'malformed'],
  ])('refuses a token %s, leaves the chat unverified and audits why', async (_, make, text, reason) => {
    const h = await harness();
    const { caller } = await h.startVisitor();
    const error = await rejection(caller.verification.identify({ token: make(h) }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain(text);
    expect((await caller.verification.status()).verified).toBe(false);
    expect((await audit(h)).map((entry) => [entry.action, entry.detail])).toEqual([['identity_refused', reason]]);
  });

  it('accepts a token just under the age limit, and the limit is configurable', async () => {
    const h = await harness({ IDENTITY_SECRET: SECRET, IDENTITY_MAX_AGE_SECONDS: '30' });
    const { caller } = await h.startVisitor();
    await expect(caller.verification.identify({ token: tokenFor(h, 'ana@example.com', { ageSeconds: 31 }) })).rejects.toThrow(/expired/);
    await expect(caller.verification.identify({ token: tokenFor(h, 'ana@example.com', { ageSeconds: 29 }) })).resolves.toMatchObject({
      verified: true,
    });
  });

  it('refuses the same token a second time, on another chat too, and keeps only its hash', async () => {
    const h = await harness();
    const token = tokenFor(h, 'ana@example.com');
    await (await h.startVisitor()).caller.verification.identify({ token });
    const second = await h.startVisitor();
    const error = await rejection(second.caller.verification.identify({ token }));
    expect(error.message).toContain('already used');
    expect((await second.caller.verification.status()).verified).toBe(false);
    const uses = await h.orm.em.fork().find(IdentityTokenUse, {});
    expect(uses).toHaveLength(1);
    expect(uses[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a reused token is refused by a second server process on the same database', async () => {
    const database = await createTestDatabase({ file: true });
    try {
      const first = await harness({ IDENTITY_SECRET: SECRET }, database);
      const second = await createHarness({ env: { IDENTITY_SECRET: SECRET }, database, clock: first.clock });
      opened.push(second);
      const token = tokenFor(first, 'ana@example.com');
      await (await first.startVisitor()).caller.verification.identify({ token });
      await expect((await second.startVisitor()).caller.verification.identify({ token })).rejects.toThrow(/already used/);
    } finally {
      for (const h of opened.splice(0)) await h.close();
      await database.drop();
    }
  });

  it('refuses a token for another address than the chat is already verified as', async () => {
    const h = await harness();
    const { caller } = await h.startVisitor();
    await verifyVisitor(h, caller, 'ana@example.com');
    const error = await rejection(caller.verification.identify({ token: tokenFor(h, 'bo@example.com') }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('another email address');
    expect(await caller.verification.status()).toMatchObject({ verified: true, email: 'ana@example.com' });
    // The same address again is fine (a new page load after the code).
    await expect(caller.verification.identify({ token: tokenFor(h, 'ana@example.com') })).resolves.toMatchObject({ verified: true });
  });

  it('is refused as switched off when IDENTITY_SECRET is unset', async () => {
    const h = await harness({});
    const { caller } = await h.startVisitor();
    const error = await rejection(caller.verification.identify({ token: signIdentity(SECRET, { email: 'ana@example.com', issuedAt: nowSeconds(h) }) }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('not enabled');
  });

  it('counts accepted tokens only while they are checked: many signed-in visitors may share an address', async () => {
    const h = await harness();
    for (let i = 0; i < 25; i++) {
      const { caller } = await h.startVisitor({ clientAddress: '198.51.100.7' });
      await expect(caller.verification.identify({ token: tokenFor(h, `customer${i}@example.com`) })).resolves.toMatchObject({ verified: true });
    }
  });

  it('limits attempts per client address, counted before any work, also in parallel', async () => {
    const h = await harness();
    const { caller } = await h.startVisitor({ clientAddress: '203.0.113.9' });
    const bad = signIdentity(OTHER_SECRET, { email: 'ana@example.com', issuedAt: nowSeconds(h) });
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => caller.verification.identify({ token: bad })));
    const codes = results.map((result) => (result.status === 'rejected' ? (result.reason as { code: string }).code : 'OK'));
    expect(codes.filter((code) => code === 'UNAUTHORIZED')).toHaveLength(20);
    expect(codes.filter((code) => code === 'TOO_MANY_REQUESTS')).toHaveLength(10);
  });

  it('checks tokens without the database: shape, signature, age', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const issuedAt = now.getTime() / 1000;
    const token = signIdentity(SECRET, { email: 'ana@example.com', externalId: 'c-1', issuedAt });
    expect(checkIdentityToken(SECRET, token, now, 600)).toEqual({ ok: true, payload: { email: 'ana@example.com', externalId: 'c-1', issuedAt } });
    expect(checkIdentityToken(SECRET, `${token}x`, now, 600)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkIdentityToken(SECRET, signIdentity(SECRET, { email: 'not an email', issuedAt }), now, 600)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkIdentityToken(SECRET, 'x'.repeat(5000), now, 600)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a malformed token at the door with a readable message', async () => {
    const h = await harness();
    const { caller } = await h.startVisitor();
    const error = await rejection(caller.verification.identify({ token: 'not a token' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('identity token is not valid');
  });
});

describe('one conversation across devices', () => {
  it('a verified customer sees their chats from another device and continues the last one; the first device keeps working', async () => {
    const h = await harness();
    const phone = await h.startVisitor();
    await phone.caller.verification.identify({ token: tokenFor(h, 'ana@example.com') });
    await send(phone.caller, 'Hello there');
    const stranger = await h.startVisitor();
    await stranger.caller.verification.identify({ token: tokenFor(h, 'bo@example.com') });
    await send(stranger.caller, 'Hi');

    h.clock.advance(60_000);
    const laptop = await h.startVisitor();
    expect((await laptop.caller.chat.conversations()).conversations.map((c) => c.sessionId)).toEqual([laptop.sessionId]);
    await laptop.caller.verification.identify({ token: tokenFor(h, 'ana@example.com') });
    const { conversations } = await laptop.caller.chat.conversations();
    expect(conversations.map((c) => [c.sessionId, c.current])).toEqual([
      [laptop.sessionId, true],
      [phone.sessionId, false],
    ]);
    expect(conversations[1]!.preview).toBeTruthy();

    const key = await laptop.caller.chat.continue({ sessionId: phone.sessionId });
    expect(key.sessionId).toBe(phone.sessionId);
    const onLaptop = h.visitor(key.sessionId, key.visitorToken);
    const history = await onLaptop.chat.history();
    expect(history.messages.map((m) => m.body)).toContain('Hello there');
    await send(onLaptop, 'Thanks, from my laptop');
    expect((await phone.caller.chat.history()).messages.map((m) => m.body)).toContain('Thanks, from my laptop');
  });

  it('never lists or opens another customer’s chat, and an unverified visitor continues nothing', async () => {
    const h = await harness();
    const ana = await h.startVisitor();
    await ana.caller.verification.identify({ token: tokenFor(h, 'ana@example.com') });
    const bo = await h.startVisitor();
    await bo.caller.verification.identify({ token: tokenFor(h, 'bo@example.com') });
    expect((await bo.caller.chat.conversations()).conversations.map((c) => c.sessionId)).toEqual([bo.sessionId]);
    const error = await rejection(bo.caller.chat.continue({ sessionId: ana.sessionId }));
    expect(error.code).toBe('NOT_FOUND');
    const anonymous = await h.startVisitor();
    expect((await rejection(anonymous.caller.chat.continue({ sessionId: ana.sessionId }))).code).toBe('FORBIDDEN');
  });

  it('stores at most 10 device keys a minute per chat, also when asked in parallel', async () => {
    const h = await harness();
    const phone = await h.startVisitor();
    await phone.caller.verification.identify({ token: tokenFor(h, 'ana@example.com') });
    const laptop = await h.startVisitor();
    await laptop.caller.verification.identify({ token: tokenFor(h, 'ana@example.com', { ageSeconds: 1 }) });
    const results = await Promise.allSettled(Array.from({ length: 15 }, () => laptop.caller.chat.continue({ sessionId: phone.sessionId })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code)).toEqual(Array(5).fill('TOO_MANY_REQUESTS'));
    expect(await h.orm.em.fork().count(ChatSessionKey, {})).toBe(10);
  });

  it('a chat verified by code is found from a device verified by signed identity', async () => {
    const h = await harness();
    const phone = await h.startVisitor();
    await verifyVisitor(h, phone.caller, 'ana@example.com');
    const laptop = await h.startVisitor();
    await laptop.caller.verification.identify({ token: tokenFor(h, 'ana@example.com') });
    expect((await laptop.caller.chat.conversations()).conversations.map((c) => c.sessionId)).toContain(phone.sessionId);
  });
});

describe('export and erase', () => {
  async function customerWithHistory(h: Harness, marker: string) {
    const em = h.orm.em.fork();
    const { customer } = await upsertCustomer(em, h.services, { email: 'ana@example.com', name: 'Ana Lopez', externalId: 'shop-77' });
    const chat = await h.startVisitor();
    await verifyVisitor(h, chat.caller, 'ana@example.com');
    await send(chat.caller, `My parcel ${marker} never arrived`);
    const done = (await chat.caller.chat.history()).messages.find((m) => m.author === 'ai');
    if (done) await chat.caller.chat.rate({ messageId: done.id, rating: 'down', reason: 'unhelpful', comment: `still waiting ${marker}` });
    const ticketEm = h.orm.em.fork();
    const ticket = await createEmailTicket(ticketEm, h.services, { subject: `Refund ${marker}`, requesterEmail: 'ana@example.com' });
    ticketEm.create(Message, { ticket, author: 'customer', body: `Please refund ${marker}` });
    await ticketEm.flush();
    const other = await h.startVisitor();
    await send(other.caller, 'Somebody else entirely');
    return { customer, chat, ticket, other };
  }

  it('an admin downloads everything about a customer as one JSON document, and the export is audited', async () => {
    const h = await harness();
    const admin = await h.operator('admin');
    const { customer, chat, ticket } = await customerWithHistory(h, 'ZX81');
    const data = await admin.caller.admin.customers.export({ id: customer.id });
    expect(data.customer).toMatchObject({ email: 'ana@example.com', name: 'Ana Lopez', externalId: 'shop-77' });
    expect(data.chats.map((c) => c.sessionId)).toEqual([chat.sessionId]);
    expect(JSON.stringify(data.chats)).toContain('My parcel ZX81 never arrived');
    expect(data.tickets.map((t) => t.id)).toEqual([ticket.id]);
    expect(JSON.stringify(data.tickets)).toContain('Please refund ZX81');
    expect(data.feedback).toEqual([expect.objectContaining({ rating: 'down', comment: 'still waiting ZX81' })]);
    expect(data.verifications).toEqual([expect.objectContaining({ email: 'ana@example.com', attempts: 1 })]);
    expect(JSON.stringify(data)).not.toContain('Somebody else entirely');
    expect(JSON.stringify(data)).not.toMatch(/codeHash|tokenHash/);
    const [entry] = await audit(h);
    expect(entry).toMatchObject({ action: 'customer_exported', customerId: customer.id, subject: 'ana@example.com' });
    expect(entry!.operator?.id).toBe(admin.operator.id);
  });

  it('a member may not export or erase', async () => {
    const h = await harness();
    const member = await h.operator('member');
    const { customer } = await upsertCustomer(h.orm.em.fork(), h.services, { email: 'ana@example.com' });
    expect((await rejection(member.caller.admin.customers.export({ id: customer.id }))).code).toBe('FORBIDDEN');
    expect((await rejection(member.caller.admin.customers.erase({ id: customer.id }))).code).toBe('FORBIDDEN');
    expect(await h.orm.em.fork().count(Customer, {})).toBe(1);
  });

  it('after an erase no message text of that customer remains in the database file', async () => {
    const database = await createTestDatabase({ file: true });
    try {
      const h = await harness({ IDENTITY_SECRET: SECRET }, database);
      const admin = await h.operator('admin');
      const marker = 'QUOKKA7391';
      const { customer, other } = await customerWithHistory(h, marker);
      await h.services.outbox.runOnce();
      const bytes = () => storedText(h, database);
      if (testDialect === 'sqlite') await h.orm.em.getConnection().execute('pragma wal_checkpoint(truncate)');
      expect(await bytes()).toContain(marker); // the check below can fail

      const erased = await admin.caller.admin.customers.erase({ id: customer.id });
      expect(erased).toEqual({ chats: 1, tickets: 1 });
      expect(await bytes()).not.toContain(marker);
      expect(await bytes()).not.toContain('ana@example.com');
      expect(await bytes()).not.toContain('Ana Lopez');

      const em = h.orm.em.fork();
      expect(await em.count(Customer, {})).toBe(0);
      expect(await em.count(OtpChallenge, {})).toBe(0);
      expect(await em.count(OutboxEmail, { to: 'ana@example.com' })).toBe(0);
      // Someone else's chat is untouched.
      expect((await other.caller.chat.history()).messages.map((m) => m.body)).toContain('Somebody else entirely');
      // The audit keeps who and when, not whom.
      const entries = await audit(h);
      expect(entries.map((entry) => [entry.action, entry.subject, entry.detail])).toEqual([['customer_erased', null, null]]);
      expect(entries[0]!.operator?.id).toBe(admin.operator.id);
    } finally {
      for (const h of opened.splice(0)) await h.close();
      await database.drop();
    }
  });

  it('also erases a chat never verified whose escalation gave the customer’s address', async () => {
    const h = await harness();
    const admin = await h.operator('admin');
    const { customer } = await upsertCustomer(h.orm.em.fork(), h.services, { email: 'ana@example.com' });
    const chat = await h.startVisitor();
    await send(chat.caller, 'Typed without verifying 8842');
    const em = h.orm.em.fork();
    const session = await em.findOneOrFail(ChatSession, { id: chat.sessionId }, { populate: ['ticket'] });
    await createEmailTicket(em, h.services, { subject: 'Follow-up', requesterEmail: 'ana@example.com', chatTicket: session.ticket });
    const data = await admin.caller.admin.customers.export({ id: customer.id });
    expect(data.chats.map((c) => c.sessionId)).toEqual([chat.sessionId]);
    expect(await admin.caller.admin.customers.erase({ id: customer.id })).toEqual({ chats: 1, tickets: 1 });
    expect(await h.orm.em.fork().count(Message, { body: { $like: '%8842%' } })).toBe(0);
  });

  it('an erase forgets whom earlier audit entries were about', async () => {
    const h = await harness();
    const admin = await h.operator('admin');
    const { customer } = await upsertCustomer(h.orm.em.fork(), h.services, { email: 'ana@example.com' });
    await admin.caller.admin.customers.export({ id: customer.id });
    await admin.caller.admin.customers.erase({ id: customer.id });
    const { items } = await admin.caller.admin.audit.list();
    expect(items.map((entry) => [entry.action, entry.subject, entry.operator?.email])).toEqual([
      ['customer_erased', null, admin.operator.email],
      ['customer_exported', null, admin.operator.email],
    ]);
    expect(JSON.stringify(items)).not.toContain('ana@example.com');
    expect(await h.orm.em.fork().count(AuditEntry, { customerId: { $ne: null } })).toBe(0);
    expect((await rejection(admin.caller.admin.customers.erase({ id: customer.id }))).code).toBe('NOT_FOUND');
  });
});

describe('a visitor deletes their conversation', () => {
  it('deletes the chat and every message in it; the credential stops working; others are untouched', async () => {
    const h = await harness();
    const mine = await h.startVisitor();
    await send(mine.caller, 'Delete me please');
    const theirs = await h.startVisitor();
    await send(theirs.caller, 'Keep me');
    await expect(mine.caller.chat.deleteConversation()).resolves.toEqual({ deleted: true });
    const em = h.orm.em.fork();
    expect(await em.count(ChatSession, { id: mine.sessionId })).toBe(0);
    expect(await em.count(Message, { body: 'Delete me please' })).toBe(0);
    expect(await em.count(Message, { body: 'Keep me' })).toBe(1);
    expect((await rejection(mine.caller.chat.history())).code).toBe('NOT_FOUND');
    expect((await audit(h)).map((entry) => entry.action)).toEqual(['conversation_deleted']);
  });
});

describe('retention', () => {
  it('is off by default; when set, the scheduler deletes chats quiet for longer, and keeps the rest', async () => {
    const h = await harness();
    const old = await h.startVisitor();
    await send(old.caller, 'An old question');
    h.clock.advance(31 * 86_400_000);
    const admin = await h.operator('admin');
    expect((await admin.caller.admin.settings.get()).retentionDays).toBeNull();
    expect(await deleteExpiredChats(h.orm.em.fork(), h.services, null)).toBe(0);
    const recent = await h.startVisitor();
    await send(recent.caller, 'A new question');

    await admin.caller.admin.settings.update({ retentionDays: 30 });
    expect((await admin.caller.admin.settings.get()).retentionDays).toBe(30);
    // The quality scheduler runs the retention chore on each pass.
    await h.services.quality.runDue();
    const em = h.orm.em.fork();
    expect(await em.count(ChatSession, { id: old.sessionId })).toBe(0);
    expect(await em.count(ChatSession, { id: recent.sessionId })).toBe(1);
    expect(await em.count(Ticket, { source: 'chat' })).toBe(1);
    expect((await audit(h)).map((entry) => [entry.action, entry.detail])).toEqual([['retention_deleted', '1 chat older than 30 days']]);
  });

  it('refuses a retention of zero days with a readable message', async () => {
    const h = await harness();
    const admin = await h.operator('admin');
    const error = await rejection(admin.caller.admin.settings.update({ retentionDays: 0 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('at least 1 day');
  });
});

describe('the audit list', () => {
  it('shows refused identities to admins, newest first, paged', async () => {
    const h = await harness();
    const admin = await h.operator('admin');
    const { caller } = await h.startVisitor();
    for (let i = 0; i < 3; i++) {
      await rejection(caller.verification.identify({ token: tokenFor(h, 'ana@example.com', { secret: OTHER_SECRET }) }));
      h.clock.advance(1000);
    }
    const first = await admin.caller.admin.audit.list({ limit: 2 });
    expect(first.items.map((entry) => entry.action)).toEqual(['identity_refused', 'identity_refused']);
    const second = await admin.caller.admin.audit.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(JSON.stringify([first, second])).not.toContain('ana@example.com');
  });
});
