import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/sqlite';
import {
  VERIFICATION_CODE_TTL_SECONDS,
  VERIFICATION_MAX_ATTEMPTS,
  VERIFICATION_RESEND_COOLDOWN_SECONDS,
  type PendingVerification,
  type VerificationResult,
  type VerificationStatus,
} from '@ticket0/contracts';
import { OtpChallenge, type ChatSession } from '../../db/entities/index.js';
import type { OutboxSender } from '../../mail/outbox.js';
import { textToHtml } from '../../mail/render.js';
import { fill, textsFor } from '../../lib/i18n/index.js';
import { findBrandName } from '../settings/settings.js';
import { databaseCaches } from '../../db/sql.js';
import { sessionCacheKey } from '../chat/sessions.js';
import { brandOf } from '../chat/site.js';
import type { Clock } from '../../lib/clock.js';
import { findCustomerByEmail, normalizeEmail } from '../customers/customers.js';
import { DomainError } from '../../lib/errors.js';
import type { EventBus } from '../../lib/events.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { LimitStore, scryptWork, type Limits, type LimitWindow } from '../../lib/rate-limit.js';

/*
 * Email verification for a chat session: a 6-digit code from a cryptographic source is
 * mailed through the outbox; only a salted scrypt hash of it, bound to the challenge id and
 * the email, is stored. A code works for 10 minutes and 3 tries, once. Requests are
 * throttled per session (a resend cooldown and a window), per email and per client address.
 * Each request is counted in the limit store before anything else happens (parallel
 * requests cannot all see room); after a restart the counts are rebuilt from the stored
 * challenges, so the limits survive it.
 *
 * Requesting never looks at customers: the answer, the mail and the work done are the same
 * for every address, so the endpoint cannot tell anyone who is a customer.
 */

export const OTP_TTL_MS = VERIFICATION_CODE_TTL_SECONDS * 1000;
export const OTP_MAX_ATTEMPTS = VERIFICATION_MAX_ATTEMPTS;

export interface WindowLimit {
  max: number;
  windowMs: number;
}

export interface OtpLimits {
  /** Shortest time between two codes for one session. */
  cooldownMs: number;
  perSession: WindowLimit;
  /** Protects a person's inbox (and their code) from many sessions asking for it. */
  perEmail: WindowLimit;
  perAddress: WindowLimit;
}

export const DEFAULT_OTP_LIMITS: OtpLimits = {
  cooldownMs: VERIFICATION_RESEND_COOLDOWN_SECONDS * 1000,
  perSession: { max: 5, windowMs: 15 * 60_000 },
  perEmail: { max: 5, windowMs: 60 * 60_000 },
  perAddress: { max: 20, windowMs: 60 * 60_000 },
};

/** Challenges older than this are deleted (longer than any throttle window). */
const RETENTION_MS = 24 * 60 * 60_000;

/** Cost of the code hash: ~16 MiB and tens of milliseconds, so a stolen row is slow to guess. */
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;

export interface OtpDeps {
  clock: Clock;
  outbox: OutboxSender;
  events?: EventBus;
  otpLimits?: OtpLimits;
  /** Where code requests are counted. */
  limits: Limits;
}

interface ThrottleKeys {
  sessionId: string;
  email: string;
  clientAddress: string;
}

function windowsOf(limits: OtpLimits, keys: ThrottleKeys): LimitWindow[] {
  return [
    { key: `otp-cooldown:${keys.sessionId}`, limit: 1, windowMs: limits.cooldownMs },
    { key: `otp-session:${keys.sessionId}`, limit: limits.perSession.max, windowMs: limits.perSession.windowMs },
    { key: `otp-email:${keys.email}`, limit: limits.perEmail.max, windowMs: limits.perEmail.windowMs },
    { key: `otp-address:${keys.clientAddress}`, limit: limits.perAddress.max, windowMs: limits.perAddress.windowMs },
  ];
}

/**
 * Once per memory store (per process): the counts of recent requests, rebuilt from their
 * rows. The database's counts outlive a restart and need nothing.
 */
const rebuilt = new WeakMap<LimitStore, Promise<void>>();

async function rebuildCounts(em: EntityManager, deps: OtpDeps, limits: OtpLimits): Promise<void> {
  const store = deps.limits;
  if (!(store instanceof LimitStore)) return;
  let done = rebuilt.get(store);
  if (!done) {
    done = (async () => {
      const windows = windowsOf(limits, { sessionId: '', email: '', clientAddress: '' });
      const since = deps.clock.now().getTime() - Math.max(...windows.map((window) => window.windowMs));
      const rows = await em
        .fork()
        .find(OtpChallenge, { createdAt: { $gt: new Date(since) } }, { fields: ['session', 'email', 'clientAddress', 'createdAt'] });
      for (const row of rows) {
        const keys = { sessionId: row.session.id, email: row.email, clientAddress: row.clientAddress ?? '' };
        for (const window of windowsOf(limits, keys)) {
          if (!window.key.endsWith(':')) store.record(window.key, row.createdAt.getTime(), window.windowMs);
        }
      }
    })();
    rebuilt.set(store, done);
    done.catch(() => rebuilt.delete(store));
  }
  return done;
}

/** One request or confirmation at a time per session: attempts cannot be raced past 3. */
const sessions = new KeyedLock();

/**
 * Mails a new code to `email` for this session, replacing any code sent before. Throws
 * TOO_MANY_REQUESTS (with retryAfterSeconds) when a throttle says no.
 */
export async function requestVerification(
  em: EntityManager,
  deps: OtpDeps,
  session: ChatSession,
  input: { email: string; clientAddress: string },
): Promise<PendingVerification> {
  const limits = deps.otpLimits ?? DEFAULT_OTP_LIMITS;
  const email = normalizeEmail(input.email);
  const keys = { sessionId: session.id, email, clientAddress: input.clientAddress };
  await rebuildCounts(em, deps, limits);
  // Counted before any other await: parallel requests cannot all pass the same check.
  const counted = await deps.limits.reserveAll(windowsOf(limits, keys));
  if (!counted.allowed) {
    const seconds = counted.retryAfterSeconds;
    const { errors } = textsFor(session.locale);
    const why = counted.refusedBy.key.startsWith('otp-cooldown:') ? errors.codeSentRecently : errors.tooManyCodes;
    throw new DomainError('TOO_MANY_REQUESTS', fill(why, { wait: formatWait(seconds) }), seconds);
  }
  try {
    return await sessions.run(session.id, async () => {
      const now = deps.clock.now();
      await em.nativeDelete(OtpChallenge, { createdAt: { $lt: new Date(now.getTime() - RETENTION_MS) } });

      const id = `otp_${randomBytes(16).toString('base64url')}`;
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const salt = randomBytes(16);
      const codeHash = (await hashCode(id, email, code, salt)).toString('hex');
      for (const previous of await liveChallenges(em, session)) previous.replacedAt = now;
      const challenge = em.create(OtpChallenge, {
        id,
        session,
        email,
        codeHash,
        salt: salt.toString('hex'),
        clientAddress: input.clientAddress,
        attempts: 0,
        expiresAt: new Date(now.getTime() + OTP_TTL_MS),
        createdAt: now,
      });
      // The mail names the brand the visitor knows, not a host name such as 127.0.0.1.
      const brand = brandOf(await findBrandName(em), session.origin);
      const text = verificationMailText(code, brand, session.locale);
      deps.outbox.queue(em, {
        to: email,
        subject: fill(textsFor(session.locale).verificationSubject, { code, brand }),
        text,
        html: textToHtml(text),
      });
      await em.flush();
      deps.outbox.wake();
      return pendingOf(challenge, await deps.limits.availableAt(windowsOf(limits, keys)));
    });
  } catch (error) {
    // No code went out: the request does not count.
    await counted.release();
    throw error;
  }
}

/**
 * Checks a code against the session's live challenge. Right: the session is verified for
 * that email (and its chat ticket linked to the customer with it, when one exists); the
 * code is used up. Wrong, expired, used up or too many tries: BAD_REQUEST with a sentence
 * the visitor can act on.
 */
export async function confirmVerification(
  em: EntityManager,
  deps: OtpDeps,
  session: ChatSession,
  input: { code: string },
): Promise<VerificationResult> {
  return sessions.run(session.id, async () => {
    const now = deps.clock.now();
    const [challenge] = await liveChallenges(em, session);
    const { errors } = textsFor(session.locale);
    if (!challenge) throw new DomainError('BAD_REQUEST', errors.noCodeWaiting);
    if (challenge.attempts >= OTP_MAX_ATTEMPTS) throw new DomainError('BAD_REQUEST', errors.tooManyAttempts);
    if (now.getTime() >= challenge.expiresAt.getTime()) {
      throw new DomainError('BAD_REQUEST', errors.codeExpired);
    }
    // Hashed first (a busy server refuses before the try is spent), then counted and stored
    // before comparing, so no failure of what follows gives a free try.
    const actual = await hashCode(challenge.id, challenge.email, input.code, Buffer.from(challenge.salt, 'hex'));
    // Checked and counted in one statement: tries through several server processes add up.
    const counted = await em.nativeUpdate(OtpChallenge, { id: challenge.id, attempts: { $lt: OTP_MAX_ATTEMPTS } }, { attempts: raw('attempts + 1') });
    if (counted !== 1) throw new DomainError('BAD_REQUEST', 'Too many attempts. Request a new code.');
    await em.refresh(challenge);

    const expected = Buffer.from(challenge.codeHash, 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      const left = OTP_MAX_ATTEMPTS - challenge.attempts;
      throw new DomainError(
        'BAD_REQUEST',
        left > 0 ? fill(left === 1 ? errors.wrongCodeOne : errors.wrongCodeMany, { n: left }) : errors.wrongCodeLast,
      );
    }

    challenge.consumedAt = now;
    return markVerified(em, deps, session, challenge.email, now);
  });
}

/**
 * Verifies the session as `email` once something proved it (a signed identity from the host
 * site), exactly as a confirmed code does, under the same per-session lock. `check` runs
 * inside the lock, before anything is written: a refusal there leaves the session as it was.
 */
export function verifySessionAs(
  em: EntityManager,
  deps: Pick<OtpDeps, 'clock' | 'events'>,
  session: ChatSession,
  email: string,
  check: () => Promise<void>,
): Promise<VerificationResult> {
  return sessions.run(session.id, async () => {
    await check();
    return markVerified(em, deps, session, normalizeEmail(email), deps.clock.now());
  });
}

/** The one way a session becomes verified, whatever proved the address. */
async function markVerified(
  em: EntityManager,
  deps: Pick<OtpDeps, 'events'>,
  session: ChatSession,
  email: string,
  now: Date,
): Promise<VerificationResult> {
  session.verifiedEmail = email;
  session.verifiedAt = now;
  // The chat ticket shows (in the console) whose chat this is; a new email replaces an old one.
  await em.populate(session, ['ticket']);
  const ticket = session.ticket;
  ticket.customer = await findCustomerByEmail(em, email);
  session.lastActivityAt = now;
  await em.flush();
  // The chat's next message must see the verified address (the session is cached).
  databaseCaches(em).invalidate(sessionCacheKey(session.id));
  deps.events?.emit('ticket.changed', { ticketId: ticket.id });
  return { verified: true, email, verifiedAt: now };
}

/** What the widget shows: verified or not, and the code waiting to be entered. */
export async function verificationStatus(
  em: EntityManager,
  deps: OtpDeps,
  session: ChatSession,
  input: { clientAddress: string },
): Promise<VerificationStatus> {
  const now = deps.clock.now();
  const limits = deps.otpLimits ?? DEFAULT_OTP_LIMITS;
  await rebuildCounts(em, deps, limits);
  const [challenge] = await liveChallenges(em, session);
  let pending: PendingVerification | null = null;
  if (challenge && challenge.expiresAt.getTime() > now.getTime()) {
    const keys = { sessionId: session.id, email: challenge.email, clientAddress: input.clientAddress };
    pending = pendingOf(challenge, await deps.limits.availableAt(windowsOf(limits, keys)));
  }
  const verified = Boolean(session.verifiedEmail && session.verifiedAt);
  return {
    verified,
    email: verified ? session.verifiedEmail : null,
    verifiedAt: verified ? session.verifiedAt : null,
    pending,
  };
}

function pendingOf(challenge: OtpChallenge, resendAt: number): PendingVerification {
  return {
    email: challenge.email,
    expiresAt: challenge.expiresAt,
    attemptsLeft: Math.max(0, OTP_MAX_ATTEMPTS - challenge.attempts),
    resendAvailableAt: new Date(resendAt),
  };
}

/** The session's code that can still be entered (not used, not replaced), newest first. */
function liveChallenges(em: EntityManager, session: ChatSession): Promise<OtpChallenge[]> {
  return em.find(
    OtpChallenge,
    { session: session.id, consumedAt: null, replacedAt: null },
    { orderBy: { createdAt: 'desc', id: 'desc' }, refresh: true },
  );
}

/** scrypt of the code, bound to the challenge and its email, with the challenge's salt. */
function hashCode(challengeId: string, email: string, code: string, salt: Buffer): Promise<Buffer> {
  return scryptWork.run(
    () =>
      new Promise((resolve, reject) => {
        scrypt(`${challengeId}:${email}:${code}`, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

function formatWait(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** The same words for every address: whether it belongs to a customer never shows. */
export function verificationMailText(code: string, siteName: string, locale?: string | null): string {
  return fill(textsFor(locale).verificationBody, { code, brand: siteName, minutes: VERIFICATION_CODE_TTL_SECONDS / 60 });
}
