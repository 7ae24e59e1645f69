import type { SendMessageEvent } from '@ticket0/contracts';
import { describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/app/services.js';
import { claimDue } from '../src/db/claims.js';
import { dialectOf } from '../src/db/dialect.js';
import {
  ChatSession,
  Message,
  Operator,
  OutboxEmail,
  SessionEvaluation,
  Ticket,
} from '../src/db/entities/index.js';
import { DatabaseLimitStore } from '../src/db/limit-store.js';
import { ReplyLeases } from '../src/db/reply-leases.js';
import { acceptMessage } from '../src/domain/chat/messages.js';
import { authenticateVisitor } from '../src/domain/chat/sessions.js';
import { assignWaitingTickets } from '../src/domain/operators/assignment.js';
import { QualityScheduler } from '../src/domain/quality/evaluation.js';
import { RepliesInFlight } from '../src/domain/reply/in-flight.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { OutboxSender } from '../src/mail/outbox.js';
import type { MailTransport, OutgoingMail } from '../src/mail/transport.js';
import { createContext } from '../src/router/context.js';
import { appRouter } from '../src/router/index.js';
import { createCallerFactory } from '../src/router/trpc.js';
import { collect, freshHarnessPerTest, type Harness } from './support/harness.js';

/*
 * Several server processes on one database, played by several Services objects on the
 * test's database: each has its own memory (limits, replies in flight, event bus), and they
 * share only what the database holds — as separate processes do.
 */

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

const createCaller = createCallerFactory(appRouter);

/** Another server process on the same database, sharing state through it. */
function process(): Services {
  return createServices({
    env: h.env,
    orm: h.orm,
    model: h.services.model,
    clock: h.clock,
    log: h.log,
    sharedState: true,
    mailTransport: null,
  });
}

function visitorOn(services: Services, sessionId: string, visitorToken: string) {
  return createCaller(() =>
    createContext(services, { authorization: `Bearer ${sessionId}.${visitorToken}` }),
  );
}

const parallel = <T>(n: number, task: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => task(i)));

/** Records every mail it is asked to send, taking a moment over each like an SMTP server. */
class CountingTransport implements MailTransport {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<{ messageId: string | null }> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.sent.push(mail);
    return { messageId: `<${this.sent.length}@test>` };
  }
  close(): void {}
}

describe('limits in the database', () => {
  it('lets exactly `limit` of 60 parallel requests from two processes through', async () => {
    const a = new DatabaseLimitStore(h.orm, h.clock);
    const b = new DatabaseLimitStore(h.orm, h.clock);
    const outcomes = await parallel(60, (i) =>
      (i % 2 ? a : b).reserve('chat-address:203.0.113.9', 10, 60_000),
    );
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(10);
    const refused = outcomes.find((o) => !o.allowed);
    expect(refused).toMatchObject({
      allowed: false,
      retryAfterSeconds: 60,
      refusedBy: { key: 'chat-address:203.0.113.9' },
    });
  });

  it('counts several windows all or nothing, and a window that is over starts again', async () => {
    const limits = new DatabaseLimitStore(h.orm, h.clock);
    const windows = (session: string) => [
      { key: `chat-session:${session}`, limit: 5, windowMs: 60_000 },
      { key: 'chat-address:198.51.100.7', limit: 3, windowMs: 60_000 },
    ];
    for (let i = 0; i < 3; i++) expect((await limits.reserveAll(windows('s1'))).allowed).toBe(true);
    // The address is full: the session's window must not have counted the refused request.
    for (let i = 0; i < 4; i++)
      expect(await limits.reserveAll(windows('s1'))).toMatchObject({
        allowed: false,
        refusedBy: { key: 'chat-address:198.51.100.7' },
      });
    expect((await limits.reserve('chat-session:s1', 5, 60_000)).allowed).toBe(true);
    expect((await limits.reserve('chat-session:s1', 5, 60_000)).allowed).toBe(true);
    expect((await limits.reserve('chat-session:s1', 5, 60_000)).allowed).toBe(false);

    h.clock.advance(45_000);
    expect(await limits.reserveAll(windows('s2'))).toMatchObject({
      allowed: false,
      retryAfterSeconds: 15,
    });
    expect(await limits.availableAt(windows('s2'))).toBe(h.clock.now().getTime() + 15_000);
    h.clock.advance(15_000);
    expect((await limits.reserveAll(windows('s2'))).allowed).toBe(true);
  });

  it('gives a count back in its own window only, and clear forgets a key', async () => {
    const limits = new DatabaseLimitStore(h.orm, h.clock);
    const first = await limits.reserve('sign-in:address:192.0.2.1', 1, 60_000);
    expect((await limits.reserve('sign-in:address:192.0.2.1', 1, 60_000)).allowed).toBe(false);
    if (!first.allowed) throw new Error('expected room');
    await first.release();
    await first.release(); // twice is once
    const second = await limits.reserve('sign-in:address:192.0.2.1', 1, 60_000);
    expect(second.allowed).toBe(true);

    h.clock.advance(61_000);
    const third = await limits.reserve('sign-in:address:192.0.2.1', 1, 60_000);
    expect(third.allowed).toBe(true);
    if (second.allowed) await second.release(); // from the window that is over: the new one keeps its count
    expect((await limits.reserve('sign-in:address:192.0.2.1', 1, 60_000)).allowed).toBe(false);

    await limits.clear('sign-in:address:192.0.2.1');
    expect((await limits.reserve('sign-in:address:192.0.2.1', 1, 60_000)).allowed).toBe(true);
  });

  it('holds the console lockout across processes: a sixth wrong password on either is refused', async () => {
    const { operator } = await h.operator('member', { email: 'lock@example.com' });
    const [a, b] = [process(), process()];
    const signIn = (services: Services, password: string) =>
      services.auth
        .signIn(h.orm.em.fork(), { email: operator.email, password, clientAddress: '192.0.2.50' })
        .then(
          () => 'in',
          (error: { code?: string }) => error.code ?? 'error',
        );
    const outcomes = await parallel(8, (i) => signIn(i % 2 ? a : b, `wrong-${i}`));
    expect(outcomes.filter((o) => o === 'UNAUTHORIZED')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(3);
  });
});

describe('work done once across processes', () => {
  it('sends each queued mail once when two processes send at the same time', async () => {
    const transport = new CountingTransport();
    const senders = [0, 1].map(
      () =>
        new OutboxSender({
          orm: h.orm,
          clock: h.clock,
          log: h.log,
          transport,
          from: 'support@example.com',
        }),
    );
    const em = h.orm.em.fork();
    for (let i = 0; i < 30; i++)
      h.services.outbox.queue(em, {
        to: `visitor${i}@example.com`,
        subject: `Mail ${i}`,
        text: 'Hello',
      });
    await em.flush();
    await Promise.all(senders.flatMap((sender) => [sender.runOnce(), sender.runOnce()]));
    await Promise.all(senders.map((sender) => sender.runOnce()));
    expect(transport.sent.map((mail) => mail.to).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `visitor${i}@example.com`).sort(),
    );
    const rows = await h.orm.em.fork().find(OutboxEmail, {});
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  it('a process that died mid-send leaves its mail to the others once the lease is over', async () => {
    const em = h.orm.em.fork();
    h.services.outbox.queue(em, { to: 'carol@example.com', subject: 'Your code', text: '123456' });
    await em.flush();
    // The dead process claimed it and never wrote an outcome.
    const now = h.clock.now();
    const claimed = await claimDue(
      h.orm.em.fork(),
      OutboxEmail,
      { status: 'queued', nextAttemptAt: { $lte: now } },
      { nextAttemptAt: new Date(now.getTime() + 60_000) },
      { limit: 10, orderBy: { id: 'asc' } },
    );
    expect(claimed).toHaveLength(1);
    const transport = new CountingTransport();
    const survivor = new OutboxSender({
      orm: h.orm,
      clock: h.clock,
      log: h.log,
      transport,
      from: 'support@example.com',
      leaseMs: 60_000,
    });
    await survivor.runOnce();
    expect(transport.sent).toHaveLength(0); // still the dead process's
    h.clock.advance(60_000);
    await survivor.runOnce();
    await survivor.runOnce();
    expect(transport.sent.map((mail) => mail.to)).toEqual(['carol@example.com']);
  });

  it('claims each due row for one claimer among many at once', async () => {
    const em = h.orm.em.fork();
    for (let i = 0; i < 24; i++)
      h.services.outbox.queue(em, { to: `c${i}@example.com`, subject: 's', text: 't' });
    await em.flush();
    const now = h.clock.now();
    const all: number[] = [];
    // Rounds of six claimers at once until nothing is left (PostgreSQL shares one round out
    // between them; SQLite's one writer lets one round's first claimer take its rows).
    for (let round = 0; round < 10; round++) {
      const claims = await parallel(6, () =>
        claimDue(
          h.orm.em.fork(),
          OutboxEmail,
          { status: 'queued', nextAttemptAt: { $lte: now } },
          { nextAttemptAt: new Date(now.getTime() + 60_000) },
          { limit: 10, orderBy: { id: 'asc' } },
        ),
      );
      if (claims.flat().length === 0) break;
      all.push(...claims.flat());
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(24);
  });

  it('judges each due chat once when two processes poll at the same time', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < 6; i++) sessions.push((await h.startVisitor()).sessionId);
    await h.orm.em
      .fork()
      .nativeUpdate(ChatSession, { id: { $in: sessions } }, { evaluationDueAt: h.clock.now() });
    const [a, b] = [0, 1].map(
      () =>
        new QualityScheduler(h.orm, {
          model: h.services.model,
          clock: h.clock,
          log: h.log,
          events: h.services.events,
        }),
    );
    const counts = await Promise.all([a!.runDue(), b!.runDue()]);
    expect(counts[0]! + counts[1]!).toBe(6);
    expect(await h.orm.em.fork().count(SessionEvaluation, {})).toBe(6);
    expect(h.ollama.structuredRequests).toHaveLength(6);
    expect(await a!.runDue()).toBe(0);
  });

  it('a judge that died mid-chat leaves the chat due again after the lease', async () => {
    const { sessionId } = await h.startVisitor();
    const now = h.clock.now();
    await h.orm.em.fork().nativeUpdate(ChatSession, { id: sessionId }, { evaluationDueAt: now });
    expect(
      await claimDue(
        h.orm.em.fork(),
        ChatSession,
        { evaluationDueAt: { $lte: now } },
        { evaluationDueAt: new Date(now.getTime() + 120_000) },
        { limit: 5, orderBy: { evaluationDueAt: 'asc' } },
      ),
    ).toEqual([sessionId]);
    const survivor = new QualityScheduler(
      h.orm,
      { model: h.services.model, clock: h.clock, log: h.log, events: h.services.events },
      { leaseMs: 120_000 },
    );
    expect(await survivor.runDue()).toBe(0);
    h.clock.advance(120_000);
    expect(await survivor.runDue()).toBe(1);
    expect(await h.orm.em.fork().count(SessionEvaluation, { session: sessionId })).toBe(1);
  });

  it('assigns each waiting ticket once, within capacity, when passes run at once', async () => {
    const agents = [
      await h.operator('member', { email: 'a1@example.com' }),
      await h.operator('member', { email: 'a2@example.com' }),
    ];
    await h.orm.em
      .fork()
      .nativeUpdate(Operator, { id: { $in: agents.map((a) => a.operator.id) } }, { capacity: 3 });
    const em = h.orm.em.fork();
    for (let i = 0; i < 10; i++)
      await createEmailTicket(em, h.services, {
        subject: `Help ${i}`,
        requesterEmail: `r${i}@example.com`,
      });
    const [a, b] = [process(), process()];
    const passes = await parallel(6, (i) => assignWaitingTickets(h.orm.em.fork(), i % 2 ? a : b));
    expect(passes.flat()).toHaveLength(6);
    const tickets = await h.orm.em.fork().find(Ticket, { source: 'email' });
    const loads = new Map<number, number>();
    for (const ticket of tickets)
      if (ticket.assignee) loads.set(ticket.assignee.id, (loads.get(ticket.assignee.id) ?? 0) + 1);
    expect([...loads.values()]).toEqual([3, 3]);
  });

  it('confirms an escalation once when it is confirmed through two processes at once: one ticket, one mail', async () => {
    const [a, b] = [process(), process()];
    const { sessionId, visitorToken } = await h.startVisitor();
    const offer = await visitorOn(a, sessionId, visitorToken).escalation.request();
    const results = await Promise.all(
      [a, b].map((services) =>
        visitorOn(services, sessionId, visitorToken).escalation.confirm({
          offerId: offer.id,
          email: 'dana@example.com',
        }),
      ),
    );
    expect(results[0]!.ticketId).toBe(results[1]!.ticketId);
    expect(await h.orm.em.fork().count(Ticket, { source: 'email' })).toBe(1);
    expect(await h.orm.em.fork().count(OutboxEmail, { to: 'dana@example.com' })).toBe(1);
  });
});

describe('a reply across processes', () => {
  it('a lease is one process’s until released, or until its holder stops renewing it', async () => {
    const alive = new ReplyLeases(h.orm, h.clock, { ttlMs: 10_000 });
    const dead = new ReplyLeases(h.orm, h.clock, { ttlMs: 10_000, renewMs: 3_600_000 });
    const held = await alive.claim(41);
    expect(held).not.toBeNull();
    expect(await dead.claim(41)).toBeNull();
    await held!.release();
    const abandoned = await dead.claim(41);
    expect(abandoned).not.toBeNull();
    expect(await alive.claim(41)).toBeNull();
    h.clock.advance(10_000);
    expect(await alive.claim(41)).not.toBeNull();
    const racing = await parallel(10, () => new ReplyLeases(h.orm, h.clock).claim(42));
    expect(racing.filter(Boolean)).toHaveLength(1);
  });

  it('a resend to a second process while the first streams waits for that reply: the model is asked once', async () => {
    const [a, b] = [process(), process()];
    const { sessionId, visitorToken } = await h.startVisitor();
    h.ollama.behaviour = {
      mode: 'reply',
      text: 'One moment. Your parcel left today. It arrives tomorrow.',
      delayMs: 30,
    };
    const first: SendMessageEvent[] = [];
    let resent: Promise<SendMessageEvent[]> | null = null;
    for await (const event of await visitorOn(a, sessionId, visitorToken).chat.send({
      clientMessageId: 'twice-0001',
      text: 'Where is my parcel?',
    })) {
      first.push(event);
      if (event.type === 'delta' && !resent)
        resent = collect(
          visitorOn(b, sessionId, visitorToken).chat.send({
            clientMessageId: 'twice-0001',
            text: 'Where is my parcel?',
          }),
        );
    }
    const second = await resent!;
    expect(h.ollama.requests).toHaveLength(1);
    const done = (events: SendMessageEvent[]) => events.find((e) => e.type === 'done');
    expect(done(second)).toEqual(done(first));
    expect(await h.orm.em.fork().count(Message, { author: 'ai' })).toBe(1);
  });

  it('a resend after the writing process died is answered once its lease runs out', async () => {
    const b = process();
    const { sessionId, visitorToken } = await h.startVisitor();
    // The message was stored by a process that then died holding the lease.
    const em = h.orm.em.fork();
    const session = await authenticateVisitor(em, sessionId, visitorToken);
    const { message } = await acceptMessage(
      em,
      h.services,
      { session, clientAddress: '127.0.0.1' },
      { clientMessageId: 'lost-0001', text: 'Where is my parcel?' },
    );
    const dead = new ReplyLeases(h.orm, h.clock, { ttlMs: 10_000, renewMs: 3_600_000 });
    expect(await dead.claim(message.id)).not.toBeNull();

    h.ollama.behaviour = { mode: 'reply', text: 'It arrives tomorrow.' };
    const resent = collect(
      visitorOn(b, sessionId, visitorToken).chat.send({
        clientMessageId: 'lost-0001',
        text: 'Where is my parcel?',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(h.ollama.requests).toHaveLength(0); // still waiting for the dead process
    h.clock.advance(10_000);
    const events = await resent;
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      message: { body: 'It arrives tomorrow.' },
    });
    expect(h.ollama.requests).toHaveLength(1);
    expect(await h.orm.em.fork().count(Message, { author: 'ai' })).toBe(1);
  });

  it('without leases (one process) there is nothing to wait for', async () => {
    expect(await new RepliesInFlight().claim(1, () => Promise.resolve(null))).toEqual({
      lease: null,
    });
  });
});

describe('live events across processes', () => {
  it('reach a console connected to another process on PostgreSQL; stay in-process on SQLite', async () => {
    const [a, b] = [process(), process()];
    if (dialectOf(h.orm.em) !== 'postgresql') {
      expect([a.relay, b.relay]).toEqual([null, null]);
      const heard: number[] = [];
      b.events.subscribe('ticket.changed', (e) => heard.push(e.ticketId));
      a.events.emit('ticket.changed', { ticketId: 7 });
      expect(heard).toEqual([]);
      return;
    }
    await Promise.all([a.relay!.start(), b.relay!.start()]);
    try {
      const heardOnB: number[] = [];
      const heardOnA: number[] = [];
      b.events.subscribe('ticket.changed', (e) => heardOnB.push(e.ticketId));
      a.events.subscribe('ticket.changed', (e) => heardOnA.push(e.ticketId));
      a.events.emit('ticket.changed', { ticketId: 7 });
      await expect.poll(() => heardOnB).toEqual([7]);
      expect(heardOnA).toEqual([7]); // its own, once: not echoed back

      // Invalidations travel the same way.
      const invalidated: string[] = [];
      const listeners = new Set<(key: string, origin: 'local' | 'peer') => void>();
      const cachesOn = (log: string[]) => ({
        onInvalidate: (listener: (key: string, origin: 'local' | 'peer') => void) => (
          listeners.add(listener),
          () => listeners.delete(listener)
        ),
        invalidateFromPeer: (key: string) => log.push(key),
      });
      a.relay!.shareInvalidations(cachesOn([]));
      b.relay!.shareInvalidations(cachesOn(invalidated));
      for (const listener of [...listeners].slice(0, 1)) listener('settings', 'local');
      await expect.poll(() => invalidated).toEqual(['settings']);
    } finally {
      await Promise.all([a.relay!.stop(), b.relay!.stop()]);
    }
  });
});
