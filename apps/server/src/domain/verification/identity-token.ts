import { createHmac, timingSafeEqual } from 'node:crypto';
import { IDENTITY_TOKEN_MAX_LENGTH } from '@ticket0/contracts';
import { z } from 'zod';

/*
 * A signed identity, made by the host site's own server for a visitor it has signed in:
 *
 *   token   = base64url(JSON payload) + "." + base64url(HMAC-SHA256(IDENTITY_SECRET, first part))
 *   payload = { "email": "…", "name"?: "…", "externalId"?: "…", "issuedAt": <Unix seconds> }
 *
 * The signature covers the first part exactly as sent, so no JSON canonicalisation is needed
 * on either side. Pure functions: no database, no clock of their own.
 */

/** A token issued this far in the future still counts (the two servers' clocks differ). */
export const IDENTITY_CLOCK_SKEW_SECONDS = 60;

const payloadSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  name: z.string().trim().min(1).max(200).optional(),
  externalId: z.string().trim().min(1).max(200).optional(),
  issuedAt: z.number().int().nonnegative(),
});

export type IdentityPayload = z.output<typeof payloadSchema>;

export type IdentityRefusal = 'malformed' | 'bad_signature' | 'expired' | 'not_yet_valid';

export type IdentityCheck = { ok: true; payload: IdentityPayload } | { ok: false; reason: IdentityRefusal };

/** Signs an identity the way a site's server does (tests, the README's examples). */
export function signIdentity(secret: string, payload: { email: string; name?: string; externalId?: string; issuedAt: number }): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * Checks the signature in constant time, then the payload's shape and age. Reuse is not
 * checked here: that needs the database (identity.ts).
 */
export function checkIdentityToken(secret: string, token: string, now: Date, maxAgeSeconds: number): IdentityCheck {
  if (token.length > IDENTITY_TOKEN_MAX_LENGTH) return { ok: false, reason: 'malformed' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, body, signature] = match as unknown as [string, string, string];
  const expected = createHmac('sha256', secret).update(body).digest();
  const actual = Buffer.from(signature, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'bad_signature' };

  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = payloadSchema.safeParse(parsed);
  if (!payload.success) return { ok: false, reason: 'malformed' };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (payload.data.issuedAt > nowSeconds + IDENTITY_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'not_yet_valid' };
  if (nowSeconds - payload.data.issuedAt > maxAgeSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload.data };
}
