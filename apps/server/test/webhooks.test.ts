import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookDelivery } from '../src/db/entities/index.js';
import { WebhookSender } from '../src/domain/webhooks/sender.js';
import { isPrivateAddress } from '../src/lib/safe-http.js';
import { collect, createHarness, rejection, type Harness } from './support/harness.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

let receiver: WebhookReceiver;
const opened: Harness[] = [];
beforeEach(async () => {
  receiver = await new WebhookReceiver().start();
});
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
  await receiver.stop();
});

async function server(env: Record<string, string> = {}): Promise<Harness> {
  const h = await createHarness({ env, webhookRetryDelaysMs: [30_000, 120_000] });
  opened.push(h);
  return h;
}

/** How a receiver checks a delivery, as the README shows it. */
function verify(secret: string, header: string, body: string): boolean {
  const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function escalate(h: Harness) {
  const visitor = await h.startVisitor();
  const events = await collect<SendMessageEvent>(visitor.caller.chat.send({ clientMessageId: 'message-0001', text: 'I will take you to court over this' }));
  const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
  return visitor.caller.escalation.confirm({ offerId: done.message.id, email: 'ana@example.com' });
}

describe('webhooks', () => {
  it('an escalation posts a correctly signed ticket.created, retried after a 500 until it is accepted', async () => {
    const h = await server({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const admin = await h.operator('admin');
    const { endpoint, secret } = await admin.caller.admin.webhooks.create({ url: `${receiver.url}/hooks`, events: ['ticket.created', 'chat.escalated'] });
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await admin.caller.admin.webhooks.list())).not.toContain(secret);
    receiver.statuses = [500];

    const { ticketId } = await escalate(h);
    await h.services.webhooks.runOnce();
    const created = receiver.received.filter((r) => r.headers['x-ticket0-event'] === 'ticket.created');
    expect(created).toHaveLength(1);
    let [delivery] = await h.orm.em.fork().find(WebhookDelivery, { event: 'ticket.created' });
    expect(delivery).toMatchObject({ status: 'queued', attempts: 1, lastStatus: 500 });

    // Not before its backoff; then again, and accepted.
    await h.services.webhooks.runOnce();
    expect(receiver.received.filter((r) => r.headers['x-ticket0-event'] === 'ticket.created')).toHaveLength(1);
    h.clock.advance(30_000);
    await h.services.webhooks.runOnce();
    const attempts = receiver.received.filter((r) => r.headers['x-ticket0-event'] === 'ticket.created');
    expect(attempts).toHaveLength(2);
    [delivery] = await h.orm.em.fork().find(WebhookDelivery, { event: 'ticket.created' });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });

    const hook = attempts[1]!;
    expect(hook.path).toBe('/hooks');
    expect(verify(secret, String(hook.headers['x-ticket0-signature']), hook.body)).toBe(true);
    expect(verify(secret, String(hook.headers['x-ticket0-signature']), hook.body.replace('ana@', 'eve@'))).toBe(false);
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({ type: 'ticket.created', id: expect.stringMatching(/^evt_/), data: { ticket: { id: ticketId, source: 'email' } } });
    expect(new Date(body.createdAt).getTime()).toBe(h.clock.now().getTime() - 30_000);
    // Both attempts carry the same event id, so a receiver can drop the duplicate.
    expect(JSON.parse(attempts[0]!.body).id).toBe(body.id);
    expect(receiver.received.some((r) => r.headers['x-ticket0-event'] === 'chat.escalated')).toBe(true);
    expect(endpoint.events).toEqual(['ticket.created', 'chat.escalated']);
  });

  it('gives up after the last retry and keeps the failure in the delivery log', async () => {
    const h = await server({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const admin = await h.operator('admin');
    const { endpoint } = await admin.caller.admin.webhooks.create({ url: receiver.url, events: ['ticket.created'] });
    receiver.statuses = [500, 502, 503];
    await escalate(h);
    for (const wait of [0, 30_000, 120_000]) {
      h.clock.advance(wait);
      await h.services.webhooks.runOnce();
    }
    const [log] = await admin.caller.admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(log).toMatchObject({ event: 'ticket.created', status: 'failed', attempts: 3, lastStatus: 503, lastError: 'answered HTTP 503' });
  });

  it('"send test event" posts a signed ping that shows in the log', async () => {
    const h = await server({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const admin = await h.operator('admin');
    const { endpoint, secret } = await admin.caller.admin.webhooks.create({ url: receiver.url, events: ['chat.feedback'] });
    const queued = await admin.caller.admin.webhooks.sendTest({ id: endpoint.id });
    expect(queued.status).toBe('queued');
    await h.services.webhooks.runOnce();
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body).type).toBe('ping');
    expect(verify(secret, String(receiver.received[0]!.headers['x-ticket0-signature']), receiver.received[0]!.body)).toBe(true);
    const [log] = await admin.caller.admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(log).toMatchObject({ id: queued.id, status: 'delivered', lastStatus: 200 });
  });

  it('two senders sharing the queue post each delivery once', async () => {
    const h = await server({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const admin = await h.operator('admin');
    const { endpoint } = await admin.caller.admin.webhooks.create({ url: receiver.url, events: ['ticket.created'] });
    for (let i = 0; i < 5; i++) await admin.caller.admin.webhooks.sendTest({ id: endpoint.id });
    const other = new WebhookSender({ orm: h.orm, clock: h.clock, log: h.log, settings: h.services.webhookSettings });
    await Promise.all([h.services.webhooks.runOnce(), other.runOnce()]);
    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(5);
  });

  it('refuses http:// and private or loopback addresses unless the deployment allows them', async () => {
    const h = await server();
    const admin = await h.operator('admin');
    const refused = await rejection(admin.caller.admin.webhooks.create({ url: receiver.url, events: ['ticket.created'] }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    expect(refused.message).toContain('https://');

    // Accepted as typed, refused at delivery: the name (or the literal address) is checked each time.
    const port = new URL(receiver.url).port;
    for (const url of [`https://localhost:${port}/`, `https://127.0.0.1:${port}/`, `https://[::1]:${port}/`]) {
      const { endpoint } = await admin.caller.admin.webhooks.create({ url, events: ['ticket.created'] });
      await admin.caller.admin.webhooks.sendTest({ id: endpoint.id });
    }
    await h.services.webhooks.runOnce();
    expect(receiver.received).toEqual([]);
    const deliveries = await h.orm.em.fork().find(WebhookDelivery, {});
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: 'queued', lastStatus: null });
      expect(delivery.lastError).toMatch(/^refused: .*private address/);
    }
  });

  it('knows private, loopback, link-local and mapped addresses from public ones', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('members cannot see or manage webhooks', async () => {
    const h = await server();
    const member = await h.operator('member');
    expect((await rejection(member.caller.admin.webhooks.list())).code).toBe('FORBIDDEN');
  });
});
