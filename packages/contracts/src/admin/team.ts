import { z } from 'zod';
import { singleLineText } from '../text.js';
import {
  availabilitySchema,
  operatorEmailSchema,
  operatorRoleSchema,
  operatorSchema,
  passwordSchema,
} from './auth.js';

/* The team: operators, their roles, availability and how many tickets each takes. */

export const teamMemberSchema = operatorSchema.extend({
  /** Open + pending tickets assigned right now. */
  openTickets: z.number().int().min(0),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const operatorNameSchema = singleLineText(
  z.string().trim().min(1, 'Enter a name.').max(100, 'Names can be at most 100 characters.'),
);
const capacitySchema = z.number().int().min(0, 'Capacity cannot be negative.').max(1000);

export const operatorCreateInputSchema = z.object({
  email: operatorEmailSchema,
  name: operatorNameSchema,
  role: operatorRoleSchema.default('member'),
  capacity: capacitySchema.default(5),
  /** Leave out to have a strong one generated and shown once. */
  password: passwordSchema.optional(),
});
export type OperatorCreateInput = z.input<typeof operatorCreateInputSchema>;

export const operatorCreateOutputSchema = z.object({
  operator: operatorSchema,
  /** Only when the server generated it; shown once, never stored in the clear. */
  generatedPassword: z.string().nullable(),
});

export const operatorUpdateInputSchema = z.object({
  id: z.number().int().positive(),
  name: operatorNameSchema.optional(),
  role: operatorRoleSchema.optional(),
  availability: availabilitySchema.optional(),
  capacity: capacitySchema.optional(),
});
export type OperatorUpdateInput = z.input<typeof operatorUpdateInputSchema>;

export const availabilityInputSchema = z.object({ availability: availabilitySchema });
