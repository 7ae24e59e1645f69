import { afterEach, describe, expect, it } from 'vitest';
import { OutboxEmail, Ticket } from '../src/db/entities/index.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { OutboxSender } from '../src/mail/outbox.js';
import { SmtpTransport } from '../src/mail/transport.js';
import { createHarness, type Harness } from './support/harness.js';
import { addressOf, SmtpReceiver } from './support/smtp-receiver.js';

let h: Harness;
let smtp: SmtpReceiver;

afterEach(async () => {
  await h?.close();
  await smtp?.stop();
});

async function setUp(options: { smtp?: boolean; retryDelaysMs?: number[] } = {}) {
  smtp = await new SmtpReceiver().start();
  h = await createHarness({
    env: { MAIL_FROM: 'Support <support@shop.example.com>', ...(options.smtp === false ? {} : { SMTP_URL: smtp.url }) },
    mail: options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {},
  });
  const agent = await h.operator('member', { name: 'Ana Agent' });
  const ticket = await createEmailTicket(h.orm.em.fork(), h.services, {
    subject: 'Where is my parcel?',
    requesterEmail: 'carl@example.com',
  });
  return { agent, ticket };
}

const outbox = () => h.orm.em.fork().find(OutboxEmail, {}, { orderBy: { id: 'asc' } });

describe('mail through SMTP', () => {
  it("an operator's reply reaches the requester with a plain-text and an HTML body", async () => {
    const { agent, ticket } = await setUp();
    await h.services.outbox.start();
    await agent.caller.admin.tickets.reply({ id: ticket.id, body: 'Hi Carl,\n\nIt ships <today> & arrives Friday.' });

    const mail = await smtp.waitFor((m) => addressOf(m.to) === 'carl@example.com');
    expect(addressOf(mail.from)).toBe('support@shop.example.com');
    expect(mail.subject).toBe(`Re: Where is my parcel? [#${ticket.id}]`);
    expect(mail.text).toContain('It ships <today> & arrives Friday.');
    expect(mail.text).toContain(`Ana Agent — Support\nReference: ticket #${ticket.id}`);
    expect(mail.html).toContain('<p>It ships &lt;today&gt; &amp; arrives Friday.</p>');
    expect(mail.html).not.toContain('<today>');

    await expect.poll(async () => (await outbox())[0]?.status).toBe('sent');
    const [row] = await outbox();
    expect(row).toMatchObject({ to: 'carl@example.com', attempts: 1, lastError: null, nextAttemptAt: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect(row!.providerMessageId).toBe(mail.messageId);

    const detail = await agent.caller.admin.tickets.get({ id: ticket.id });
    expect(detail.messages.at(-1)).toMatchObject({ author: 'operator', sentBy: 'Ana Agent', delivery: 'sent' });
  });

  it('records each failure and retries after a growing delay until the mail is accepted', async () => {
    const { agent, ticket } = await setUp({ retryDelaysMs: [60_000, 300_000] });
    smtp.rejectNext = 2;
    await agent.caller.admin.tickets.reply({ id: ticket.id, body: 'Your refund is on its way.' });
    const sender = h.services.outbox;

    await sender.runOnce();
    let [row] = await outbox();
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.lastError).toMatch(/451/);
    expect(row!.nextAttemptAt!.getTime() - h.clock.now().getTime()).toBe(60_000);

    await sender.runOnce(); // not due yet: nothing happens
    expect((await outbox())[0]!.attempts).toBe(1);

    h.clock.advance(60_000);
    await sender.runOnce();
    [row] = await outbox();
    expect(row).toMatchObject({ status: 'queued', attempts: 2 });
    expect(row!.nextAttemptAt!.getTime() - h.clock.now().getTime()).toBe(300_000);

    h.clock.advance(300_000);
    await sender.runOnce();
    [row] = await outbox();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, nextAttemptAt: null });
    expect(smtp.rejected).toBe(2);
    expect(smtp.mails).toHaveLength(1);
  });

  it('marks the mail failed after the last retry, keeps it, and sends it when an admin retries', async () => {
    const { agent, ticket } = await setUp({ retryDelaysMs: [1000] });
    smtp.rejectNext = 2;
    await agent.caller.admin.tickets.reply({ id: ticket.id, body: 'Following up.' });
    await h.services.outbox.runOnce();
    h.clock.advance(1000);
    await h.services.outbox.runOnce();
    const [failed] = await outbox();
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });
    expect(failed!.lastError).toMatch(/Mailbox busy/);
    expect(h.log.lines.some((line) => line.level === 'error' && line.message === 'mail failed for good')).toBe(true);

    const admin = await h.operator('admin');
    const listed = await admin.caller.admin.outbox.list({ status: 'failed' });
    expect(listed.items.map((m) => m.id)).toEqual([failed!.id]);
    expect(listed.smtpConfigured).toBe(true);

    await admin.caller.admin.outbox.retry({ id: failed!.id });
    await h.services.outbox.runOnce();
    expect((await outbox())[0]).toMatchObject({ status: 'sent' });
    expect(smtp.mails).toHaveLength(1);
  });

  it('a mail that cannot reach the SMTP server at all is recorded, not lost', async () => {
    const { agent, ticket } = await setUp({ retryDelaysMs: [1000] });
    await smtp.stop(); // nothing listens on that port any more
    await agent.caller.admin.tickets.reply({ id: ticket.id, body: 'Anyone there?' });
    await h.services.outbox.runOnce();
    const [row] = await outbox();
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
  });
});

describe('mail without SMTP', () => {
  it('stays queued in the outbox, visible to admins; its text reaches the log only at debug level, once', async () => {
    const { agent, ticket } = await setUp({ smtp: false });
    await h.services.outbox.start();
    await agent.caller.admin.tickets.reply({ id: ticket.id, body: 'We will call you tomorrow.' });
    await expect
      .poll(() => h.log.lines.filter((line) => line.message === 'mail kept in the outbox (SMTP_URL is not set)').length)
      .toBe(1);
    const kept = h.log.lines.filter((line) => line.message.startsWith('mail kept'));
    for (const line of kept.filter((l) => l.level !== 'debug')) {
      expect(JSON.stringify(line)).not.toMatch(/carl@example\.com|call you tomorrow/);
    }
    const detail = kept.find((line) => line.level === 'debug')!;
    expect(detail).toMatchObject({ to: 'carl@example.com' });
    expect(String(detail.text)).toContain('We will call you tomorrow.');

    await h.services.outbox.runOnce();
    expect(h.log.lines.filter((line) => line.message === 'mail kept in the outbox (SMTP_URL is not set)')).toHaveLength(1);
    expect(await outbox()).toMatchObject([{ status: 'queued', attempts: 0 }]);
    expect(smtp.mails).toHaveLength(0);

    const admin = await h.operator('admin');
    expect((await admin.caller.admin.outbox.list()).smtpConfigured).toBe(false);
  });
});

describe('the outbox sender', () => {
  it('after a restart, sends what was still queued — including mail kept while SMTP was unset', async () => {
    const { agent, ticket } = await setUp({ smtp: false });
    await h.services.outbox.start();
    await agent.caller.admin.tickets.reply({ id: ticket.id, body: 'First reply, before SMTP.' });
    await expect.poll(async () => (await outbox())[0]?.nextAttemptAt).toBeNull();
    await h.services.outbox.stop();

    // The next boot has SMTP configured and reads the queue from the database.
    const restarted = new OutboxSender({
      orm: h.orm,
      clock: h.clock,
      log: h.log,
      from: 'support@shop.example.com',
      transport: new SmtpTransport(smtp.url),
    });
    await restarted.start();
    try {
      const mail = await smtp.waitFor(() => true);
      expect(mail.text).toContain('First reply, before SMTP.');
      await expect.poll(async () => (await outbox())[0]?.status).toBe('sent');
    } finally {
      await restarted.stop();
    }
    const stored = await h.orm.em.fork().findOneOrFail(Ticket, { id: ticket.id });
    expect(stored.status).toBe('open');
  });
});
