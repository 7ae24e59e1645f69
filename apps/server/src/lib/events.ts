import { EventEmitter, on } from 'node:events';

/** What happened in the product, for live views in the console. Ids only: readers load fresh data. */
export interface ProductEvents {
  /** A message was stored on a ticket (visitor, AI, system or operator). */
  'message.stored': { ticketId: number; messageId: number; sessionId: string | null };
  /** A ticket was created or changed (status, assignee, tags, links). */
  'ticket.changed': { ticketId: number };
  /** A visitor rated a reply (null: took the rating back). */
  'message.rated': { ticketId: number; messageId: number; sessionId: string; rating: 'up' | 'down' | null };
  /** An operator was added or changed (availability, capacity, role). */
  'operator.changed': { operatorId: number };
}

/** Carries events to the other server processes on the same database (and theirs here). */
export type EventRelay = <K extends keyof ProductEvents>(name: K, event: ProductEvents[K]) => void;

/**
 * A typed event bus. In-process while one process serves everything (SQLite); with several
 * processes a relay (db/pg-events.ts on PostgreSQL) sends each event to the others, which
 * hand it to their own listeners through `receive`.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private relay: EventRelay | null = null;

  constructor() {
    // Every open console holds a listener; many operators may watch at once.
    this.emitter.setMaxListeners(0);
  }

  emit<K extends keyof ProductEvents>(name: K, event: ProductEvents[K]): void {
    this.emitter.emit(name, event);
    this.relay?.(name, event);
  }

  /** An event another process emitted: for the listeners here only, never relayed back. */
  receive<K extends keyof ProductEvents>(name: K, event: ProductEvents[K]): void {
    this.emitter.emit(name, event);
  }

  /** Sends every event emitted from now on to `relay` as well (null: stop). */
  relayTo(relay: EventRelay | null): void {
    this.relay = relay;
  }

  subscribe<K extends keyof ProductEvents>(name: K, listener: (event: ProductEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  /** The events as an async iterable until `signal` aborts (for tRPC subscriptions). */
  async *stream<K extends keyof ProductEvents>(name: K, signal?: AbortSignal): AsyncGenerator<ProductEvents[K]> {
    try {
      for await (const [event] of on(this.emitter, name, { signal })) yield event as ProductEvents[K];
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }
}
