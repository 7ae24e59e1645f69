import { z } from 'zod';

/* Webhooks: endpoints admins register, and the log of what was posted to them. */

export const webhookEventSchema = z.enum(['ticket.created', 'ticket.updated', 'ticket.message_created', 'chat.escalated', 'chat.feedback']);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

const urlField = z.string().trim().min(8, 'Enter the endpoint URL.').max(2000, 'That URL is too long.');
const eventsField = z.array(webhookEventSchema).min(1, 'Choose at least one event.').max(5);
const descriptionField = z.string().trim().max(200).nullable();

export const webhookCreateInputSchema = z.object({
  url: urlField,
  events: eventsField,
  description: descriptionField.optional(),
});

export const webhookUpdateInputSchema = z.object({
  id: z.number().int().positive(),
  url: urlField.optional(),
  events: eventsField.optional(),
  enabled: z.boolean().optional(),
  description: descriptionField.optional(),
});

export const webhookIdInputSchema = z.object({ id: z.number().int().positive() });

export const webhookEndpointSchema = z.object({
  id: z.number().int().positive(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  enabled: z.boolean(),
  description: z.string().nullable(),
  createdAt: z.date(),
});
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;

/** Only the answer to `create` carries the signing secret; it is never shown again. */
export const webhookCreatedSchema = z.object({ endpoint: webhookEndpointSchema, secret: z.string() });

export const webhookDeliveriesInputSchema = z.object({
  endpointId: z.number().int().positive(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const webhookDeliverySchema = z.object({
  id: z.number().int().positive(),
  event: z.string(),
  eventId: z.string(),
  status: z.enum(['queued', 'delivered', 'failed']),
  attempts: z.number().int().min(0),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  createdAt: z.date(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;
