import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Message, OutboxEmail } from '../src/db/entities/index.js';
import { SIGN_IN_LIMITS, CHANGE_PASSWORD_LIMITS } from '../src/domain/operators/auth.js';
import { DEFAULT_OTP_LIMITS } from '../src/domain/verification/verification.js';
import { TEST_PASSWORD } from './support/harness.js';
import { call, startHttpServer, type CallResult, type HttpHarness } from './support/http-server.js';

/*
 * Every limit, hammered by parallel requests over real HTTP: exactly the limit gets through.
 * Requests name their client address in X-Forwarded-For (TRUST_PROXY is on), so one test can
 * be many visitors. The clock stands still, so no window rolls over during a burst.
 */

let s: HttpHarness;
beforeEach(async () => {
  s = await startHttpServer({ env: { TRUST_PROXY: 'true' } });
  // Replies are not what is measured: a model that is down answers at once.
  s.h.ollama.behaviour = { mode: 'error', status: 500, message: 'down for the test' };
});
afterEach(async () => {
  await s.close();
});

const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });
const CONSOLE = { 'x-trpc-source': 'console' };

/** How many results carry each outcome: 'OK' or the error's tRPC code. */
function tally(results: CallResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const outcome = result.error?.code ?? (result.status === 200 ? 'OK' : `HTTP ${result.status}`);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

async function startChat(address: string): Promise<string> {
  const started = await call(s.base, 'chat.start', {}, { headers: from(address) });
  const data = (started.body as { result?: { data: { json: { sessionId: string; visitorToken: string } } } }).result?.data.json;
  if (!data) throw new Error(`chat.start failed: ${started.text}`);
  return `Bearer ${data.sessionId}.${data.visitorToken}`;
}

/** `chat.send` as the widget sends it: one streamed batch; the outcome is in the stream. */
async function send(authorization: string, address: string, clientMessageId: string): Promise<'accepted' | string> {
  const response = await fetch(`${s.base}/trpc/chat.send?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', authorization, ...from(address) },
    body: JSON.stringify({ 0: { json: { clientMessageId, text: 'Where is my parcel?' } } }),
  });
  const raw = await response.text();
  if (raw.includes('"accepted"')) return 'accepted';
  return /"code":"([A-Z_]+)"/.exec(raw)?.[1] ?? `HTTP ${response.status}`;
}

async function signIn(email: string, password: string, address: string): Promise<CallResult> {
  return call(s.base, 'admin.auth.signIn', { email, password }, { headers: from(address, CONSOLE) });
}

describe('console sign-in', () => {
  it('40 parallel wrong passwords for one account from one address: exactly 5 are checked', async () => {
    await s.h.operator('member', { email: 'ana@example.com' });
    const results = await parallel(40, (i) => signIn('ana@example.com', `guess ${i}`, '198.51.100.1'));
    expect(tally(results)).toEqual({ UNAUTHORIZED: SIGN_IN_LIMITS.accountAtAddress[0]!.limit, TOO_MANY_REQUESTS: 35 });
  });

  it('100 parallel wrong passwords from one address over many accounts: exactly 20 are checked', async () => {
    const results = await parallel(100, (i) => signIn(`someone${i}@example.com`, 'a guess', '198.51.100.2'));
    expect(tally(results)).toEqual({ UNAUTHORIZED: SIGN_IN_LIMITS.address[0]!.limit, TOO_MANY_REQUESTS: 80 });
  });

  it('the owner signs in from their own address in the middle of an attack on their account', async () => {
    await s.h.operator('owner', { email: 'owner@example.com' });
    const attack = parallel(40, (i) => signIn('owner@example.com', `guess ${i}`, '198.51.100.3'));
    const owner = signIn('owner@example.com', TEST_PASSWORD, '203.0.113.10');
    expect((await owner).status).toBe(200);
    expect(tally(await attack)).toEqual({ UNAUTHORIZED: 5, TOO_MANY_REQUESTS: 35 });
    expect((await signIn('owner@example.com', TEST_PASSWORD, '203.0.113.10')).status).toBe(200);
  });

  it('40 parallel wrong current passwords on the change-password form: exactly 5 are checked', async () => {
    const { token } = await s.h.operator('member');
    const headers = from('203.0.113.11', { ...CONSOLE, cookie: `t0_session=${token}` });
    const results = await parallel(40, (i) =>
      call(s.base, 'admin.auth.changePassword', { currentPassword: `guess ${i}`, newPassword: 'a brand new password' }, { headers }),
    );
    expect(tally(results)).toEqual({ BAD_REQUEST: CHANGE_PASSWORD_LIMITS[0]!.limit, TOO_MANY_REQUESTS: 35 });
  });
});

describe('verification codes', () => {
  const codesTo = (email: string) => s.h.orm.em.fork().count(OutboxEmail, { to: email });

  it('60 parallel requests for one email from 60 chats on 3 addresses: exactly 5 codes are sent', async () => {
    const addresses = ['198.51.100.21', '198.51.100.22', '198.51.100.23'];
    const chats = await parallel(60, (i) => startChat(addresses[i % 3]!));
    const results = await parallel(60, (i) =>
      call(s.base, 'verification.request', { email: 'victim@example.com' }, { headers: from(addresses[i % 3]!, { authorization: chats[i]! }) }),
    );
    expect(tally(results)).toEqual({ OK: DEFAULT_OTP_LIMITS.perEmail.max, TOO_MANY_REQUESTS: 55 });
    expect(await codesTo('victim@example.com')).toBe(5);
  });

  it('40 parallel requests from one chat: exactly 1 code (then the resend wait)', async () => {
    const chat = await startChat('198.51.100.24');
    const results = await parallel(40, (i) =>
      call(s.base, 'verification.request', { email: `me${i}@example.com` }, { headers: from('198.51.100.24', { authorization: chat }) }),
    );
    expect(tally(results)).toEqual({ OK: 1, TOO_MANY_REQUESTS: 39 });
  });

  it('one chat gets exactly 5 codes in 15 minutes however hard it asks', async () => {
    const chat = await startChat('198.51.100.25');
    let sent = 0;
    for (let round = 0; round < 7; round++) {
      const results = await parallel(40, (i) =>
        call(s.base, 'verification.request', { email: `r${round}-${i}@example.com` }, { headers: from('198.51.100.25', { authorization: chat }) }),
      );
      sent += tally(results).OK ?? 0;
      s.h.clock.advance(DEFAULT_OTP_LIMITS.cooldownMs);
    }
    expect(sent).toBe(DEFAULT_OTP_LIMITS.perSession.max);
  });

  it('30 parallel requests from one address for different emails and chats: exactly 20 codes', async () => {
    const chats = await parallel(30, () => startChat('198.51.100.26'));
    const results = await parallel(30, (i) =>
      call(s.base, 'verification.request', { email: `person${i}@example.com` }, { headers: from('198.51.100.26', { authorization: chats[i]! }) }),
    );
    expect(tally(results)).toEqual({ OK: DEFAULT_OTP_LIMITS.perAddress.max, TOO_MANY_REQUESTS: 10 });
  });
});

describe('chat', () => {
  const stored = () => s.h.orm.em.fork().count(Message, { author: 'visitor' });

  it('40 parallel messages in one chat: exactly 20 are accepted (RATE_LIMIT_SESSION_PER_MINUTE)', async () => {
    const chat = await startChat('198.51.100.31');
    const outcomes = await parallel(40, (i) => send(chat, '198.51.100.31', `burst-message-${i}`));
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(s.h.env.RATE_LIMIT_SESSION_PER_MINUTE);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(20);
    expect(await stored()).toBe(20);
  });

  it('100 parallel messages from 100 chats on one address: exactly 60 are accepted (RATE_LIMIT_ADDRESS_PER_MINUTE)', async () => {
    const chats = await parallel(100, (i) => startChat(`198.51.101.${i}`));
    const outcomes = await parallel(100, (i) => send(chats[i]!, '198.51.100.32', `address-burst-${i}`));
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(s.h.env.RATE_LIMIT_ADDRESS_PER_MINUTE);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(40);
    expect(await stored()).toBe(60);
  });

  it('100 parallel new chats from one address: exactly 60 are opened', async () => {
    const results = await parallel(100, () => call(s.base, 'chat.start', {}, { headers: from('198.51.100.33') }));
    expect(tally(results)).toEqual({ OK: s.h.env.RATE_LIMIT_ADDRESS_PER_MINUTE, TOO_MANY_REQUESTS: 40 });
  });
});
