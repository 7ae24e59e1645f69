import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/sqlite';
import type { Availability, OperatorRole } from '@ticket0/contracts';
import { Operator } from '../../db/entities/index.js';
import { generatePassword, hasRole, hashPassword } from './auth.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import { DomainError } from '../../lib/errors.js';

export interface OperatorDeps {
  clock: Clock;
  /** Hears every change that may free a slot for auto-assignment. */
  events: EventBus;
}

export interface NewOperator {
  email: string;
  name: string;
  role: OperatorRole;
  capacity?: number;
  /** Leave out to have one generated (returned once). */
  password?: string;
}

/**
 * May `actor` give `target` the role `role` (or, without `role`, change anything about
 * them)? Admins manage members; owners manage everyone, other admins and owners included.
 */
function mayManage(actor: Operator, targetRole: OperatorRole, newRole?: OperatorRole): boolean {
  if (actor.role === 'owner') return true;
  if (actor.role !== 'admin') return false;
  return targetRole === 'member' && (newRole === undefined || newRole === 'member');
}

/** Adds an operator. Returns the generated password when none was given; it is not kept. */
export async function createOperator(
  em: EntityManager,
  deps: OperatorDeps,
  actor: Operator | null,
  input: NewOperator,
): Promise<{ operator: Operator; generatedPassword: string | null }> {
  if (actor && !mayManage(actor, input.role, input.role)) {
    throw new DomainError('FORBIDDEN', 'Only an owner can add admins or owners.');
  }
  const email = input.email.trim().toLowerCase();
  if (await em.count(Operator, { email })) {
    throw new DomainError('CONFLICT', `${email} is already an operator.`);
  }
  const generatedPassword = input.password ? null : generatePassword();
  const now = deps.clock.now();
  const operator = em.create(Operator, {
    email,
    name: input.name.trim(),
    passwordHash: await hashPassword(input.password ?? generatedPassword!),
    role: input.role,
    capacity: input.capacity ?? 5,
    availability: 'available',
    joinedAt: now,
    passwordChangedAt: now,
  });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new DomainError('CONFLICT', `${email} is already an operator.`);
    }
    throw error;
  }
  deps.events.emit('operator.changed', { operatorId: operator.id }); // a new free slot
  return { operator, generatedPassword };
}

/** Changes another operator's name, role, availability or capacity, within the actor's rights. */
export async function updateOperator(
  em: EntityManager,
  deps: Pick<OperatorDeps, 'events'>,
  actor: Operator,
  input: { id: number; name?: string; role?: OperatorRole; availability?: Availability; capacity?: number },
): Promise<Operator> {
  const target = await em.findOne(Operator, { id: input.id });
  if (!target) throw new DomainError('NOT_FOUND', 'This operator no longer exists.');
  const self = target.id === actor.id;
  if (!self && !mayManage(actor, target.role, input.role)) {
    throw new DomainError(
      'FORBIDDEN',
      target.role === 'member' ? 'Only an owner can make someone an admin or owner.' : 'Only an owner can change admins and owners.',
    );
  }
  if (input.role && input.role !== target.role) {
    if (self && !hasRole(actor.role, input.role)) {
      throw new DomainError('FORBIDDEN', 'You cannot raise your own role.');
    }
    if (target.role === 'owner' && (await em.count(Operator, { role: 'owner' })) <= 1) {
      throw new DomainError('CONFLICT', 'There must always be an owner. Make someone else an owner first.');
    }
    target.role = input.role;
  }
  if (input.name !== undefined) target.name = input.name.trim();
  if (input.availability !== undefined) target.availability = input.availability;
  if (input.capacity !== undefined) target.capacity = input.capacity;
  await em.flush();
  // Back from away or given more capacity: waiting tickets may be assigned now.
  deps.events.emit('operator.changed', { operatorId: target.id });
  return target;
}

/** Available / away: operators set their own; admins may set it for those they manage. */
export async function setAvailability(
  em: EntityManager,
  deps: Pick<OperatorDeps, 'events'>,
  actor: Operator,
  input: { operatorId?: number; availability: Availability },
): Promise<Operator> {
  const id = input.operatorId ?? actor.id;
  if (id !== actor.id) return updateOperator(em, deps, actor, { id, availability: input.availability });
  actor.availability = input.availability;
  await em.flush();
  deps.events.emit('operator.changed', { operatorId: actor.id });
  return actor;
}

/** Every operator with their open + pending ticket count, earliest joined first. */
export async function listTeam(em: EntityManager): Promise<Array<{ operator: Operator; openTickets: number }>> {
  const operators = await em.find(Operator, {}, { orderBy: { joinedAt: 'asc', id: 'asc' } });
  const loads = await openTicketCounts(em);
  return operators.map((operator) => ({ operator, openTickets: loads.get(operator.id) ?? 0 }));
}

/**
 * Open + pending tickets per assignee id: the load auto-assignment balances. Read inside the
 * caller's transaction when there is one (the assignment pass holds its lock in it).
 */
export async function openTicketCounts(em: EntityManager): Promise<Map<number, number>> {
  const rows: Array<{ assignee_id: number; count: number }> = await em
    .getConnection()
    .execute(
      "select assignee_id, count(*) as count from ticket where assignee_id is not null and status in ('open', 'pending') group by assignee_id",
      [],
      'all',
      em.getTransactionContext(),
    );
  return new Map(rows.map((row) => [Number(row.assignee_id), Number(row.count)]));
}

/**
 * On an empty operators table, creates the first owner: ADMIN_EMAIL / ADMIN_PASSWORD when
 * given, otherwise a generated password that `announce` prints once. Does nothing later.
 */
export async function ensureFirstOwner(
  em: EntityManager,
  deps: OperatorDeps,
  config: { email?: string; password?: string },
  announce: (text: string) => void,
): Promise<Operator | null> {
  if ((await em.count(Operator, {})) > 0) return null;
  const email = (config.email ?? 'admin@localhost').toLowerCase();
  let created: Awaited<ReturnType<typeof createOperator>>;
  try {
    created = await createOperator(em, deps, null, {
      email,
      name: 'Owner',
      role: 'owner',
      ...(config.password ? { password: config.password } : {}),
    });
  } catch (error) {
    // Another server process booting on the same database created the first owner meanwhile.
    if (error instanceof DomainError && error.code === 'CONFLICT') {
      em.clear();
      return null;
    }
    throw error;
  }
  const { operator, generatedPassword } = created;
  if (generatedPassword) {
    announce(`First owner created. Sign in to the console with:
  email:    ${email}
  password: ${generatedPassword}
This password is shown only now; change it under Account after signing in.`);
  } else {
    announce(`First owner created: ${email} (password from ADMIN_PASSWORD).`);
  }
  return operator;
}
