import type { EntityManager, MikroORM } from '@mikro-orm/sqlite';
import { Operator, Ticket } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import type { EventBus } from '../../lib/events.js';
import { dialectOf, lockForTransaction } from '../../db/dialect.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { openTicketCounts } from './operators.js';
import { getSettings } from '../settings/settings.js';

/** What the assignment rule needs to know about an operator. */
export interface AssignmentCandidate {
  id: number;
  availability: 'available' | 'away';
  /** Most open + pending tickets this operator is given automatically; 0 = never. */
  capacity: number;
  joinedAt: Date;
  /** Open + pending tickets assigned right now. */
  load: number;
}

/**
 * Who gets the next ticket: only available operators below their capacity (capacity 0
 * never gets one); the one with the fewest open + pending tickets; on a tie, the one who
 * joined earliest. Null when nobody is free — the ticket waits unassigned.
 */
export function pickAssignee(candidates: readonly AssignmentCandidate[]): number | null {
  let best: AssignmentCandidate | null = null;
  for (const candidate of candidates) {
    if (candidate.availability !== 'available') continue;
    if (candidate.capacity <= 0 || candidate.load >= candidate.capacity) continue;
    if (
      !best ||
      candidate.load < best.load ||
      (candidate.load === best.load && candidate.joinedAt.getTime() < best.joinedAt.getTime()) ||
      (candidate.load === best.load && candidate.joinedAt.getTime() === best.joinedAt.getTime() && candidate.id < best.id)
    ) {
      best = candidate;
    }
  }
  return best?.id ?? null;
}

export interface AssignmentDeps {
  clock: Clock;
  events: EventBus;
}

async function candidates(em: EntityManager): Promise<{ operators: Map<number, Operator>; list: AssignmentCandidate[] }> {
  const operators = await em.find(Operator, {});
  const loads = await openTicketCounts(em);
  return {
    operators: new Map(operators.map((o) => [o.id, o])),
    list: operators.map((o) => ({
      id: o.id,
      availability: o.availability,
      capacity: o.capacity,
      joinedAt: o.joinedAt,
      load: loads.get(o.id) ?? 0,
    })),
  };
}

/** Any number that names the assignment pass among the advisory locks of this database. */
const ASSIGNMENT_LOCK = 0x7430_0001;
/** Passes in this process, one at a time (the scheduler's and those after an escalation). */
const passes = new KeyedLock();

/**
 * Gives waiting email tickets (open or pending, unassigned) to free operators, oldest ticket
 * first, while anyone is free. Runs after an escalation creates a ticket, and again whenever
 * a slot may have freed (a ticket resolved, an operator back or given more capacity).
 * Does nothing while auto-assign is off. Returns the tickets it assigned.
 *
 * Each ticket is taken with a conditional update (`where assignee is null`), so a ticket is
 * assigned once even when an operator assigns it by hand at the same moment. On PostgreSQL,
 * passes run one at a time — in this process through a lock in memory, and on PostgreSQL,
 * where several processes may run passes at once, under an advisory lock held for the pass's
 * transaction — so each pass counts the loads the previous one gave out, and no operator
 * goes over capacity.
 */
export async function assignWaitingTickets(em: EntityManager, deps: AssignmentDeps): Promise<Ticket[]> {
  const settings = await getSettings(em, deps);
  if (!settings.autoAssign) return [];
  const assigned = await passes.run('assignment', () =>
    dialectOf(em) === 'postgresql'
      ? em.transactional(async (tx) => {
          await lockForTransaction(tx, ASSIGNMENT_LOCK);
          return assignPass(tx, deps);
        })
      : assignPass(em, deps),
  );
  for (const ticket of assigned) deps.events.emit('ticket.changed', { ticketId: ticket.id });
  return assigned;
}

async function assignPass(em: EntityManager, deps: AssignmentDeps): Promise<Ticket[]> {
  const waiting = await em.find(
    Ticket,
    { source: 'email', assignee: null, status: { $in: ['open', 'pending'] } },
    { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 100 },
  );
  if (waiting.length === 0) return [];
  const { list } = await candidates(em);
  const assigned: Ticket[] = [];
  for (const ticket of waiting) {
    const id = pickAssignee(list);
    if (id === null) break;
    const now = deps.clock.now();
    const taken = await em.nativeUpdate(Ticket, { id: ticket.id, assignee: null }, { assignee: id, updatedAt: now });
    if (taken !== 1) continue; // assigned meanwhile (by hand, or by a pass elsewhere)
    await em.refresh(ticket); // the loaded entity says what the row now says
    list.find((c) => c.id === id)!.load++;
    assigned.push(ticket);
  }
  return assigned;
}

/**
 * Re-runs assignment whenever a slot may have freed: a ticket changed (resolved, closed,
 * reassigned) or an operator changed (back from away, more capacity). Runs are coalesced:
 * at most one at a time, and one more if anything happened meanwhile.
 */
export class AssignmentScheduler {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly orm: MikroORM,
    private readonly deps: AssignmentDeps,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.unsubscribe.push(
      this.deps.events.subscribe('ticket.changed', () => this.schedule()),
      this.deps.events.subscribe('operator.changed', () => this.schedule()),
    );
  }

  stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    return this.running ?? Promise.resolve();
  }

  /** Resolves when the current run (and any it queued) is over; tests wait on this. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await assignWaitingTickets(this.orm.em.fork(), this.deps);
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
      this.running = null;
    })();
  }
}
