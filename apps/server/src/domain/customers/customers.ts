import type { EntityManager, FilterQuery } from '@mikro-orm/sqlite';
import { Customer, Ticket } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import { containsText, decodeCursor, encodeCursor, page } from '../../lib/pagination.js';

/** Email addresses are compared and stored lower-case, without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The customer with this email address, if there is one. */
export function findCustomerByEmail(em: EntityManager, email: string): Promise<Customer | null> {
  return em.findOne(Customer, { email: normalizeEmail(email) });
}

/**
 * Links an email ticket to the customer whose address it comes from, when there is one and
 * the ticket has no customer yet. Does not flush: call it before the flush that stores the
 * ticket (e.g. right after creating an email ticket). Returns the customer, if any.
 */
export async function linkTicketToCustomer(em: EntityManager, ticket: Ticket): Promise<Customer | null> {
  if (ticket.customer) return ticket.customer;
  if (ticket.source !== 'email' || !ticket.requesterEmail) return null;
  const customer = await findCustomerByEmail(em, ticket.requesterEmail);
  if (customer) ticket.customer = customer;
  return customer;
}

/**
 * Links every email ticket that has no customer yet to the customer with its requester's
 * address. One statement; run after customers were created or changed their email.
 * Returns how many tickets were linked.
 */
export async function linkUnlinkedTickets(em: EntityManager): Promise<number> {
  const result = await em.getConnection().execute<{ affectedRows?: number; changes?: number }>(
    `update "ticket" set "customer_id" = (select "c"."id" from "customer" as "c" where "c"."email" = lower("ticket"."requester_email"))
      where "source" = 'email' and "customer_id" is null and "requester_email" is not null
        and exists (select 1 from "customer" as "c" where "c"."email" = lower("ticket"."requester_email"))`,
    [],
    'run',
    em.getTransactionContext(),
  );
  return Number(result.affectedRows ?? result.changes ?? 0);
}

export interface CustomerTicket {
  id: number;
  subject: string;
  status: Ticket['status'];
  updatedAt: Date;
}

/**
 * A customer's email tickets, most recently changed first: those linked to them and those
 * whose requester address is theirs (linked or not yet).
 */
export async function customerTickets(em: EntityManager, customer: Customer, limit = 5): Promise<CustomerTicket[]> {
  const tickets = await em.find(
    Ticket,
    { source: 'email', $or: [{ customer: customer.id }, { requesterEmail: customer.email }] },
    { orderBy: { updatedAt: 'desc', id: 'desc' }, limit },
  );
  return tickets.map((ticket) => ({ id: ticket.id, subject: ticket.subject, status: ticket.status, updatedAt: ticket.updatedAt }));
}

/** For the console: customers, newest first, optionally those whose email, name or externalId contains `query`. */
export async function listCustomers(
  em: EntityManager,
  input: { query?: string; cursor?: string; limit: number },
): Promise<{ items: Customer[]; nextCursor: string | null }> {
  const conditions: Array<FilterQuery<Customer>> = [];
  const query = input.query?.trim();
  if (query) {
    conditions.push({ $or: [containsText('email', query), containsText('name', query), containsText('external_id', query)] });
  }
  const cursor = decodeCursor(input.cursor);
  if (cursor) conditions.push({ $or: [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, id: { $lt: cursor.id } }] });
  const rows = await em.find(Customer, conditions.length ? { $and: conditions } : {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: input.limit + 1 });
  return page(rows, input.limit, (customer) => encodeCursor(customer.createdAt, customer.id));
}

/** For the console: one customer and their email tickets (up to 50, most recent first). */
export async function customerDetail(em: EntityManager, id: number): Promise<{ customer: Customer; tickets: CustomerTicket[] }> {
  const customer = await em.findOne(Customer, { id });
  if (!customer) throw new DomainError('NOT_FOUND', `Customer #${id} does not exist.`);
  return { customer, tickets: await customerTickets(em, customer, 50) };
}

export interface CustomerInput {
  email?: string | null;
  name?: string | null;
  externalId?: string | null;
  /** Replaces the stored metadata when given. */
  metadata?: Record<string, string> | null;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates or updates one customer, matched by externalId first, then by email. Fields left
 * out keep their stored value. Refuses (CONFLICT) an email or externalId that already
 * belongs to another customer. Flushes, then links that customer's unlinked email tickets.
 * Bulk imports use customers/import.ts, which applies the same rules in one pass.
 */
export async function upsertCustomer(
  em: EntityManager,
  deps: { clock: Clock },
  input: CustomerInput,
): Promise<{ customer: Customer; outcome: UpsertOutcome }> {
  const email = input.email ? normalizeEmail(input.email) : null;
  const externalId = input.externalId?.trim() || null;
  const index = new CustomerIndex();
  const matches = await em.find(Customer, {
    $or: [...(email ? [{ email }] : []), ...(externalId ? [{ externalId }] : [])],
  });
  for (const customer of matches) index.add(customer);
  const resolved = resolveCustomer(index, { email, externalId });
  if ('reason' in resolved) throw new DomainError(resolved.conflict ? 'CONFLICT' : 'BAD_REQUEST', resolved.reason);
  const result = applyCustomerInput(em, deps, index, resolved.customer, { ...input, email, externalId });
  await em.flush();
  if (result.outcome !== 'unchanged') await linkUnlinkedTickets(em);
  return result;
}

/** Known customers by email and by externalId, kept in step as an import changes them. */
export class CustomerIndex {
  readonly byEmail = new Map<string, Customer>();
  readonly byExternalId = new Map<string, Customer>();

  add(customer: Customer): void {
    this.byEmail.set(customer.email, customer);
    if (customer.externalId) this.byExternalId.set(customer.externalId, customer);
  }

  changeEmail(customer: Customer, email: string): void {
    if (this.byEmail.get(customer.email) === customer) this.byEmail.delete(customer.email);
    customer.email = email;
    this.byEmail.set(email, customer);
  }

  changeExternalId(customer: Customer, externalId: string): void {
    if (customer.externalId && this.byExternalId.get(customer.externalId) === customer) this.byExternalId.delete(customer.externalId);
    customer.externalId = externalId;
    this.byExternalId.set(externalId, customer);
  }
}

/**
 * Which customer an input row means: by externalId, else by email, else a new one (null).
 * A reason instead when the row cannot be applied.
 */
export function resolveCustomer(
  index: CustomerIndex,
  input: { email: string | null; externalId: string | null },
): { customer: Customer | null } | { reason: string; conflict: boolean } {
  const { email, externalId } = input;
  if (!email && !externalId) return { reason: 'needs an email or an externalId', conflict: false };
  let target = externalId ? (index.byExternalId.get(externalId) ?? null) : null;
  if (!target && email) {
    target = index.byEmail.get(email) ?? null;
    if (target && externalId && target.externalId && target.externalId !== externalId) {
      return {
        reason: `email ${email} already belongs to the customer with externalId "${target.externalId}"`,
        conflict: true,
      };
    }
  }
  if (target && email && email !== target.email) {
    const owner = index.byEmail.get(email);
    if (owner && owner !== target) {
      return {
        reason: `email ${email} already belongs to another customer${owner.externalId ? ` (externalId "${owner.externalId}")` : ''}`,
        conflict: true,
      };
    }
  }
  if (!target && !email) {
    return { reason: `no customer has externalId "${externalId}", and a new customer needs an email`, conflict: false };
  }
  return { customer: target };
}

/** Writes a resolved row onto its customer (or a new one); does not flush. */
export function applyCustomerInput(
  em: EntityManager,
  deps: { clock: Clock },
  index: CustomerIndex,
  target: Customer | null,
  input: { email: string | null; externalId: string | null; name?: string | null; metadata?: Record<string, string> | null },
): { customer: Customer; outcome: UpsertOutcome } {
  const now = deps.clock.now();
  const name = input.name?.trim() || null;
  if (!target) {
    const customer = em.create(Customer, {
      email: input.email!,
      name,
      externalId: input.externalId,
      metadata: input.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
    index.add(customer);
    return { customer, outcome: 'created' };
  }
  let changed = false;
  if (input.email && input.email !== target.email) {
    index.changeEmail(target, input.email);
    changed = true;
  }
  if (input.externalId && input.externalId !== target.externalId) {
    index.changeExternalId(target, input.externalId);
    changed = true;
  }
  if (name && name !== target.name) {
    target.name = name;
    changed = true;
  }
  if (input.metadata && !sameMetadata(input.metadata, target.metadata)) {
    target.metadata = { ...input.metadata };
    changed = true;
  }
  if (changed) target.updatedAt = now;
  return { customer: target, outcome: changed ? 'updated' : 'unchanged' };
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
