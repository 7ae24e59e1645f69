import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import type { OperatorRole } from '@ticket0/contracts';
import { Operator, OperatorSession } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';

// ---------------------------------------------------------------------------------------
// Passwords

/** scrypt cost: 2^15 × 8 × 1 takes ~60 ms and 32 MiB here, a fair price per sign-in. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 };

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
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

interface FailureWindow {
  count: number;
  firstAt: number;
  lockedUntil: number;
}

/**
 * Counts failed sign-ins per email and per client address. Past the limit within the
 * window, that email (or address) is locked out for `lockMs`, right or wrong password.
 * In memory: one process serves everything, and a restart only forgets recent failures.
 */
export class SignInThrottle {
  private readonly windows = new Map<string, FailureWindow>();

  constructor(
    private readonly clock: Clock,
    private readonly limits = { perEmail: 5, perAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ) {}

  /** Seconds until `keys` may try again; 0 when they may now. */
  retryAfterSeconds(email: string, address: string): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const key of [`email:${email}`, `address:${address}`]) {
      const window = this.windows.get(key);
      if (window && window.lockedUntil > now) wait = Math.max(wait, Math.ceil((window.lockedUntil - now) / 1000));
    }
    return wait;
  }

  recordFailure(email: string, address: string): void {
    const now = this.clock.now().getTime();
    this.bump(`email:${email}`, this.limits.perEmail, now);
    this.bump(`address:${address}`, this.limits.perAddress, now);
    if (this.windows.size > 10_000) this.sweep(now);
  }

  recordSuccess(email: string): void {
    this.windows.delete(`email:${email}`);
  }

  private bump(key: string, limit: number, now: number): void {
    let window = this.windows.get(key);
    if (!window || now - window.firstAt > this.limits.windowMs) {
      window = { count: 0, firstAt: now, lockedUntil: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count >= limit) window.lockedUntil = now + this.limits.lockMs;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.lockedUntil <= now && now - window.firstAt > this.limits.windowMs) this.windows.delete(key);
    }
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
  throttle?: SignInThrottle;
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
    this.throttle = options.throttle ?? new SignInThrottle(options.clock);
    this.idleMs = options.idleMs ?? 12 * 60 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 7 * 24 * 60 * 60_000;
    this.secure = options.publicUrl.startsWith('https://');
  }

  /**
   * Checks email and password and opens a session. Wrong email and wrong password give the
   * same answer in about the same time; too many failures lock the email and the address.
   */
  async signIn(
    em: EntityManager,
    input: { email: string; password: string; clientAddress: string },
  ): Promise<{ operator: Operator; token: string; session: OperatorSession }> {
    const email = input.email.trim().toLowerCase();
    const locked = this.throttle.retryAfterSeconds(email, input.clientAddress);
    if (locked > 0) {
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        `Too many failed sign-ins. Try again in ${Math.ceil(locked / 60)} min.`,
        locked,
      );
    }
    const operator = await em.findOne(Operator, { email });
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(input.password, operator?.passwordHash ?? (await dummyHash));
    if (!operator || !ok) {
      this.throttle.recordFailure(email, input.clientAddress);
      throw new DomainError('UNAUTHORIZED', 'That email and password do not match an operator.');
    }
    this.throttle.recordSuccess(email);
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
    if (!(await verifyPassword(input.currentPassword, auth.operator.passwordHash))) {
      throw new DomainError('BAD_REQUEST', 'Your current password is not right.');
    }
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
