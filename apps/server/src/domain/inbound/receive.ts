import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import {
  BlockedSender,
  InboundEmail,
  MailAttachment,
  Message,
  OutboxEmail,
  Ticket,
  type InboundDisposition,
} from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import type { InboundMail } from '../../mail/inbound.js';
import type { MailboxKey } from '../../mail/imap.js';
import type { OutboxSender } from '../../mail/outbox.js';
import { consoleTicketUrl } from '../escalation/links.js';
import { linkTicketToCustomer } from '../customers/customers.js';
import { assignWaitingTickets } from '../operators/assignment.js';
import { createEmailTicket } from '../tickets/tickets.js';
import { messageData, queueWebhookEvent, ticketData } from '../webhooks/webhooks.js';
import { autoReplyReason, blockedBy, isOwnAddress } from './loops.js';
import { normaliseMessageId, replyCandidates, ticketReferenceIn } from './threading.js';
import { trimReply } from './trim.js';

export interface InboundDeps {
  clock: Clock;
  events: EventBus;
  outbox: OutboxSender;
  /** MAIL_FROM: mail from this address is our own coming back. */
  mailFrom: string;
  publicUrl: string;
}

export type ReceiveOutcome =
  | { kind: 'duplicate' }
  | { kind: 'stored'; disposition: Exclude<InboundDisposition, 'ticket'>; email: InboundEmail }
  | { kind: 'threaded' | 'opened'; email: InboundEmail; ticket: Ticket; message: Message };

/**
 * One mail from the support mailbox: stored whole, then — unless it is noise — added to the
 * ticket it answers (by Message-ID, then by `[#12]` from the requester) or opened as a new
 * email ticket. All of it is one transaction that begins by claiming the mail's unique key,
 * so a second reader of the same message (another server, or a restart) does nothing.
 */
export async function receiveInboundMail(em: EntityManager, deps: InboundDeps, mail: InboundMail, key: MailboxKey): Promise<ReceiveOutcome> {
  const messageIdHeader = normaliseMessageId(mail.messageId);
  // The same message under new UIDs (the box was renumbered, or copied back in): once is enough.
  if (messageIdHeader && (await em.count(InboundEmail, { messageIdHeader, mailbox: key.mailbox }))) return { kind: 'duplicate' };

  const events: Array<() => void> = [];
  let outcome: ReceiveOutcome;
  try {
    outcome = await em.transactional(async (tx) => {
      const now = deps.clock.now();
      const email = tx.create(InboundEmail, {
        mailbox: key.mailbox,
        uidValidity: key.uidValidity,
        uid: key.uid,
        messageIdHeader,
        fromAddress: mail.from.slice(0, 320),
        subject: mail.subject.slice(0, 400),
        text: mail.text,
        html: mail.html,
        disposition: 'ticket',
        sentAt: mail.date,
        createdAt: now,
      });
      for (const attachment of mail.attachments) {
        tx.create(MailAttachment, { email, ...attachment, kept: attachment.content !== null, createdAt: now });
      }
      // Claims the key first: a racing reader fails here, before doing anything else.
      await tx.flush();

      const noise = await noiseReason(tx, deps, mail, messageIdHeader);
      if (noise) {
        email.disposition = noise.disposition;
        email.note = noise.note.slice(0, 300);
        await tx.flush();
        return { kind: 'stored', disposition: noise.disposition, email } as const;
      }

      const body = displayText(mail);
      let ticket = await threadedTicket(tx, mail);
      const opened = !ticket;
      if (ticket) {
        const wasClosed = ticket.status !== 'open';
        if (wasClosed) ticket.status = 'open';
        ticket.updatedAt = now;
        if (wasClosed) await queueWebhookEvent(tx, deps, 'ticket.updated', { ticket: ticketData(ticket), change: 'reopened by a customer reply' });
      } else {
        ticket = await createEmailTicket(tx, { ...deps, events: quietBus(events, deps.events) }, {
          subject: mail.subject.trim() || `Email from ${mail.from}`,
          requesterEmail: mail.from || null,
          tags: ['email'],
        });
        await linkTicketToCustomer(tx, ticket);
      }
      const message = tx.create(Message, { ticket, author: 'customer', body, createdAt: now });
      email.ticket = ticket;
      email.message = message;
      await tx.flush();
      await queueWebhookEvent(tx, deps, 'ticket.message_created', { ticket: ticketData(ticket), message: messageData(message) });
      if (ticket.assignee && !opened) await notifyAssignee(tx, deps, ticket, mail);
      await tx.flush();
      return { kind: opened ? 'opened' : 'threaded', email, ticket, message } as const;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return { kind: 'duplicate' };
    throw error;
  }
  for (const emit of events) emit();
  if (outcome.kind === 'opened' || outcome.kind === 'threaded') {
    const { ticket, message } = outcome;
    deps.outbox.wake();
    if (outcome.kind === 'opened') await assignWaitingTickets(em, deps);
    deps.events.emit('message.stored', { ticketId: ticket.id, messageId: message.id, sessionId: null });
    deps.events.emit('ticket.changed', { ticketId: ticket.id });
    // The chat this ticket follows up on shows the ticket's status in Live Chat.
    if (ticket.linkedTicket) deps.events.emit('ticket.changed', { ticketId: ticket.linkedTicket.id });
  }
  return outcome;
}

/** Events a function emits inside our transaction wait until it has committed. */
function quietBus(queue: Array<() => void>, bus: EventBus): EventBus {
  return { emit: (name: never, event: never) => queue.push(() => bus.emit(name, event)) } as unknown as EventBus;
}

async function noiseReason(
  em: EntityManager,
  deps: InboundDeps,
  mail: InboundMail,
  messageIdHeader: string | null,
): Promise<{ disposition: Exclude<InboundDisposition, 'ticket'>; note: string } | null> {
  if (!mail.from) return { disposition: 'auto_reply', note: 'no sender address' };
  if (isOwnAddress(mail.from, deps.mailFrom)) return { disposition: 'own_mail', note: 'sent from our own address' };
  if (messageIdHeader && (await em.count(OutboxEmail, { messageIdHeader }))) return { disposition: 'own_mail', note: 'a mail we sent' };
  const automatic = autoReplyReason((name) => mail.headers[name] ?? null, mail.from, mail.contentType);
  if (automatic) return { disposition: 'auto_reply', note: automatic };
  const patterns = (await em.find(BlockedSender, {}, { limit: 1000 })).map((b) => b.pattern);
  const blocked = blockedBy(mail.from, patterns);
  if (blocked) return { disposition: 'blocked', note: `block list: ${blocked}` };
  return null;
}

/**
 * The ticket a reply belongs to: the mail it answers is one we sent (an acknowledgement, an
 * operator's answer) or one the customer sent before; failing that, a `[#12]` in the subject
 * — accepted only from that ticket's requester, so nobody can write into another's ticket
 * by typing its number.
 */
async function threadedTicket(em: EntityManager, mail: InboundMail): Promise<Ticket | null> {
  const ids = replyCandidates(mail.inReplyTo, mail.references);
  if (ids.length) {
    const [sent, received] = await Promise.all([
      em.find(OutboxEmail, { messageIdHeader: { $in: ids }, ticket: { $ne: null } }, { populate: ['ticket'] }),
      em.find(InboundEmail, { messageIdHeader: { $in: ids }, ticket: { $ne: null } }, { populate: ['ticket'] }),
    ]);
    const byId = new Map<string, Ticket>();
    for (const row of [...received, ...sent]) byId.set(row.messageIdHeader!, row.ticket!);
    for (const id of ids) {
      const ticket = byId.get(id);
      if (ticket && ticket.source === 'email') return ticket;
    }
  }
  const reference = ticketReferenceIn(mail.subject);
  if (reference) {
    const ticket = await em.findOne(Ticket, { id: reference, source: 'email' });
    if (ticket && ticket.requesterEmail === mail.from) return ticket;
  }
  return null;
}

/** What the thread shows: the new words, or a note when the mail had only attachments. */
function displayText(mail: InboundMail): string {
  const trimmed = trimReply(mail.text).slice(0, 20_000);
  const notes = mail.attachments.map((a) =>
    a.content ? `[attachment: ${a.filename}, ${a.size} bytes]` : `[attachment not kept: ${a.filename}, ${a.size} bytes, over the size limit]`,
  );
  return [trimmed || '(no text)', ...(notes.length ? ['', ...notes] : [])].join('\n');
}

async function notifyAssignee(em: EntityManager, deps: InboundDeps, ticket: Ticket, mail: InboundMail): Promise<void> {
  await em.populate(ticket, ['assignee']);
  const assignee = ticket.assignee!;
  const link = consoleTicketUrl(deps.publicUrl, ticket.id);
  deps.outbox.queue(em, {
    to: assignee.email,
    subject: `Customer reply on ticket #${ticket.id}: ${ticket.subject}`.slice(0, 400),
    text: `${mail.from} replied on ticket #${ticket.id}.\n\nOpen it in the console: ${link}\n`,
    ticket,
  });
}
