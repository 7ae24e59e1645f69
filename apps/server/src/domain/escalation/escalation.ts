import type { EntityManager } from '@mikro-orm/sqlite';
import type { EscalationReason } from '@ticket0/contracts';
import { Message, Ticket, type ChatSession } from '../../db/entities/index.js';
import type { LanguageModel } from '../../llm/model.js';
import type { OutboxSender } from '../../mail/outbox.js';
import { fill, textsFor } from '../../lib/i18n/index.js';
import { textToHtml } from '../../mail/render.js';
import { assignWaitingTickets } from '../operators/assignment.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { EventBus } from '../../lib/events.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { dialectOf } from '../../db/dialect.js';
import { consoleChatUrl } from './links.js';
import { getSettings } from '../settings/settings.js';
import { offerText } from './offers.js';
import { summariseChat } from './summary.js';
import { createEmailTicket } from '../tickets/tickets.js';
import { chatData, queueWebhookEvent, ticketData } from '../webhooks/webhooks.js';

export interface EscalationDeps {
  clock: Clock;
  events: EventBus;
  outbox: OutboxSender;
  model: LanguageModel;
  /** PUBLIC_URL: links in tickets and mail point here. */
  publicUrl: string;
}

const confirmations = new KeyedLock();

/**
 * "Talk to a human", always reachable from the widget: stores an offer the visitor then
 * confirms like any other. Asking again while one is pending returns that one.
 */
export async function requestHuman(em: EntityManager, deps: Pick<EscalationDeps, 'clock' | 'events'>, session: ChatSession): Promise<Message> {
  const latest = await em.findOne(Message, { ticket: session.ticket }, { orderBy: { id: 'desc' } });
  if (latest?.kind === 'escalation_offer' && latest.offerStatus === 'pending' && latest.escalationReason === 'human_requested') {
    return latest;
  }
  const now = deps.clock.now();
  const offer = em.create(Message, {
    ticket: session.ticket,
    author: 'ai',
    kind: 'escalation_offer',
    body: offerText('human_requested', session.locale),
    escalationReason: 'human_requested',
    offerStatus: 'pending',
    createdAt: now,
  });
  session.lastActivityAt = now;
  await em.flush();
  deps.events.emit('message.stored', { ticketId: session.ticket.id, messageId: offer.id, sessionId: session.id });
  return offer;
}

/** The visitor said "No thanks": the offer is closed and the chat simply goes on. */
export async function declineEscalation(em: EntityManager, session: ChatSession, offerId: number): Promise<Message> {
  const offer = await findOffer(em, session, offerId);
  if (offer.offerStatus === 'pending') {
    offer.offerStatus = 'declined';
    await em.flush();
  }
  return offer;
}

export interface EscalationResult {
  offer: Message;
  /** The in-chat confirmation naming the address support will write to. */
  confirmation: Message;
  ticket: Ticket;
  /** False when the chat's existing email ticket was reused (a later escalation, or a double click). */
  created: boolean;
}

/**
 * The visitor accepted an offer. Creates the follow-up email ticket — summary, reason, the
 * requester's address, a link back to the chat, tags and priority from the reason map —
 * links it both ways with the chat ticket, auto-assigns it, mails the visitor an
 * acknowledgement and tells them in the chat. Confirming again (or twice at once, through
 * any process) returns the same result; a later escalation in the same chat adds to the
 * existing ticket.
 */
export async function confirmEscalation(
  em: EntityManager,
  deps: EscalationDeps,
  session: ChatSession,
  input: { offerId: number; email?: string },
): Promise<EscalationResult> {
  return confirmations.run(session.id, async () => {
    const accepted = await holdingOffer(em, input.offerId, () => acceptOffer(em, deps, session, input));
    if ('previous' in accepted) return accepted.previous;
    const { offer, confirmation, ticket, created, chatTicket } = accepted;
    deps.outbox.wake();
    await assignWaitingTickets(em, deps);
    deps.events.emit('message.stored', { ticketId: chatTicket.id, messageId: confirmation.id, sessionId: session.id });
    deps.events.emit('ticket.changed', { ticketId: ticket.id });
    return { offer, confirmation, ticket, created };
  });
}

/**
 * Runs `work` as the only confirmation of this offer. PostgreSQL (several processes): in a
 * transaction holding the offer's row lock, so a confirmation through another process waits,
 * then finds the offer accepted; a crash before the commit leaves the offer pending, with no
 * ticket and no mail. SQLite has one process, whose KeyedLock already lets one confirmation
 * in at a time; no transaction there, which would hold the only connection while the
 * summary is written.
 */
async function holdingOffer<T>(em: EntityManager, offerId: number, work: () => Promise<T>): Promise<T> {
  if (dialectOf(em) !== 'postgresql') return work();
  await em.begin();
  try {
    await em.getConnection().execute('select id from message where id = ? for update', [offerId], 'all', em.getTransactionContext());
    const result = await work();
    await em.commit();
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}

/** The writes of a confirmation, in one flush; `previous` when the offer was accepted already. */
async function acceptOffer(
  em: EntityManager,
  deps: EscalationDeps,
  session: ChatSession,
  input: { offerId: number; email?: string },
): Promise<{ previous: EscalationResult } | (EscalationResult & { chatTicket: Ticket })> {
  {
    const offer = await findOffer(em, session, input.offerId);
    if (offer.offerStatus === 'accepted') return { previous: await previousResult(em, offer) };
    if (offer.offerStatus === 'declined') offer.offerStatus = 'pending'; // changed their mind

    const requesterEmail = session.verifiedEmail ?? input.email?.trim().toLowerCase() ?? null;
    if (!requesterEmail) {
      throw new DomainError('BAD_REQUEST', textsFor(session.locale).errors.emailNeeded);
    }
    const reason = offer.escalationReason ?? 'human_requested';
    // Fresh from the database: the session's ticket may have been loaded before the lock.
    const chatTicket = await em.findOneOrFail(Ticket, { id: session.ticket.id }, { populate: ['linkedTicket'], refresh: true });
    const history = await em.find(Message, { ticket: chatTicket, id: { $lte: offer.id } }, { orderBy: { id: 'asc' }, limit: 200 });
    const { summary } = await summariseChat(deps.model, history);
    const chatLink = consoleChatUrl(deps.publicUrl, session.id);
    const now = deps.clock.now();

    let ticket = chatTicket.linkedTicket;
    const created = !ticket;
    if (ticket) {
      // A later escalation in the same chat: one ticket holds the whole story.
      if (ticket.status === 'resolved' || ticket.status === 'closed') ticket.status = 'open';
      ticket.requesterEmail ??= requesterEmail;
      ticket.tags = [...new Set([...ticket.tags, ...(await reasonRule(em, deps, reason)).tags])];
      ticket.updatedAt = now;
      em.create(Message, {
        ticket,
        author: 'system',
        body: `The visitor asked for help again (${reason}).\n\n${summary}\n\nChat: ${chatLink}`,
        escalationReason: reason,
        createdAt: now,
      });
    } else {
      const rule = await reasonRule(em, deps, reason);
      ticket = await createEmailTicket(em, deps, {
        subject: `Chat follow-up: ${chatTicket.subject}`,
        requesterEmail,
        aiSummary: summary,
        escalationReason: reason,
        tags: ['escalated', ...rule.tags],
        priority: rule.priority,
        chatTicket,
      });
      em.create(Message, {
        ticket,
        author: 'system',
        body: `Escalated from the website chat (${reason}).\n\n${summary}\n\nChat: ${chatLink}`,
        escalationReason: reason,
        createdAt: now,
      });
    }

    offer.offerStatus = 'accepted';
    // The visitor reads the confirmation and the mail in the chat's language.
    const t = textsFor(session.locale);
    const confirmation = em.create(Message, {
      ticket: chatTicket,
      author: 'system',
      kind: 'escalation_confirmation',
      body: fill(t.confirmation, { email: requesterEmail, ticket: ticket.id }),
      escalationReason: reason,
      replyTo: offer,
      createdAt: now,
    });
    const acknowledgement = fill(t.acknowledgementBody, { ticket: ticket.id });
    deps.outbox.queue(em, {
      to: requesterEmail,
      subject: fill(t.acknowledgementSubject, { ticket: ticket.id }),
      text: acknowledgement,
      html: textToHtml(acknowledgement),
      ticket,
    });
    session.lastActivityAt = now;
    await queueWebhookEvent(em, deps, 'chat.escalated', { chat: chatData(session), reason, ticket: ticketData(ticket), created });
    await em.flush();
    return { offer, confirmation, ticket, created, chatTicket };
  }
}

async function reasonRule(em: EntityManager, deps: Pick<EscalationDeps, 'clock'>, reason: EscalationReason) {
  const settings = await getSettings(em, deps);
  return settings.reasonMap[reason] ?? { tags: [], priority: 'normal' as const };
}

async function findOffer(em: EntityManager, session: ChatSession, offerId: number): Promise<Message> {
  const offer = await em.findOne(Message, { id: offerId, ticket: session.ticket, kind: 'escalation_offer' }, { refresh: true });
  if (!offer) throw new DomainError('NOT_FOUND', 'That offer is not part of this chat.');
  return offer;
}

async function previousResult(em: EntityManager, offer: Message): Promise<EscalationResult> {
  const confirmation = await em.findOneOrFail(Message, { replyTo: offer, kind: 'escalation_confirmation' });
  const chatTicket = await em.findOneOrFail(Ticket, { id: offer.ticket.id }, { populate: ['linkedTicket'], refresh: true });
  return { offer, confirmation, ticket: chatTicket.linkedTicket!, created: false };
}
