import { z } from 'zod';
import { singleLineText } from '../text.js';

/* Operators and signing in to the console. */

export const operatorRoleSchema = z.enum(['member', 'admin', 'owner']);
export type OperatorRole = z.infer<typeof operatorRoleSchema>;

export const availabilitySchema = z.enum(['available', 'away']);
export type Availability = z.infer<typeof availabilitySchema>;

/**
 * An operator's email address. Deliberately lenient (`owner@localhost` is fine on a
 * self-hosted box); stored lower-case.
 */
export const operatorEmailSchema = singleLineText(
  z
    .string()
    .trim()
    .toLowerCase()
    .max(320, 'That email address is too long.')
    .regex(/^[^\s@]+@[^\s@]+$/, 'Enter an email address such as ana@example.com.'),
);

export const passwordSchema = z
  .string()
  .min(12, 'Passwords must be at least 12 characters.')
  .max(200, 'Passwords can be at most 200 characters.');

export const operatorSchema = z.object({
  id: z.number().int().positive(),
  email: z.string(),
  name: z.string(),
  role: operatorRoleSchema,
  availability: availabilitySchema,
  /** Most open + pending tickets auto-assignment gives this operator; 0 = never. */
  capacity: z.number().int().min(0),
  joinedAt: z.date(),
});
export type OperatorView = z.infer<typeof operatorSchema>;

export const signInInputSchema = z.object({
  email: operatorEmailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
});
export type SignInInput = z.input<typeof signInInputSchema>;

export const sessionOutputSchema = z.object({ operator: operatorSchema }).nullable();
export type SessionOutput = z.infer<typeof sessionOutputSchema>;

export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(200),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;
