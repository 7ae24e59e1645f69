import { raw, type EntityManager } from '@mikro-orm/sqlite';
import type { InboxCounts } from '@ticket0/contracts';
import { Message, OperatorRead, Ticket, type Operator } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';

/*
 * Unread state, per operator and ticket (a chat's ticket or an email one), kept in the
 * database so it follows the operator from browser to browser and process to process.
 * A ticket is unread for an operator when it has a message they did not write newer than the
 * one they last saw; an email ticket they never opened is unread too. What happened before
 * the operator joined is never unread.
 */

/** The navigation's counts look this far back: older activity is not news any more. */
export const UNREAD_WINDOW_DAYS = 14;
/** Counts stop here; the console shows "999+". */
export const MOST_COUNTED = 999;

/** Statuses of an email ticket that still needs someone. */
const WORKABLE = ['open', 'pending'] as const;

function since(deps: { clock: Clock }, operator: Operator): Date {
  const window = new Date(deps.clock.now().getTime() - UNREAD_WINDOW_DAYS * 24 * 3600 * 1000);
  return operator.joinedAt > window ? operator.joinedAt : window;
}

/** The newest message id per ticket that `operator` did not write, since `from`. */
async function newestOthers(em: EntityManager, where: Record<string, unknown>, from: Date, limit?: number) {
  const qb = em
    .createQueryBuilder(Message, 'm')
    // Named by hand: with the ticket joined, `m.ticket` would be selected as the joined id.
    .select([raw('m.ticket_id as ticket_id'), raw('max(m.id) as last_id')])
    .where({ ...where, author: { $ne: 'operator' }, createdAt: { $gte: from } })
    .groupBy('m.ticket');
  if (limit) qb.limit(limit);
  const rows: Array<{ ticket_id: number; last_id: number }> = await qb.execute('all', false);
  return new Map(rows.map((row) => [Number(row.ticket_id), Number(row.last_id)]));
}

async function readMarks(em: EntityManager, operator: Operator, ticketIds: number[]): Promise<Map<number, number>> {
  if (!ticketIds.length) return new Map();
  const reads = await em.find(OperatorRead, { operator, ticket: { $in: ticketIds } });
  return new Map(reads.map((read) => [read.ticket.id, read.lastMessageId]));
}

/** Which of `tickets` (one page of a list) have something `operator` has not seen. */
export async function unreadAmong(
  em: EntityManager,
  deps: { clock: Clock },
  operator: Operator,
  tickets: Ticket[],
): Promise<Set<number>> {
  if (!tickets.length) return new Set();
  const ids = tickets.map((t) => t.id);
  const from = since(deps, operator);
  const [newest, read] = await Promise.all([newestOthers(em, { ticket: { $in: ids } }, from), readMarks(em, operator, ids)]);
  const unread = new Set<number>();
  for (const ticket of tickets) {
    const last = newest.get(ticket.id);
    const seen = read.get(ticket.id);
    if (last !== undefined && last > (seen ?? 0)) unread.add(ticket.id);
    else if (ticket.source === 'email' && seen === undefined && ticket.createdAt >= from) unread.add(ticket.id);
  }
  return unread;
}

/** The counts in the navigation and the tab title. */
export async function unreadCounts(em: EntityManager, deps: { clock: Clock }, operator: Operator): Promise<InboxCounts> {
  const from = since(deps, operator);
  // Email tickets the operator could work on: theirs, or unassigned for anybody to take.
  const workable = { source: 'email' as const, status: { $in: [...WORKABLE] }, $or: [{ assignee: operator.id }, { assignee: null }] };
  const [chatNewest, ticketNewest, freshTickets] = await Promise.all([
    newestOthers(em, { ticket: { source: 'chat' } }, from, MOST_COUNTED + 1),
    newestOthers(em, { ticket: workable }, from, MOST_COUNTED + 1),
    em.find(Ticket, { ...workable, createdAt: { $gte: from } }, { fields: ['id'], limit: MOST_COUNTED + 1 }),
  ]);
  const read = await readMarks(em, operator, [...new Set([...chatNewest.keys(), ...ticketNewest.keys(), ...freshTickets.map((t) => t.id)])]);
  const newer = (newest: Map<number, number>) =>
    [...newest].filter(([ticketId, last]) => last > (read.get(ticketId) ?? 0)).map(([ticketId]) => ticketId);
  const tickets = new Set([...newer(ticketNewest), ...freshTickets.filter((t) => !read.has(t.id)).map((t) => t.id)]);
  return { chats: Math.min(newer(chatNewest).length, MOST_COUNTED), tickets: Math.min(tickets.size, MOST_COUNTED) };
}

/**
 * `operator` has seen `ticketId` up to message `upToMessageId` (never past its newest
 * message, never back from a later mark). One statement, so two tabs marking at once agree.
 */
export async function markRead(
  em: EntityManager,
  deps: { clock: Clock },
  operator: Operator,
  input: { ticketId: number; upToMessageId: number },
): Promise<void> {
  const ticket = await em.findOne(Ticket, { id: input.ticketId }, { fields: ['id'] });
  if (!ticket) throw new DomainError('NOT_FOUND', `Ticket #${input.ticketId} does not exist.`);
  const [newest] = await em
    .createQueryBuilder(Message, 'm')
    .select(raw('max(m.id) as last_id'))
    .where({ ticket: ticket.id })
    .execute<Array<{ last_id: number | null }>>('all', false);
  const upTo = Math.min(input.upToMessageId, Number(newest?.last_id ?? 0));
  const now = deps.clock.now();
  await em
    .createQueryBuilder(OperatorRead)
    .insert({ operator: operator.id, ticket: ticket.id, lastMessageId: upTo, readAt: now })
    .onConflict(['operator', 'ticket'])
    .merge({
      lastMessageId: raw(
        'case when excluded.last_message_id > operator_read.last_message_id then excluded.last_message_id else operator_read.last_message_id end',
      ),
      readAt: now,
    })
    .execute();
}
