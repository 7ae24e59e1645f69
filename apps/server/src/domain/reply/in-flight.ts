import type { Message } from '../../db/entities/index.js';

/**
 * The replies being written right now, by visitor message id: a resend of the same message
 * waits for the reply already on its way instead of asking the model twice, and shutdown
 * waits for all of them. In this process's memory: a resend that reaches another server
 * process gets that process's own reply (the message itself is still stored once).
 */
export class RepliesInFlight {
  private readonly replies = new Map<number, Promise<Message | null>>();

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
