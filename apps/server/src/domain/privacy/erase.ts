import type { EntityManager } from '@mikro-orm/sqlite';
import {
  ChatSession,
  Customer,
  Message,
  OtpChallenge,
  OutboxEmail,
  Ticket,
  type Operator,
} from '../../db/entities/index.js';
import { dialectOf } from '../../db/dialect.js';
import { databaseCaches } from '../../db/sql.js';
import { sessionCacheKey } from '../chat/sessions.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { forgetAuditSubject, recordAudit } from './audit.js';
import { customerFootprint } from './footprint.js';

/*
 * Erasing: a customer on an admin's request, one conversation on its visitor's, old chats
 * by the retention setting. Rows are deleted, not blanked. On SQLite the connection runs
 * with secure_delete (db/orm.ts), so freed pages are zeroed, and the write-ahead log is
 * checkpointed and truncated afterwards: the text is gone from the files, not just hidden.
 */

/**
 * Deletes chats: their sessions (codes, evaluations and device keys go with them), their
 * chat tickets with every message, and mail about those tickets. Email tickets linked to
 * them stay (the team's follow-up) and lose the link.
 */
export async function deleteChats(em: EntityManager, sessionIds: string[]): Promise<number> {
  if (sessionIds.length === 0) return 0;
  const sessions = await em.find(ChatSession, { id: { $in: sessionIds } }, { fields: ['id', 'ticket'] });
  const ticketIds = sessions.map((session) => session.ticket.id);
  await em.nativeDelete(ChatSession, { id: { $in: sessions.map((session) => session.id) } });
  await deleteTickets(em, ticketIds);
  // Sessions are cached per process: a deleted chat's credentials must stop working now.
  for (const session of sessions) databaseCaches(em).invalidate(sessionCacheKey(session.id));
  return sessions.length;
}

async function deleteTickets(em: EntityManager, ticketIds: number[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await em.nativeDelete(OutboxEmail, { ticket: { $in: ticketIds } });
  await em.nativeDelete(Message, { ticket: { $in: ticketIds } });
  await em.nativeDelete(Ticket, { id: { $in: ticketIds } });
}

/** A visitor deletes the conversation their widget holds. */
export async function deleteOwnConversation(em: EntityManager, deps: { clock: Clock }, session: { id: string }): Promise<void> {
  await em.transactional(async (tx) => {
    await deleteChats(tx, [session.id]);
    recordAudit(tx, deps, { action: 'conversation_deleted', detail: 'by its visitor' });
  });
  em.clear();
  await truncateLog(em);
}

/**
 * Everything about one customer goes: their record, every chat verified as them, their
 * email tickets (and those escalated from their chats) with every message, their codes and
 * their mail. The audit keeps that it happened, who did it and when.
 */
export async function eraseCustomer(
  em: EntityManager,
  deps: { clock: Clock },
  operator: Operator,
  customerId: number,
): Promise<{ chats: number; tickets: number }> {
  const result = await em.transactional(async (tx) => {
    const customer = await tx.findOne(Customer, { id: customerId });
    if (!customer) throw new DomainError('NOT_FOUND', `Customer #${customerId} does not exist.`);
    const footprint = await customerFootprint(tx, customer);
    const chats = await deleteChats(tx, footprint.sessions.map((session) => session.id));
    await deleteTickets(tx, footprint.emailTickets.map((ticket) => ticket.id));
    await tx.nativeDelete(OtpChallenge, { email: customer.email });
    await tx.nativeDelete(OutboxEmail, { to: customer.email });
    await tx.nativeDelete(Customer, { id: customer.id });
    await forgetAuditSubject(tx, customer.id);
    recordAudit(tx, deps, { action: 'customer_erased', operator });
    return { chats, tickets: footprint.emailTickets.length };
  });
  em.clear();
  await truncateLog(em);
  return result;
}

/** Deletes chats quiet for longer than the retention setting; a batch per call. */
export async function deleteExpiredChats(
  em: EntityManager,
  deps: { clock: Clock },
  retentionDays: number | null,
  batch = 200,
): Promise<number> {
  if (!retentionDays) return 0;
  const before = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
  const expired = await em.find(ChatSession, { lastActivityAt: { $lt: before } }, { fields: ['id'], limit: batch, orderBy: { lastActivityAt: 'asc' } });
  if (expired.length === 0) return 0;
  const deleted = await em.transactional(async (tx) => {
    const count = await deleteChats(tx, expired.map((session) => session.id));
    recordAudit(tx, deps, { action: 'retention_deleted', detail: `${count} ${count === 1 ? 'chat' : 'chats'} older than ${retentionDays} days` });
    return count;
  });
  em.clear();
  await truncateLog(em);
  return deleted;
}

/**
 * SQLite in WAL mode still holds the deleted rows' old pages in the log until a checkpoint
 * copies the log back and truncates it. PostgreSQL reclaims dead rows with its own vacuum.
 */
async function truncateLog(em: EntityManager): Promise<void> {
  if (dialectOf(em) !== 'sqlite') return;
  await em.getConnection().execute('pragma wal_checkpoint(truncate)');
}
