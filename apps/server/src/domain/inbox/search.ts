import type { EntityManager } from '@mikro-orm/sqlite';
import type { SearchResults } from '@ticket0/contracts';
import { containsIgnoringCase } from '../../db/dialect.js';
import { ChatSession, Customer, Message, Ticket } from '../../db/entities/index.js';

/** Each kind of result stops here: a search is for finding one thing, not for reading lists. */
export const SEARCH_LIMIT = 10;

/** A stretch of `text` around the first place `query` occurs, so the result shows why it matched. */
export function excerptAround(text: string, query: string, width = 140): string {
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  const start = Math.max(0, (at < 0 ? 0 : at) - Math.floor((width - query.length) / 2));
  const piece = text.slice(start, start + width).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${piece}${start + width < text.length ? '…' : ''}`;
}

/**
 * One search across chats (their messages, the verified email, the chat id), email tickets
 * (subject, requester, number, messages) and customers (email, name, their own reference).
 * Case is ignored on both databases; newest first.
 */
export async function searchInbox(em: EntityManager, query: string): Promise<SearchResults> {
  const q = query.trim();
  const like = containsIgnoringCase(em, q);
  const number = /^#?(\d{1,9})$/.exec(q);

  // Messages that say it, newest first; a ticket appears once, with its newest matching message.
  const matches = await em.find(Message, { body: like }, { orderBy: { id: 'desc' }, limit: 200, populate: ['ticket'] });
  const excerptOf = new Map<number, string>();
  for (const message of matches) {
    if (!excerptOf.has(message.ticket.id)) excerptOf.set(message.ticket.id, excerptAround(message.body, q));
  }
  const matchedTickets = [...excerptOf.keys()];

  const sessions = await em.find(
    ChatSession,
    {
      $or: [
        { id: q },
        { verifiedEmail: like },
        { ticket: { subject: like } },
        ...(matchedTickets.length ? [{ ticket: { id: { $in: matchedTickets } } }] : []),
      ],
    },
    { populate: ['ticket'], orderBy: { lastActivityAt: 'desc' }, limit: SEARCH_LIMIT },
  );
  const tickets = await em.find(
    Ticket,
    {
      source: 'email',
      $or: [
        { subject: like },
        { requesterEmail: like },
        ...(number ? [{ id: Number(number[1]) }] : []),
        ...(matchedTickets.length ? [{ id: { $in: matchedTickets } }] : []),
      ],
    },
    { orderBy: { updatedAt: 'desc' }, limit: SEARCH_LIMIT },
  );
  const customers = await em.find(
    Customer,
    { $or: [{ email: like }, { name: like }, { externalId: like }] },
    { orderBy: { updatedAt: 'desc' }, limit: SEARCH_LIMIT },
  );

  return {
    chats: sessions.map((session) => ({
      sessionId: session.id,
      subject: session.ticket.subject,
      excerpt: excerptOf.get(session.ticket.id) ?? session.verifiedEmail,
      lastActivityAt: session.lastActivityAt,
    })),
    tickets: tickets.map((ticket) => ({
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      requesterEmail: ticket.requesterEmail,
      excerpt: excerptOf.get(ticket.id) ?? null,
      updatedAt: ticket.updatedAt,
    })),
    customers: customers.map((customer) => ({
      id: customer.id,
      email: customer.email,
      name: customer.name,
      externalId: customer.externalId,
    })),
  };
}
