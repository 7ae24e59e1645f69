import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import type { VerificationResult } from '@ticket0/contracts';
import { IdentityTokenUse, type ChatSession } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { EventBus } from '../../lib/events.js';
import type { Limits } from '../../lib/rate-limit.js';
import { recordAudit } from '../privacy/audit.js';
import { checkIdentityToken, IDENTITY_CLOCK_SKEW_SECONDS, type IdentityRefusal } from './identity-token.js';
import { verifySessionAs } from './verification.js';

/*
 * Signed identity: the host site vouches for its signed-in visitor with a token signed with
 * IDENTITY_SECRET (format in identity-token.ts). A good token verifies the chat exactly as a
 * confirmed code does. Each token works once: the hash of every accepted token is stored
 * until it would have expired, in the database, so a token replayed to another server
 * process is refused too. Every refusal is written to the audit trail (never the token).
 */

export interface IdentityDeps {
  clock: Clock;
  events?: EventBus;
  limits: Limits;
  identity: { secret: string | null; maxAgeSeconds: number };
}

/** Refused tries per client address a minute: a forger gets few guesses, a real page needs one. */
const PER_ADDRESS_PER_MINUTE = 20;

const REFUSALS: Record<IdentityRefusal | 'reused' | 'other_email' | 'off', string> = {
  off: 'Signed identities are not enabled on this server.',
  malformed: 'This identity token is not valid. Sign in to the site again.',
  bad_signature: 'This identity token is not valid. Sign in to the site again.',
  expired: 'This identity token has expired. Reload the page to get a new one.',
  not_yet_valid: 'This identity token is not valid yet. Check the clock of the server that signed it.',
  reused: 'This identity token was already used. Reload the page to get a new one.',
  other_email: 'This chat is already verified as another email address. Start a new chat.',
};

export async function identifyVisitor(
  em: EntityManager,
  deps: IdentityDeps,
  session: ChatSession,
  input: { token: string; clientAddress: string },
): Promise<VerificationResult> {
  const counted = await deps.limits.reserve(`identity:${input.clientAddress}`, PER_ADDRESS_PER_MINUTE, 60_000);
  if (!counted.allowed) {
    throw new DomainError('TOO_MANY_REQUESTS', `Too many sign-in attempts. Try again in ${counted.retryAfterSeconds} s.`, counted.retryAfterSeconds);
  }
  const refuse = async (reason: keyof typeof REFUSALS): Promise<never> => {
    // Its own unit of work: the refusal is kept although nothing else is written.
    const audit = em.fork();
    recordAudit(audit, deps, { action: 'identity_refused', subject: session.id, detail: reason });
    await audit.flush();
    throw new DomainError(reason === 'off' ? 'FORBIDDEN' : 'UNAUTHORIZED', REFUSALS[reason]);
  };

  const { secret, maxAgeSeconds } = deps.identity;
  if (!secret) return refuse('off');
  const now = deps.clock.now();
  const checked = checkIdentityToken(secret, input.token, now, maxAgeSeconds);
  if (!checked.ok) return refuse(checked.reason);
  const { payload } = checked;

  const result = await verifySessionAs(em, deps, session, payload.email, async () => {
    // Read again under the lock: another tab may have verified the chat meanwhile.
    await em.refresh(session);
    if (session.verifiedEmail && session.verifiedEmail !== payload.email) await refuse('other_email');
    // Spent tokens are forgotten once they could not pass the age check anyway.
    await em.nativeDelete(IdentityTokenUse, { expiresAt: { $lt: now } });
    const expiresAt = new Date((payload.issuedAt + maxAgeSeconds + IDENTITY_CLOCK_SKEW_SECONDS) * 1000 + 1000);
    try {
      await em.insert(IdentityTokenUse, { tokenHash: createHash('sha256').update(input.token).digest('hex'), expiresAt });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) await refuse('reused');
      throw error;
    }
  });
  // Only refusals count towards the limit: many signed-in visitors may share one address.
  counted.release();
  return result;
}
