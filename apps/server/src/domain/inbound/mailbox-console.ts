import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import { BlockedSender, InboundEmail, MailAttachment } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { normaliseBlockPattern } from './loops.js';

/** The mail a ticket message was read from, with its attachments (their content not loaded). */
export async function originalMail(em: EntityManager, messageId: number): Promise<{ email: InboundEmail; attachments: MailAttachment[] }> {
  const email = await em.findOne(InboundEmail, { message: messageId });
  if (!email) throw new DomainError('NOT_FOUND', 'This message did not come by mail.');
  const attachments = await em.find(MailAttachment, { email }, { orderBy: { id: 'asc' } });
  return { email, attachments };
}

/** Attachments of the mails behind these messages, by message id (for a ticket's thread). */
export async function attachmentsByMessage(em: EntityManager, messageIds: number[]): Promise<Map<number, MailAttachment[]>> {
  const result = new Map<number, MailAttachment[]>();
  if (!messageIds.length) return result;
  const emails = await em.find(InboundEmail, { message: { $in: messageIds } }, { fields: ['id', 'message'] });
  if (!emails.length) return result;
  const attachments = await em.find(MailAttachment, { email: { $in: emails.map((e) => e.id) } }, { orderBy: { id: 'asc' } });
  const messageOf = new Map(emails.map((e) => [e.id, e.message!.id]));
  for (const attachment of attachments) {
    const id = messageOf.get(attachment.email.id)!;
    result.set(id, [...(result.get(id) ?? []), attachment]);
  }
  return result;
}

/** One attachment's file, for an operator's download. Oversized ones were never kept. */
export async function attachmentContent(em: EntityManager, id: number): Promise<MailAttachment & { content: Buffer }> {
  const attachment = await em.findOne(MailAttachment, { id }, { populate: ['content'] });
  if (!attachment) throw new DomainError('NOT_FOUND', 'That attachment does not exist.');
  if (!attachment.kept || !attachment.content) {
    throw new DomainError('NOT_FOUND', `"${attachment.filename}" was over the size limit and was not kept; it is still in the mailbox.`);
  }
  return attachment as MailAttachment & { content: Buffer };
}

export async function listBlockedSenders(em: EntityManager): Promise<BlockedSender[]> {
  return em.find(BlockedSender, {}, { orderBy: { pattern: 'asc' }, limit: 1000 });
}

export async function blockSender(em: EntityManager, deps: { clock: Clock }, raw: string): Promise<BlockedSender> {
  const pattern = normaliseBlockPattern(raw);
  if (!pattern) throw new DomainError('BAD_REQUEST', 'Enter an address (someone@example.com) or a domain (@example.com).');
  const existing = await em.findOne(BlockedSender, { pattern });
  if (existing) return existing;
  if ((await em.count(BlockedSender, {})) >= 1000) throw new DomainError('BAD_REQUEST', 'The block list is full (1,000 entries).');
  try {
    const blocked = em.create(BlockedSender, { pattern, createdAt: deps.clock.now() });
    await em.flush();
    return blocked;
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return em.fork().findOneOrFail(BlockedSender, { pattern });
    throw error;
  }
}

export async function unblockSender(em: EntityManager, id: number): Promise<void> {
  await em.nativeDelete(BlockedSender, { id });
}
