import type { ChatMessage } from '@ticket0/contracts';
import type { Message } from '../db/entities/index.js';

/** A stored message as the visitor's widget may see it (no safety or model details). */
export function toChatMessage(message: Message): ChatMessage {
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
  };
}
