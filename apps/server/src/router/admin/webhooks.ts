import {
  webhookCreatedSchema,
  webhookCreateInputSchema,
  webhookDeliveriesInputSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookIdInputSchema,
  webhookUpdateInputSchema,
  type WebhookEvent,
} from '@ticket0/contracts';
import { z } from 'zod';
import type { WebhookDelivery, WebhookEndpoint } from '../../db/entities/index.js';
import {
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  queueTestEvent,
  updateEndpoint,
} from '../../domain/webhooks/webhooks.js';
import { pick } from '../mappers.js';
import { adminProcedure, router } from '../trpc.js';

function toEndpointView(endpoint: WebhookEndpoint) {
  return { ...pick(endpoint, ['id', 'url', 'enabled', 'description', 'createdAt']), events: endpoint.events as WebhookEvent[] };
}

function toDeliveryView(delivery: WebhookDelivery) {
  return pick(delivery, ['id', 'event', 'eventId', 'status', 'attempts', 'lastStatus', 'lastError', 'nextAttemptAt', 'deliveredAt', 'createdAt']);
}

/** Webhook endpoints (admins only: they decide where the product's data goes) and their delivery log. */
export const webhooksRouter = router({
  list: adminProcedure.output(z.array(webhookEndpointSchema)).query(async ({ ctx }) => (await listEndpoints(ctx.em)).map(toEndpointView)),

  /** The signing secret is in this answer only. */
  create: adminProcedure
    .input(webhookCreateInputSchema)
    .output(webhookCreatedSchema)
    .mutation(async ({ ctx, input }) => {
      const { endpoint, secret } = await createEndpoint(ctx.em, ctx.services, input);
      return { endpoint: toEndpointView(endpoint), secret };
    }),

  update: adminProcedure
    .input(webhookUpdateInputSchema)
    .output(webhookEndpointSchema)
    .mutation(async ({ ctx, input }) => toEndpointView(await updateEndpoint(ctx.em, ctx.services, input))),

  delete: adminProcedure
    .input(webhookIdInputSchema)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteEndpoint(ctx.em, input.id);
      return { ok: true as const };
    }),

  deliveries: adminProcedure
    .input(webhookDeliveriesInputSchema)
    .output(z.array(webhookDeliverySchema))
    .query(async ({ ctx, input }) => (await listDeliveries(ctx.em, input)).map(toDeliveryView)),

  /** "Send test event": a ping through the queue, shown in the log like any delivery. */
  sendTest: adminProcedure
    .input(webhookIdInputSchema)
    .output(webhookDeliverySchema)
    .mutation(async ({ ctx, input }) => {
      const delivery = await queueTestEvent(ctx.em, ctx.services, input.id);
      ctx.services.webhooks.wake();
      return toDeliveryView(delivery);
    }),
});
