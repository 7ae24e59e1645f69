import type { Message } from '../../db/entities/index.js';

/**
 * The replies being written right now, by visitor message id: a resend of the same message
 * waits for the reply already on its way instead of asking the model twice, and shutdown
 * waits for all of them. In this process's memory: a resend that reaches another server
 * process gets that process's own reply (the message itself is still stored once).
 */
export class RepliesInFlight {
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

  /** Resolves once every reply being written now has been stored. */
  async whenIdle(): Promise<void> {
    await Promise.allSettled([...this.replies.values()]);
  }
}
