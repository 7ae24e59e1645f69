import type { ChatMessage, Citation } from '@ticket0/contracts';
import type { Message } from '../db/entities/index.js';

/**
 * A stored message as the visitor's widget may see it (no safety or model details), with
 * the citations among `citations` (see citationsOf) that it may still link to.
 */
export function toChatMessage(message: Message, citations: ReadonlyMap<number, Citation> = new Map()): ChatMessage {
  return {
    id: message.id,
    author: message.author,
    kind: message.kind,
    body: message.body,
    createdAt: message.createdAt,
    clientMessageId: message.clientMessageId,
    replyToId: message.replyTo?.id ?? null,
    rating: message.rating,
    interrupted: message.interrupted,
    escalationReason: message.escalationReason,
    offerStatus: message.offerStatus,
    citations: message.citations.flatMap((id) => citations.get(id) ?? []),
  };
}
