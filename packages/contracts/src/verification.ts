import { z } from 'zod';

/*
 * Email verification (one-time code) for the widget's visitor. A verified chat lets the
 * assistant use that customer's own account data, nobody else's.
 */

/** Digits in a verification code. */
export const VERIFICATION_CODE_LENGTH = 6;
/** A code works for this long after it was sent. */
export const VERIFICATION_CODE_TTL_SECONDS = 10 * 60;
/** Tries per code; the next one is refused even when it is right. */
export const VERIFICATION_MAX_ATTEMPTS = 3;
/** Shortest wait between two codes for the same chat. */
export const VERIFICATION_RESEND_COOLDOWN_SECONDS = 30;

/** The address a visitor wants to verify; trimmed and lower-cased. */
export const verificationEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long.')
  .pipe(z.email('Enter a valid email address, such as name@example.com.'));

export const requestVerificationInputSchema = z.object({ email: verificationEmailSchema });
export type RequestVerificationInput = z.input<typeof requestVerificationInputSchema>;

/** The code from the email. Spaces and dashes are ignored ("123 456" works). */
export const verificationCodeSchema = z
  .string()
  .max(20, 'Enter the 6-digit code from the email.')
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from the email.'));

export const confirmVerificationInputSchema = z.object({ code: verificationCodeSchema });
export type ConfirmVerificationInput = z.input<typeof confirmVerificationInputSchema>;

/**
 * A code on its way to the visitor. `verification.request` answers with exactly this, the
 * same for every address (whether or not it belongs to a customer).
 */
export const pendingVerificationSchema = z.object({
  /** Where the code was sent (as the visitor typed it, trimmed and lower-cased). */
  email: z.string(),
  /** After this the code no longer works. */
  expiresAt: z.date(),
  /** Tries left for this code (3, then fewer after wrong codes; 0: request a new one). */
  attemptsLeft: z.number().int().min(0),
  /** The earliest time `verification.request` will send another code for this chat. */
  resendAvailableAt: z.date(),
});
export type PendingVerification = z.infer<typeof pendingVerificationSchema>;

export const verificationResultSchema = z.object({
  verified: z.literal(true),
  email: z.string(),
  verifiedAt: z.date(),
});
export type VerificationResult = z.infer<typeof verificationResultSchema>;

export const verificationStatusSchema = z.object({
  verified: z.boolean(),
  /** The verified address; null unless verified. */
  email: z.string().nullable(),
  verifiedAt: z.date().nullable(),
  /** The code waiting to be entered (not yet expired), if any. */
  pending: pendingVerificationSchema.nullable(),
});
export type VerificationStatus = z.infer<typeof verificationStatusSchema>;

/** Longest signed identity token accepted (`payload.signature`, both base64url). */
export const IDENTITY_TOKEN_MAX_LENGTH = 2048;

/**
 * A signed identity from the host site's server: base64url(JSON payload) + "." +
 * base64url(HMAC-SHA256(IDENTITY_SECRET, first part)), payload
 * `{ email, name?, externalId?, issuedAt }` with `issuedAt` in Unix seconds.
 */
export const identifyInputSchema = z.object({
  token: z
    .string()
    .max(IDENTITY_TOKEN_MAX_LENGTH, 'This identity token is too long.')
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'This identity token is not valid. Sign in to the site again.'),
});
export type IdentifyInput = z.input<typeof identifyInputSchema>;
