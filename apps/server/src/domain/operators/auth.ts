import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import type { OperatorRole } from '@ticket0/contracts';
import { Operator, OperatorSession } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { scryptWork, type Limits, type LimitWindow } from '../../lib/rate-limit.js';

// ---------------------------------------------------------------------------------------
// Passwords

/** scrypt cost: 2^15 × 8 × 1 takes ~60 ms and 32 MiB here, a fair price per sign-in. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 };

/** Through the shared scrypt queue: a burst of sign-ins cannot take every thread-pool thread. */
function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return scryptWork.run(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash so they can change. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (![N, R, P].every((value) => Number.isInteger(value) && value > 0)) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(saltText, 'base64url'), expected.length, {
    N,
    r: R,
    p: P,
    maxmem: 128 * N * R * 2,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A password people can type: 24 characters from a 56-letter alphabet (~139 bits). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(48);
  let out = '';
  for (const byte of bytes) {
    // 224 = 4 × 56: rejecting above it keeps every letter equally likely.
    if (byte < 224) out += alphabet[byte % alphabet.length];
    if (out.length === 24) break;
  }
  return out.length === 24 ? out : generatePassword();
}

/** Spent on unknown emails too, so a wrong address takes as long as a wrong password. */
let dummyHash: Promise<string> | null = null;

// ---------------------------------------------------------------------------------------
// Roles

const ROLE_RANK: Record<OperatorRole, number> = { member: 1, admin: 2, owner: 3 };

/** True when `role` is `minimum` or above (owner > admin > member). */
export function hasRole(role: OperatorRole, minimum: OperatorRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

// ---------------------------------------------------------------------------------------
// Failed sign-ins

/** Tiers of one limit: each adds a longer wait once the one before it is used up. */
type Tiers = Array<{ limit: number; windowMs: number }>;

const MINUTE = 60_000;

/**
 * Sign-in attempts counted per email at one address, and per address. The owner signing in
 * from their own address is never slowed by guesses at their account from elsewhere.
 */
export const SIGN_IN_LIMITS: { accountAtAddress: Tiers; address: Tiers } = {
  accountAtAddress: [
    { limit: 5, windowMs: 15 * MINUTE },
    { limit: 10, windowMs: 60 * MINUTE },
    { limit: 20, windowMs: 24 * 60 * MINUTE },
  ],
  address: [
    { limit: 20, windowMs: 15 * MINUTE },
    { limit: 40, windowMs: 60 * MINUTE },
    { limit: 100, windowMs: 24 * 60 * MINUTE },
  ],
};

/** Wrong current passwords on the change-password form, per operator. */
export const CHANGE_PASSWORD_LIMITS: Tiers = [
  { limit: 5, windowMs: 15 * MINUTE },
  { limit: 10, windowMs: 24 * 60 * MINUTE },
];

function windowsOf(key: string, tiers: Tiers): LimitWindow[] {
  return tiers.map((tier) => ({ key, ...tier }));
}

function tooMany(what: string, retryAfterSeconds: number): DomainError {
  const wait = retryAfterSeconds < 120 ? `${retryAfterSeconds} s` : `${Math.ceil(retryAfterSeconds / 60)} min`;
  return new DomainError('TOO_MANY_REQUESTS', `${what} Try again in ${wait}.`, retryAfterSeconds);
}

/**
 * Counts sign-in attempts before the password is checked, in the same synchronous step as
 * the check against the limits, so parallel guesses cannot get past them. Every attempt
 * counts as a failure until it proves otherwise: the right password forgets the failures
 * of that email at that address and gives the address its attempt back.
 */
export class SignInThrottle {
  constructor(
    private readonly limits: Limits,
    private readonly tiers = SIGN_IN_LIMITS,
  ) {}

  /** Counts one attempt, or throws TOO_MANY_REQUESTS. */
  async reserve(email: string, address: string): Promise<{ succeeded(): Promise<void>; notChecked(): Promise<void> }> {
    const accountKey = `sign-in:account:${address}:${email}`;
    const reservation = await this.limits.reserveAll([
      ...windowsOf(accountKey, this.tiers.accountAtAddress),
      ...windowsOf(`sign-in:address:${address}`, this.tiers.address),
    ]);
    if (!reservation.allowed) throw tooMany('Too many failed sign-ins.', reservation.retryAfterSeconds);
    return {
      succeeded: async () => {
        await reservation.release();
        await this.limits.clear(accountKey);
      },
      notChecked: async () => {
        await reservation.release();
      },
    };
  }
}

// ---------------------------------------------------------------------------------------
// Sessions and the cookie

export const SESSION_COOKIE = 't0_session';

export interface AuthOptions {
  clock: Clock;
  /** PUBLIC_URL: the cookie is `Secure` when it is https. */
  publicUrl: string;
  /** A session ends after this long without a request. */
  idleMs?: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteMs?: number;
  /** Where failed sign-ins and password guesses are counted. */
  limits: Limits;
}

export interface Authenticated {
  operator: Operator;
  session: OperatorSession;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads one cookie from a `Cookie:` header. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * Operator sign-in, sessions and passwords. Sessions are database rows keyed by the hash
 * of a random 32-byte token that lives only in the browser's httpOnly cookie.
 */
export class AuthService {
  readonly throttle: SignInThrottle;
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly secure: boolean;

  constructor(private readonly options: AuthOptions) {
    this.throttle = new SignInThrottle(options.limits);
    this.idleMs = options.idleMs ?? 12 * 60 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 7 * 24 * 60 * 60_000;
    this.secure = options.publicUrl.startsWith('https://');
  }

  /**
   * Checks email and password and opens a session. Wrong email and wrong password give the
   * same answer in about the same time. Too many failures slow down that email at that
   * address, and that address, in growing steps (SIGN_IN_LIMITS).
   */
  async signIn(
    em: EntityManager,
    input: { email: string; password: string; clientAddress: string },
  ): Promise<{ operator: Operator; token: string; session: OperatorSession }> {
    const email = input.email.trim().toLowerCase();
    const attempt = await this.throttle.reserve(email, input.clientAddress);
    let operator: Operator | null;
    let ok: boolean;
    try {
      operator = await em.findOne(Operator, { email });
      dummyHash ??= hashPassword(randomBytes(16).toString('hex')).catch((error: unknown) => {
        dummyHash = null; // refused while busy: make it next time
        throw error;
      });
      const stored = operator?.passwordHash ?? (await dummyHash);
      ok = await verifyPassword(input.password, stored);
    } catch (error) {
      // Busy, or the database failed: the password was not checked, so the try is not spent.
      await attempt.notChecked();
      throw error;
    }
    if (!operator || !ok) throw new DomainError('UNAUTHORIZED', 'That email and password do not match an operator.');
    await attempt.succeeded();
    const now = this.options.clock.now();
    const token = randomBytes(32).toString('base64url');
    const session = em.create(OperatorSession, {
      tokenHash: hashToken(token),
      operator,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.absoluteMs),
      clientAddress: input.clientAddress.slice(0, 64),
    });
    await em.flush();
    return { operator, token, session };
  }

  /** The operator behind a session cookie, or null when it is unknown or expired. */
  async authenticate(em: EntityManager, token: string | null): Promise<Authenticated | null> {
    if (!token || token.length > 100) return null;
    const session = await em.findOne(OperatorSession, { tokenHash: hashToken(token) }, { populate: ['operator'] });
    if (!session) return null;
    const now = this.options.clock.now();
    const idleEnd = session.lastSeenAt.getTime() + this.idleMs;
    if (now >= session.expiresAt || now.getTime() >= idleEnd || session.createdAt < session.operator.passwordChangedAt) {
      em.remove(session);
      await em.flush();
      return null;
    }
    // Write at most once a minute: every console request passes here.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
      session.lastSeenAt = now;
      await em.flush();
    }
    return { operator: session.operator, session };
  }

  /** Ends the session behind `token`, if any. */
  async signOut(em: EntityManager, token: string | null): Promise<void> {
    if (!token) return;
    await em.nativeDelete(OperatorSession, { tokenHash: hashToken(token) });
  }

  /** Needs the current password; ends every other session of this operator. */
  async changePassword(
    em: EntityManager,
    auth: Authenticated,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    const key = `change-password:${auth.operator.id}`;
    const attempt = await this.options.limits.reserveAll(windowsOf(key, CHANGE_PASSWORD_LIMITS));
    if (!attempt.allowed) throw tooMany('Too many wrong passwords.', attempt.retryAfterSeconds);
    let ok: boolean;
    try {
      ok = await verifyPassword(input.currentPassword, auth.operator.passwordHash);
    } catch (error) {
      await attempt.release();
      throw error;
    }
    if (!ok) throw new DomainError('BAD_REQUEST', 'Your current password is not right.');
    await this.options.limits.clear(key);
    const now = this.options.clock.now();
    auth.operator.passwordHash = await hashPassword(input.newPassword);
    auth.operator.passwordChangedAt = now;
    // The session in hand stays signed in; it counts as starting now.
    auth.session.createdAt = now;
    await em.flush();
    await em.nativeDelete(OperatorSession, { operator: auth.operator, id: { $ne: auth.session.id } });
  }

  /** `Set-Cookie` value carrying a new session token. */
  sessionCookie(token: string): string {
    return this.cookie(token, Math.floor(this.absoluteMs / 1000));
  }

  /** `Set-Cookie` value that removes the session cookie. */
  clearCookie(): string {
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return [
      `${SESSION_COOKIE}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${maxAgeSeconds}`,
      ...(this.secure ? ['Secure'] : []),
    ].join('; ');
  }
}
