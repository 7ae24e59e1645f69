import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import {
  WEBHOOK_EVENTS,
  WebhookDelivery,
  WebhookEndpoint,
  type ChatSession,
  type Message,
  type Ticket,
  type WebhookEventName,
} from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { isLoopbackHost } from '../../lib/safe-http.js';

export { WEBHOOK_EVENTS };

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-ticket0-signature';

/** The signature of one delivery: over the timestamp and the exact body, so neither can be replayed alone. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE: loopback and private addresses (and http:// to loopback) are allowed. */
  allowPrivate: boolean;
}

/**
 * Checks an endpoint URL as typed by an admin: https, or http only to this machine when
 * private addresses are allowed (development). Where the name resolves is checked again at
 * each delivery, since DNS can change.
 */
export function checkEndpointUrl(raw: string, settings: WebhookSettings): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DomainError('BAD_REQUEST', 'Enter a full URL such as https://hooks.example.com/ticket0.');
  }
  if (url.username || url.password) throw new DomainError('BAD_REQUEST', 'Put no credentials in the URL: deliveries are signed with the secret.');
  if (url.protocol === 'http:') {
    if (!(settings.allowPrivate && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, '')))) {
      throw new DomainError('BAD_REQUEST', 'Webhook URLs must use https:// (http:// only to this machine, in development).');
    }
  } else if (url.protocol !== 'https:') {
    throw new DomainError('BAD_REQUEST', 'Webhook URLs must use https://.');
  }
  if (url.href.length > 2000) throw new DomainError('BAD_REQUEST', 'That URL is too long.');
  return url.href;
}

export async function listEndpoints(em: EntityManager): Promise<WebhookEndpoint[]> {
  return em.find(WebhookEndpoint, {}, { orderBy: { id: 'asc' }, limit: 100 });
}

const MAX_ENDPOINTS = 20;

/** A new endpoint and its secret, returned this once. */
export async function createEndpoint(
  em: EntityManager,
  deps: { clock: Clock; webhookSettings: WebhookSettings },
  input: { url: string; events: WebhookEventName[]; description?: string | null },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = checkEndpointUrl(input.url, deps.webhookSettings);
  if (input.events.length === 0) throw new DomainError('BAD_REQUEST', 'Choose at least one event.');
  if ((await em.count(WebhookEndpoint, {})) >= MAX_ENDPOINTS) {
    throw new DomainError('BAD_REQUEST', `At most ${MAX_ENDPOINTS} webhook endpoints; remove one first.`);
  }
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const now = deps.clock.now();
  const endpoint = em.create(WebhookEndpoint, {
    url,
    events: [...new Set(input.events)],
    secret,
    enabled: true,
    description: input.description?.trim() || null,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return { endpoint, secret };
}

export async function updateEndpoint(
  em: EntityManager,
  deps: { clock: Clock; webhookSettings: WebhookSettings },
  input: { id: number; url?: string; events?: WebhookEventName[]; enabled?: boolean; description?: string | null },
): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(em, input.id);
  if (input.url !== undefined) endpoint.url = checkEndpointUrl(input.url, deps.webhookSettings);
  if (input.events !== undefined) {
    if (input.events.length === 0) throw new DomainError('BAD_REQUEST', 'Choose at least one event.');
    endpoint.events = [...new Set(input.events)];
  }
  if (input.enabled !== undefined) endpoint.enabled = input.enabled;
  if (input.description !== undefined) endpoint.description = input.description?.trim() || null;
  endpoint.updatedAt = deps.clock.now();
  await em.flush();
  return endpoint;
}

export async function deleteEndpoint(em: EntityManager, id: number): Promise<void> {
  const endpoint = await findEndpoint(em, id);
  await em.nativeDelete(WebhookDelivery, { endpoint });
  em.remove(endpoint);
  await em.flush();
}

async function findEndpoint(em: EntityManager, id: number): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, { id });
  if (!endpoint) throw new DomainError('NOT_FOUND', 'That webhook endpoint does not exist.');
  return endpoint;
}

/** An endpoint's delivery log, newest first. */
export async function listDeliveries(em: EntityManager, input: { endpointId: number; limit: number }): Promise<WebhookDelivery[]> {
  await findEndpoint(em, input.endpointId);
  return em.find(WebhookDelivery, { endpoint: input.endpointId }, { orderBy: { id: 'desc' }, limit: input.limit });
}

/** The body every delivery carries. */
export interface WebhookBody {
  id: string;
  type: WebhookEventName | 'ping';
  createdAt: string;
  data: Record<string, unknown>;
}

function body(type: WebhookBody['type'], at: Date, data: Record<string, unknown>): WebhookBody {
  return { id: `evt_${randomUUID()}`, type, createdAt: at.toISOString(), data };
}

/**
 * Queues an event for every enabled endpoint that subscribed to it, in `em`'s unit of work:
 * the caller's flush stores it with whatever caused it, or neither. Returns how many.
 */
export async function queueWebhookEvent(
  em: EntityManager,
  deps: { clock: Clock },
  type: WebhookEventName,
  data: Record<string, unknown>,
): Promise<number> {
  const endpoints = (await em.find(WebhookEndpoint, { enabled: true })).filter((e) => e.events.includes(type));
  if (endpoints.length === 0) return 0;
  const now = deps.clock.now();
  const event = body(type, now, data);
  const payload = JSON.stringify(event);
  for (const endpoint of endpoints) {
    em.create(WebhookDelivery, { endpoint, event: type, eventId: event.id, payload, status: 'queued', attempts: 0, nextAttemptAt: now, createdAt: now });
  }
  return endpoints.length;
}

/** "Send test event": a `ping` to one endpoint, through the same queue and log. */
export async function queueTestEvent(em: EntityManager, deps: { clock: Clock }, endpointId: number): Promise<WebhookDelivery> {
  const endpoint = await findEndpoint(em, endpointId);
  const now = deps.clock.now();
  const event = body('ping', now, { message: 'A test event from Ticket0 Chat.', endpointId: endpoint.id });
  const delivery = em.create(WebhookDelivery, {
    endpoint,
    event: 'ping',
    eventId: event.id,
    payload: JSON.stringify(event),
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
  await em.flush();
  return delivery;
}

/** A ticket as webhooks show it. */
export function ticketData(ticket: Ticket): Record<string, unknown> {
  return {
    id: ticket.id,
    source: ticket.source,
    status: ticket.status,
    subject: ticket.subject,
    priority: ticket.priority,
    tags: ticket.tags,
    requesterEmail: ticket.requesterEmail,
    assigneeId: ticket.assignee?.id ?? null,
    linkedTicketId: ticket.linkedTicket?.id ?? null,
    escalationReason: ticket.escalationReason,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
  };
}

export function messageData(message: Message): Record<string, unknown> {
  return { id: message.id, author: message.author, body: message.body, createdAt: message.createdAt.toISOString() };
}

export function chatData(session: Pick<ChatSession, 'id' | 'locale'> & { ticket: { id: number } }): Record<string, unknown> {
  return { sessionId: session.id, ticketId: session.ticket.id, locale: session.locale };
}
