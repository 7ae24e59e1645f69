import { z } from 'zod';

/** Why a chat needs a human. A fixed list: tags, priority and reports key on it. */
export const escalationReasonSchema = z.enum([
  'human_requested',
  'ai_uncertain',
  'ai_unavailable',
  'financial_dispute',
  'legal_compliance',
  'data_privacy',
  'distress_urgent',
  'unsafe_output',
]);
export type EscalationReason = z.infer<typeof escalationReasonSchema>;
export const ESCALATION_REASONS = escalationReasonSchema.options;

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
