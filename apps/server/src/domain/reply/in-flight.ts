import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '../../db/entities/index.js';
import type { HeldLease, ReplyLeases } from '../../db/reply-leases.js';

/** What `claim` found: this process writes the reply (holding `lease`), or another one wrote it. */
export type ReplyClaim = { lease: HeldLease | null } | { elsewhere: Message | null };

/**
 * The replies being written right now, by visitor message id: a resend of the same message
 * waits for the reply already on its way instead of asking the model twice, and shutdown
 * waits for all of them. In this process's memory; with `leases` (several processes on one
 * database) a reply being written by another process is waited for too (`claim`).
 */
export class RepliesInFlight {
  constructor(
    private readonly leases: ReplyLeases | null = null,
    /** How often a process waiting for another's reply looks for it. */
    private readonly pollMs = 200,
  ) {}

  private readonly replies = new Map<number, Promise<Message | null>>();
  /** Messages being stored right now, by session and clientMessageId. */
  private readonly arriving = new Map<string, Promise<void>>();

  /**
   * Marks a message as being stored, so that a racing resend in this process waits for it
   * (and then finds it stored) instead of asking the model a second time. Returns the wait
   * when another request is storing it already, else the function to call once stored.
   */
  arrive(sessionId: string, clientMessageId: string): { earlier: Promise<void> } | { stored: () => void } {
    const key = `${sessionId} ${clientMessageId}`;
    const earlier = this.arriving.get(key);
    if (earlier) return { earlier };
    let stored!: () => void;
    this.arriving.set(key, new Promise((resolve) => (stored = resolve)));
    return {
      stored: () => {
        this.arriving.delete(key);
        stored();
      },
    };
  }

  /** How many replies are being written. */
  get size(): number {
    return this.replies.size;
  }

  /** The reply being written for this message, if one is. */
  get(messageId: number): Promise<Message | null> | undefined {
    return this.replies.get(messageId);
  }

  /** Registers a reply being written; call the returned function with the stored reply. */
  begin(messageId: number): (reply: Message | null) => void {
    let settle!: (reply: Message | null) => void;
    this.replies.set(messageId, new Promise((resolve) => (settle = resolve)));
    return (reply) => {
      this.replies.delete(messageId);
      settle(reply);
    };
  }

  /**
   * Across processes: takes the lease on writing this message's reply. While another process
   * holds it, waits until that reply is stored (`lookup` finds it) and returns it as
   * `elsewhere`; when that process dies, its lease runs out and this one takes over. Without
   * leases (one process) there is nothing to take. `fresh`: the message was stored by this
   * request, so no reply to it can exist yet.
   */
  async claim(
    messageId: number,
    lookup: () => Promise<Message | null>,
    options: { fresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<ReplyClaim> {
    if (!this.leases) return { lease: null };
    for (;;) {
      const lease = await this.leases.claim(messageId);
      if (lease) {
        if (options.fresh) return { lease };
        // The holder stores its reply before it lets go: one may be there now.
        const stored = await lookup();
        if (!stored) return { lease };
        await lease.release();
        return { elsewhere: stored };
      }
      const stored = await lookup();
      if (stored) return { elsewhere: stored };
      if (options.signal?.aborted) return { elsewhere: null };
      await sleep(this.pollMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    }
  }

  /** Resolves once every reply being written now has been stored. */
  async whenIdle(): Promise<void> {
    await Promise.allSettled([...this.replies.values()]);
  }
}
