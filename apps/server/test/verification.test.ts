import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { ParsedMail } from 'mailparser';
import superjson from 'superjson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatSession, OtpChallenge, Ticket } from '../src/db/entities/index.js';
import type { DomainError } from '../src/lib/errors.js';
import { upsertCustomer } from '../src/domain/customers/customers.js';
import { createAppServer } from '../src/http.js';
import type { AppRouter } from '../src/router/index.js';
import { createHarness, rejection, verificationCodeIn, type Harness } from './support/harness.js';
import { addressOf, SmtpReceiver } from './support/smtp-receiver.js';

let h: Harness;
let smtp: SmtpReceiver;

beforeEach(async () => {
  smtp = await new SmtpReceiver().start();
  h = await createHarness({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Support <support@shop.example.com>' } });
});
afterEach(async () => {
  await h.close();
  await smtp.stop();
});

type Caller = Awaited<ReturnType<Harness['startVisitor']>>['caller'];
const em = () => h.orm.em.fork();
const delivered = new Set<ParsedMail>();

/** Sends what the outbox holds through real SMTP and returns the next new mail to `email`. */
async function nextMail(email: string): Promise<ParsedMail> {
  await h.services.outbox.runOnce();
  const mail = await smtp.waitFor((m) => addressOf(m.to) === email && !delivered.has(m));
  delivered.add(mail);
  return mail;
}

async function requestCode(caller: Caller, email: string): Promise<string> {
  await caller.verification.request({ email });
  return verificationCodeIn((await nextMail(email)).text ?? '');
}

const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const MINUTE = 60_000;

describe('requesting a code', () => {
  it('mails a 6-digit code (text and HTML) that expires in 10 minutes, and stores only its hash', async () => {
    const { caller } = await h.startVisitor({ origin: 'https://shop.example.com' });
    const now = h.clock.now().getTime();
    const pending = await caller.verification.request({ email: '  Ana@Example.com ' });
    expect(pending).toEqual({
      email: 'ana@example.com',
      expiresAt: new Date(now + 10 * MINUTE),
      attemptsLeft: 3,
      resendAvailableAt: new Date(now + 30_000),
    });

    const mail = await nextMail('ana@example.com');
    const code = verificationCodeIn(mail.text ?? '');
    expect(code).toMatch(/^\d{6}$/);
    expect(addressOf(mail.from)).toBe('support@shop.example.com');
    expect(mail.subject).toBe(`${code} is your verification code for shop.example.com`);
    expect(mail.text).toContain('expires in 10 minutes');
    expect(mail.html).toContain(code);

    const [challenge] = await em().find(OtpChallenge, {});
    expect(challenge).toMatchObject({ email: 'ana@example.com', attempts: 0, consumedAt: null });
    expect(challenge!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(challenge)).not.toContain(code);
    // With SMTP configured the code reaches the mailbox only, never the log.
    expect(JSON.stringify(h.log.lines)).not.toContain(code);
  });

  it('names the brand set in the console, not the host the widget runs on', async () => {
    const admin = await h.operator('admin');
    await admin.caller.admin.settings.update({ appearance: { brandName: 'Acme Outdoor' } });
    const { caller } = await h.startVisitor({ origin: 'http://127.0.0.1:8080' });
    await caller.verification.request({ email: 'ana@example.com' });
    const mail = await nextMail('ana@example.com');
    expect(mail.subject).toMatch(/^\d{6} is your verification code for Acme Outdoor$/);
    expect(mail.text).toContain('the chat on Acme Outdoor');
    expect(`${mail.subject} ${mail.text}`).not.toContain('127.0.0.1');
  });

  it('refuses an address that is not one, with a sentence the visitor can act on', async () => {
    const { caller } = await h.startVisitor();
    const error = await rejection(caller.verification.request({ email: 'ana@example' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Enter a valid email address, such as name@example.com.');
    expect(await em().count(OtpChallenge)).toBe(0);
  });

  it('needs a chat session', async () => {
    const error = await rejection(h.anonymous().verification.request({ email: 'ana@example.com' }));
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('answers known and unknown addresses identically: same response, same mail, same status', async () => {
    await upsertCustomer(em(), h.services, { email: 'ana@example.com', name: 'Ana Lima', externalId: 'cus_1' });
    const known = await h.startVisitor();
    const unknown = await h.startVisitor();
    const relative = (value: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(value).map(([key, field]) => [
          key,
          key === 'email' ? '<email>' : field instanceof Date ? field.getTime() - h.clock.now().getTime() : field,
        ]),
      );

    const a = await known.caller.verification.request({ email: 'ana@example.com' });
    const b = await unknown.caller.verification.request({ email: 'nobody@example.com' });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(relative(a)).toEqual(relative(b));

    const mailA = await nextMail('ana@example.com');
    const mailB = await nextMail('nobody@example.com');
    const neutral = (mail: ParsedMail) => {
      const code = verificationCodeIn(mail.text ?? '');
      return { subject: mail.subject?.replace(code, '<code>'), text: mail.text?.replace(code, '<code>'), html: String(mail.html).replace(code, '<code>') };
    };
    expect(neutral(mailA)).toEqual(neutral(mailB));

    const statusA = await known.caller.verification.status();
    const statusB = await unknown.caller.verification.status();
    expect({ ...statusA, pending: relative(statusA.pending!) }).toEqual({ ...statusB, pending: relative(statusB.pending!) });
  });
});

describe('confirming a code', () => {
  it('marks the session verified and attaches the customer with that email', async () => {
    const { customer } = await upsertCustomer(em(), h.services, { email: 'ana@example.com', name: 'Ana Lima' });
    const { sessionId, caller } = await h.startVisitor();
    const code = await requestCode(caller, 'ana@example.com');
    h.clock.advance(MINUTE);

    const result = await caller.verification.confirm({ code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(result).toEqual({ verified: true, email: 'ana@example.com', verifiedAt: h.clock.now() });
    const session = await em().findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    expect(session).toMatchObject({ verifiedEmail: 'ana@example.com', verifiedAt: h.clock.now() });
    expect(session.ticket.customer?.id).toBe(customer.id);
    expect(await caller.verification.status()).toEqual({
      verified: true,
      email: 'ana@example.com',
      verifiedAt: h.clock.now(),
      pending: null,
    });
  });

  it('verifies an address that belongs to no customer, without attaching anyone', async () => {
    const { sessionId, caller } = await h.startVisitor();
    const code = await requestCode(caller, 'new@example.com');
    await caller.verification.confirm({ code });
    const session = await em().findOneOrFail(ChatSession, { id: sessionId }, { populate: ['ticket'] });
    expect(session.verifiedEmail).toBe('new@example.com');
    expect(session.ticket.customer).toBeNull();
  });

  it('a code entered at 9 min 59 s works', async () => {
    const { caller } = await h.startVisitor();
    const code = await requestCode(caller, 'ana@example.com');
    h.clock.advance(9 * MINUTE + 59_000);
    expect(await caller.verification.confirm({ code })).toMatchObject({ verified: true });
  });

  it('a code entered at 10 min 01 s is refused as expired', async () => {
    const { caller } = await h.startVisitor();
    const code = await requestCode(caller, 'ana@example.com');
    h.clock.advance(10 * MINUTE + 1_000);
    const error = await rejection(caller.verification.confirm({ code }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('This code has expired. Request a new code.');
    expect((await caller.verification.status()).verified).toBe(false);
  });

  it('counts down wrong codes and refuses the 4th attempt even when it is right', async () => {
    const { caller } = await h.startVisitor();
    const code = await requestCode(caller, 'ana@example.com');
    const wrong = otherThan(code);

    const messages = [];
    for (let i = 0; i < 3; i++) messages.push((await rejection(caller.verification.confirm({ code: wrong }))).message);
    expect(messages).toEqual([
      'That code is not right. 2 attempts left.',
      'That code is not right. 1 attempt left.',
      'That code is not right. Too many attempts. Request a new code.',
    ]);
    expect((await caller.verification.status()).pending).toMatchObject({ attemptsLeft: 0 });

    const fourth = await rejection(caller.verification.confirm({ code }));
    expect(fourth.code).toBe('BAD_REQUEST');
    expect(fourth.message).toBe('Too many attempts. Request a new code.');
    expect((await caller.verification.status()).verified).toBe(false);
  });

  it('parallel guesses cannot get past 3 attempts', async () => {
    const { caller } = await h.startVisitor();
    const code = await requestCode(caller, 'ana@example.com');
    const guesses = Array.from({ length: 8 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const results = await Promise.allSettled(guesses.map((guess) => caller.verification.confirm({ code: guess })));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    const [challenge] = await em().find(OtpChallenge, {});
    expect(challenge!.attempts).toBe(3);
    expect((await rejection(caller.verification.confirm({ code }))).message).toBe('Too many attempts. Request a new code.');
  });

  it('a new request replaces the previous code: the old one stops working', async () => {
    const { caller } = await h.startVisitor();
    const first = await requestCode(caller, 'ana@example.com');
    h.clock.advance(30_000);
    const second = await requestCode(caller, 'ana@example.com');

    const error = await rejection(caller.verification.confirm({ code: first }));
    expect(error.message).toBe('That code is not right. 2 attempts left.');
    expect(await caller.verification.confirm({ code: second })).toMatchObject({ verified: true });
    expect(await em().count(OtpChallenge, { replacedAt: { $ne: null } })).toBe(1);
  });

  it('a used code cannot be used again, nor in another chat', async () => {
    const { caller } = await h.startVisitor();
    const other = await h.startVisitor();
    const code = await requestCode(caller, 'ana@example.com');

    const elsewhere = await rejection(other.caller.verification.confirm({ code }));
    expect(elsewhere.message).toBe('There is no code waiting for this chat. Request a new code.');
    await caller.verification.confirm({ code });
    const again = await rejection(caller.verification.confirm({ code }));
    expect(again.message).toBe('There is no code waiting for this chat. Request a new code.');
  });

  it('refuses a code that is not 6 digits before counting an attempt', async () => {
    const { caller } = await h.startVisitor();
    await requestCode(caller, 'ana@example.com');
    const error = await rejection(caller.verification.confirm({ code: '12ab56' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Enter the 6-digit code from the email.');
    expect((await caller.verification.status()).pending).toMatchObject({ attemptsLeft: 3 });
  });

  it('verifying another address later switches the session (and its customer) to that one', async () => {
    const ana = await upsertCustomer(em(), h.services, { email: 'ana@example.com' });
    const bob = await upsertCustomer(em(), h.services, { email: 'bob@example.com' });
    const { sessionId, caller } = await h.startVisitor();
    await caller.verification.confirm({ code: await requestCode(caller, 'ana@example.com') });
    const ticketId = (await em().findOneOrFail(ChatSession, { id: sessionId })).ticket.id;
    expect((await em().findOneOrFail(Ticket, { id: ticketId })).customer?.id).toBe(ana.customer.id);

    h.clock.advance(30_000);
    await caller.verification.confirm({ code: await requestCode(caller, 'bob@example.com') });
    expect((await caller.verification.status()).email).toBe('bob@example.com');
    expect((await em().findOneOrFail(Ticket, { id: ticketId })).customer?.id).toBe(bob.customer.id);
  });
});

describe('status', () => {
  it('shows nothing pending before a request and after the code expired', async () => {
    const { caller } = await h.startVisitor();
    const empty = { verified: false, email: null, verifiedAt: null, pending: null };
    expect(await caller.verification.status()).toEqual(empty);
    const pending = await caller.verification.request({ email: 'ana@example.com' });
    expect((await caller.verification.status()).pending).toEqual(pending);
    h.clock.advance(10 * MINUTE);
    expect(await caller.verification.status()).toEqual(empty);
  });
});

describe('throttling', () => {
  const retryAfter = (error: Error & { cause?: unknown }) => (error.cause as DomainError).retryAfterSeconds;

  it('asking again within 30 s answers TOO_MANY_REQUESTS with the seconds to wait', async () => {
    const { caller } = await h.startVisitor();
    await caller.verification.request({ email: 'ana@example.com' });
    h.clock.advance(10_000);
    const error = await rejection(caller.verification.request({ email: 'ana@example.com' }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toBe('A code was sent a moment ago. Try again in 20 s.');
    expect(retryAfter(error)).toBe(20);
    h.clock.advance(20_000);
    await expect(caller.verification.request({ email: 'ana@example.com' })).resolves.toMatchObject({ attemptsLeft: 3 });
  });

  it('limits one chat to 5 codes in 15 minutes, and says when the next one is possible', async () => {
    const { caller } = await h.startVisitor();
    let last;
    for (let i = 0; i < 5; i++) {
      last = await caller.verification.request({ email: `person${i}@example.com` });
      h.clock.advance(30_000);
    }
    // Requests at 0, 30 … 120 s: the next one fits once the first leaves the window, at 15 min.
    const start = h.clock.now().getTime() - 150_000;
    expect(last!.resendAvailableAt).toEqual(new Date(start + 15 * MINUTE));
    const error = await rejection(caller.verification.request({ email: 'person5@example.com' }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(retryAfter(error)).toBe(750);
    expect(error.message).toBe('Too many codes were requested. Try again in 13 min.');
  });

  it('limits codes for one address across chats, leaving other addresses alone', async () => {
    for (let i = 0; i < 5; i++) {
      const { caller } = await h.startVisitor();
      await caller.verification.request({ email: 'ana@example.com' });
      h.clock.advance(1_000);
    }
    const { caller } = await h.startVisitor();
    const error = await rejection(caller.verification.request({ email: 'ANA@example.com' }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(retryAfter(error)).toBe(60 * 60 - 5);
    await expect(caller.verification.request({ email: 'bob@example.com' })).resolves.toMatchObject({ email: 'bob@example.com' });
  });

  it('limits codes from one client address, leaving other client addresses alone', async () => {
    for (let i = 0; i < 20; i++) {
      await (await h.visitorAt('203.0.113.7')).verification.request({ email: `visitor${i}@example.com` });
    }
    const error = await rejection((await h.visitorAt('203.0.113.7')).verification.request({ email: 'late@example.com' }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(retryAfter(error)).toBeGreaterThan(0);
    await expect((await h.visitorAt('198.51.100.9')).verification.request({ email: 'late@example.com' })).resolves.toBeTruthy();
  });
});

describe('over HTTP', () => {
  it('a throttled request carries retryAfterSeconds in the error data, and a bad email its field message', async () => {
    const server = createAppServer(h.services);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
      let authorization = '';
      const api = createTRPCClient<AppRouter>({
        links: [httpLink({ url, transformer: superjson, headers: () => (authorization ? { authorization } : {}) })],
      });
      const { sessionId, visitorToken } = await api.chat.start.mutate({});
      authorization = `Bearer ${sessionId}.${visitorToken}`;

      const invalid = await api.verification.request.mutate({ email: 'nope' }).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(TRPCClientError);
      expect((invalid as Error).message).toBe('Enter a valid email address, such as name@example.com.');
      expect((invalid as TRPCClientError<AppRouter>).data).toMatchObject({ fieldErrors: { email: 'Enter a valid email address, such as name@example.com.' } });

      const pending = await api.verification.request.mutate({ email: 'ana@example.com' });
      expect(pending.expiresAt).toBeInstanceOf(Date);
      const throttled = await api.verification.request.mutate({ email: 'ana@example.com' }).catch((e: unknown) => e);
      expect((throttled as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 30 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
