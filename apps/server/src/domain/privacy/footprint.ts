import type { EntityManager } from '@mikro-orm/sqlite';
import { ChatSession, Ticket, type Customer } from '../../db/entities/index.js';

/** Where a customer's data lives: what an export shows and an erase deletes. */
export interface CustomerFootprint {
  /** Chats verified as their address, or whose ticket names them. */
  sessions: ChatSession[];
  /** Their email tickets, and those escalated from their chats. */
  emailTickets: Ticket[];
}

export async function customerFootprint(em: EntityManager, customer: Customer): Promise<CustomerFootprint> {
  const sessions = await em.find(
    ChatSession,
    { $or: [{ verifiedEmail: customer.email }, { ticket: { customer: customer.id } }] },
    { populate: ['ticket'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const chatTicketIds = sessions.map((session) => session.ticket.id);
  const emailTickets = await em.find(
    Ticket,
    {
      source: 'email',
      $or: [
        { customer: customer.id },
        { requesterEmail: customer.email },
        ...(chatTicketIds.length ? [{ linkedTicket: { $in: chatTicketIds } }] : []),
      ],
    },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  // A chat escalated with this address typed in (never verified) is theirs too.
  const known = new Set(chatTicketIds);
  const escalatedFrom = emailTickets.flatMap((ticket) => (ticket.linkedTicket && !known.has(ticket.linkedTicket.id) ? [ticket.linkedTicket.id] : []));
  if (escalatedFrom.length) {
    sessions.push(...(await em.find(ChatSession, { ticket: { $in: escalatedFrom } }, { populate: ['ticket'], orderBy: { createdAt: 'asc', id: 'asc' } })));
  }
  return { sessions, emailTickets };
}
