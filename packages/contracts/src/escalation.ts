import { z } from 'zod';
import { chatMessageSchema } from './messages.js';

/* Handing a chat to the support team: an offer the visitor confirms or declines. */

export const escalationOfferInputSchema = z.object({
  offerId: z.number().int().positive(),
});

export const confirmEscalationInputSchema = escalationOfferInputSchema.extend({
  /** Where support should write, when the chat's email is not verified. */
  email: z
    .string()
    .trim()
    .max(254, 'That email address is too long.')
    .email('Enter a valid email address, such as name@example.com.')
    .optional(),
});
export type ConfirmEscalationInput = z.infer<typeof confirmEscalationInputSchema>;

export const escalationResultSchema = z.object({
  /** The offer, now accepted. */
  offer: chatMessageSchema,
  /** The in-chat confirmation naming the address support will write to. */
  confirmation: chatMessageSchema,
  /** The follow-up email ticket's number, for the visitor's reference. */
  ticketId: z.number().int().positive(),
});
export type EscalationResult = z.infer<typeof escalationResultSchema>;
