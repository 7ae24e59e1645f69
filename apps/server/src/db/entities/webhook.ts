import { EntitySchema, type Opt } from '@mikro-orm/sqlite';

export const WEBHOOK_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message_created', 'chat.escalated', 'chat.feedback'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_DELIVERY_STATUSES = ['queued', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * Where events are posted. The secret is kept as given, not hashed: each delivery is signed
 * with it (HMAC), which a hash could not do. The console shows it once, at creation.
 */
export class WebhookEndpoint {
  id!: number;
  url!: string;
  events!: WebhookEventName[];
  secret!: string;
  enabled: Opt<boolean> = true;
  description: string | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const WebhookEndpointSchema = new EntitySchema<WebhookEndpoint>({
  class: WebhookEndpoint,
  tableName: 'webhook_endpoint',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    url: { type: 'string', length: 2000 },
    events: { type: 'json' },
    secret: { type: 'string', length: 100 },
    enabled: { type: 'boolean' },
    description: { type: 'string', length: 200, nullable: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
    updatedAt: { type: 'Date', onCreate: () => new Date() },
  },
});

/**
 * One event on its way to one endpoint: the queue (rows, like the outbox) and the delivery
 * log the console shows. A sender claims a row (`claimedUntil`) before posting it, so only
 * one process delivers it.
 */
export class WebhookDelivery {
  id!: number;
  endpoint!: WebhookEndpoint;
  /** One of WEBHOOK_EVENTS, or `ping` for a test event. */
  event!: WebhookEventName | 'ping';
  /** The body's `id`: receivers deduplicate on it. */
  eventId!: string;
  /** The JSON body, exactly as signed and sent. */
  payload!: string;
  status: Opt<WebhookDeliveryStatus> = 'queued';
  attempts: Opt<number> = 0;
  nextAttemptAt: Date | null = null;
  claimedUntil: Date | null = null;
  /** The HTTP status of the last attempt; null when no answer came. */
  lastStatus: number | null = null;
  lastError: string | null = null;
  deliveredAt: Date | null = null;
  createdAt: Opt<Date> = new Date();
}

export const WebhookDeliverySchema = new EntitySchema<WebhookDelivery>({
  class: WebhookDelivery,
  tableName: 'webhook_delivery',
  indexes: [{ properties: ['status', 'nextAttemptAt'] }, { properties: ['endpoint', 'id'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    endpoint: { kind: 'm:1', entity: () => WebhookEndpoint, deleteRule: 'cascade' },
    event: { type: 'string', length: 40 },
    eventId: { type: 'string', length: 40 },
    payload: { type: 'text' },
    status: { enum: true, items: () => [...WEBHOOK_DELIVERY_STATUSES] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'Date', nullable: true },
    claimedUntil: { type: 'Date', nullable: true },
    lastStatus: { type: 'integer', nullable: true },
    lastError: { type: 'text', nullable: true },
    deliveredAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
