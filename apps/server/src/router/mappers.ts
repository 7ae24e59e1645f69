import type { ChatMessage, Citation } from '@ticket0/contracts';
import type { Message } from '../db/entities/index.js';

/** The named fields of a stored row, as they are: what most views copy. */
export function pick<T, K extends keyof T>(row: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = row[key];
  return picked;
}

/** What visitors and operators both see of a message. */
export const MESSAGE_FIELDS = ['id', 'author', 'kind', 'body', 'createdAt', 'rating', 'interrupted', 'escalationReason', 'offerStatus'] as const;

/**
 * A stored message as the visitor's widget may see it (no safety or model details), with
 * the citations among `citations` (see citationsOf) that it may still link to.
 */
export function toChatMessage(message: Message, citations: ReadonlyMap<number, Citation> = new Map()): ChatMessage {
  return {
    ...pick(message, MESSAGE_FIELDS),
    clientMessageId: message.clientMessageId,
    replyToId: message.replyTo?.id ?? null,
    citations: message.citations.flatMap((id) => citations.get(id) ?? []),
  };
}
