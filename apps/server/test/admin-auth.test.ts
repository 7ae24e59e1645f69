import { describe, expect, it } from 'vitest';
import { startConsole } from '../src/console-boot.js';
import { Operator, OperatorSession } from '../src/db/entities/index.js';
import { hashPassword, verifyPassword } from '../src/domain/operators/auth.js';
import { createHarness, freshHarnessPerTest, rejection, TEST_PASSWORD, type Harness } from './support/harness.js';

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

/** Signs in through the procedure and returns the session token from the Set-Cookie header. */
async function signIn(email: string, password = TEST_PASSWORD, clientAddress = '203.0.113.5') {
  const cookies: string[] = [];
  const result = await h.console(null, { cookies, clientAddress }).admin.auth.signIn({ email, password });
  const token = /t0_session=([^;]*)/.exec(cookies[0] ?? '')?.[1] ?? null;
  return { result, cookies, token };
}

describe('passwords', () => {
  it('are stored as salted scrypt hashes that verify only the right password', async () => {
    const hash = await hashPassword('a long enough password');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(hash).not.toContain('a long enough password');
    expect(await hashPassword('a long enough password')).not.toBe(hash);
    expect(await verifyPassword('a long enough password', hash)).toBe(true);
    expect(await verifyPassword('a long enough passworD', hash)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});

describe('signing in', () => {
  it('sets an httpOnly, SameSite=Strict session cookie and stores only the token hash', async () => {
    const { operator } = await h.operator('member', { email: 'ana@example.com' });
    const { result, cookies, token } = await signIn('ANA@example.com ');
    expect(result.operator).toMatchObject({ id: operator.id, email: 'ana@example.com', role: 'member' });
    expect(JSON.stringify(result)).not.toContain('scrypt');
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^t0_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const sessions = await h.orm.em.fork().find(OperatorSession, { operator: operator.id });
    expect(sessions.map((s) => s.tokenHash)).not.toContain(token);
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.tokenHash))).toBe(true);

    const me = await h.console(token).admin.auth.session();
    expect(me?.operator.email).toBe('ana@example.com');
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    await h.close();
    h = await createHarness({ env: { PUBLIC_URL: 'https://support.example.com' } });
    await h.operator('member', { email: 'ana@example.com' });
    const { cookies } = await signIn('ana@example.com');
    expect(cookies[0]).toMatch(/; Secure$/);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    const unknown = await rejection(signIn('nobody@example.com'));
    const wrong = await rejection(signIn('ana@example.com', 'wrong password!'));
    expect(unknown.code).toBe('UNAUTHORIZED');
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(unknown.message).toBe(wrong.message);
  });

  it('locks an email out after five failures, even for the right password, until the lock expires', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    for (let i = 0; i < 5; i++) {
      expect((await rejection(signIn('ana@example.com', `guess number ${i}`))).code).toBe('UNAUTHORIZED');
    }
    const locked = await rejection(signIn('ana@example.com'));
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.message).toMatch(/Try again in 15 min/);
    h.clock.advance(15 * 60_000 + 1000);
    expect((await signIn('ana@example.com')).result.operator.email).toBe('ana@example.com');
  });

  it('guesses at an account from one address never lock its owner out of their own address', async () => {
    const { operator } = await h.operator('owner', { email: 'owner@example.com' });
    for (let i = 0; i < 30; i++) await rejection(signIn('owner@example.com', `attacker guess ${i}`, '198.51.100.66'));
    expect((await rejection(signIn('owner@example.com', TEST_PASSWORD, '198.51.100.66'))).code).toBe('TOO_MANY_REQUESTS');
    // The owner, from the address they always use:
    expect((await signIn('owner@example.com', TEST_PASSWORD, '203.0.113.5')).result.operator.id).toBe(operator.id);
  });

  it('slows an attacker in growing steps: 5 tries, then after 15 min 5 more, then not before the hour is out', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    const guess = () => rejection(signIn('ana@example.com', 'a wrong password', '198.51.100.9'));
    for (let i = 0; i < 5; i++) expect((await guess()).code).toBe('UNAUTHORIZED');
    expect((await guess()).message).toMatch(/Try again in 15 min/);
    h.clock.advance(15 * 60_000);
    for (let i = 0; i < 5; i++) expect((await guess()).code).toBe('UNAUTHORIZED');
    const slower = await guess();
    expect(slower.code).toBe('TOO_MANY_REQUESTS');
    expect(slower.message).toMatch(/Try again in 45 min/);
  });

  it('the right password forgets the failures of that email at that address', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    for (let i = 0; i < 4; i++) await rejection(signIn('ana@example.com', `typo ${i}`));
    await signIn('ana@example.com');
    for (let i = 0; i < 4; i++) expect((await rejection(signIn('ana@example.com', `typo again ${i}`))).code).toBe('UNAUTHORIZED');
  });

  it('locks out an address that tries many emails', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    for (let i = 0; i < 20; i++) {
      await rejection(signIn(`user${i}@example.com`, 'password guess', '198.51.100.7'));
    }
    expect((await rejection(signIn('ana@example.com', TEST_PASSWORD, '198.51.100.7'))).code).toBe('TOO_MANY_REQUESTS');
    // Another address is not affected.
    expect((await signIn('ana@example.com', TEST_PASSWORD, '198.51.100.8')).token).toBeTruthy();
  });

  it('is refused when the request does not come from the console', async () => {
    await h.operator('member', { email: 'ana@example.com' });
    const error = await rejection(h.anonymous().admin.auth.signIn({ email: 'ana@example.com', password: TEST_PASSWORD }));
    expect(error.code).toBe('FORBIDDEN');
  });
});

describe('sessions', () => {
  it('end after 12 hours without a request', async () => {
    const { caller } = await h.operator('member');
    h.clock.advance(11 * 60 * 60_000);
    await caller.admin.chats.list();
    h.clock.advance(11 * 60 * 60_000); // active 11 h ago: still fine
    await caller.admin.chats.list();
    h.clock.advance(12 * 60 * 60_000 + 1);
    const error = await rejection(caller.admin.chats.list());
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('Your session has ended. Sign in again.');
  });

  it('end seven days after sign-in however busy', async () => {
    const { caller } = await h.operator('member');
    for (let i = 0; i < 27; i++) {
      h.clock.advance(6 * 60 * 60_000); // 162 h in all, never idle for long
      await caller.admin.chats.list();
    }
    h.clock.advance(6 * 60 * 60_000); // 168 h
    expect((await rejection(caller.admin.chats.list())).code).toBe('UNAUTHORIZED');
  });

  it('an ended session clears its cookie and reports nobody signed in', async () => {
    const { token } = await h.operator('member');
    h.clock.advance(13 * 60 * 60_000);
    const cookies: string[] = [];
    expect(await h.console(token, { cookies }).admin.auth.session()).toBeNull();
    expect(cookies).toEqual(['t0_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0']);
  });

  it('signing out ends the session on the server, not just in the browser', async () => {
    const { token, caller } = await h.operator('member');
    const cookies: string[] = [];
    await h.console(token, { cookies }).admin.auth.signOut();
    expect(cookies[0]).toMatch(/^t0_session=; .*Max-Age=0/);
    expect((await rejection(caller.admin.tickets.list())).code).toBe('UNAUTHORIZED');
    expect(await h.orm.em.fork().count(OperatorSession, {})).toBe(0);
  });
});

describe('changing a password', () => {
  it('needs the current password, keeps this session and ends the others', async () => {
    const { operator, caller } = await h.operator('admin', { email: 'ana@example.com' });
    const other = await signIn('ana@example.com');
    const wrong = await rejection(
      caller.admin.auth.changePassword({ currentPassword: 'not it at all', newPassword: 'a new long password' }),
    );
    expect(wrong.code).toBe('BAD_REQUEST');

    await caller.admin.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'a new long password' });
    await caller.admin.chats.list();
    expect((await rejection(h.console(other.token).admin.chats.list())).code).toBe('UNAUTHORIZED');
    expect((await rejection(signIn('ana@example.com'))).code).toBe('UNAUTHORIZED');
    expect((await signIn('ana@example.com', 'a new long password')).result.operator.id).toBe(operator.id);
  });

  it('allows 5 wrong current passwords, then refuses to check more for a while', async () => {
    const { caller } = await h.operator('member');
    const change = (currentPassword: string) => caller.admin.auth.changePassword({ currentPassword, newPassword: 'a new long password' });
    for (let i = 0; i < 5; i++) expect((await rejection(change(`guess ${i}`))).code).toBe('BAD_REQUEST');
    const refused = await rejection(change(TEST_PASSWORD));
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.message).toMatch(/Too many wrong passwords\. Try again in 15 min/);
    h.clock.advance(15 * 60_000);
    await change(TEST_PASSWORD);
  });

  it('rejects a short new password with a readable message', async () => {
    const { caller } = await h.operator('member');
    const error = await rejection(caller.admin.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'short' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Passwords must be at least 12 characters.');
  });
});

describe('the first owner', () => {
  it('comes from ADMIN_EMAIL and ADMIN_PASSWORD on an empty database, once', async () => {
    await h.close();
    h = await createHarness({ env: { ADMIN_EMAIL: 'Owner@Example.com', ADMIN_PASSWORD: 'the owner password' } });
    const printed: string[] = [];
    await (await startConsole(h.services, (text) => printed.push(text))).stop();
    await (await startConsole(h.services, (text) => printed.push(text))).stop();
    const operators = await h.orm.em.fork().find(Operator, {});
    expect(operators.map((o) => [o.email, o.role])).toEqual([['owner@example.com', 'owner']]);
    expect(printed.join('\n')).not.toContain('the owner password');
    expect(printed).toHaveLength(1);
    expect((await signIn('owner@example.com', 'the owner password')).result.operator.role).toBe('owner');
  });

  it('gets a generated password printed once when none is configured', async () => {
    const printed: string[] = [];
    await (await startConsole(h.services, (text) => printed.push(text))).stop();
    await (await startConsole(h.services, (text) => printed.push(text))).stop();
    expect(printed).toHaveLength(1);
    const password = /password: (\S+)/.exec(printed[0]!)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(printed[0]).toContain('admin@localhost');
    expect((await signIn('admin@localhost', password)).result.operator.role).toBe('owner');
  });
});
